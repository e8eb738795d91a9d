"""信访化解: petition matters (涉法涉诉信访事项), their petitioners, task forces, outcomes and
the campaigns (百日攻坚, 回头看) that take them on.

``status`` of a matter, a campaign and a campaign matter (its follow-up) changes only in the
helpers of ``youjie.petitions.services.common``, which check the maps in
``youjie.petitions.transitions`` and write a timeline event in the same transaction.
docs/subsystems/petitions.md describes the life of a matter.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from youjie.core.models import TimeStampedModel
from youjie.petitions.choices import (
    OPEN_MATTER_STATUSES,
    RESOLVED_MATTER_STATUSES,
    AidApprovalKind,
    AidKind,
    AidStatus,
    CampaignKind,
    CampaignStatus,
    CoordinationStatus,
    EvidenceKind,
    FollowUpStatus,
    LetterStatus,
    MatterCategory,
    MatterOrigin,
    MatterStatus,
    MeetingKind,
    MeetingStatus,
    MeetingTaskStatus,
    OutcomeType,
    PetitionerAttitude,
    PetitionerRole,
    ReturnVisitMethod,
    TaskForceRole,
    WorkRecordKind,
)
from youjie.petitions.deadlines import MAX_EXTENSION_DAYS

if TYPE_CHECKING:
    from youjie.people.models import Person

# Size limits, shared by the services (which refuse longer input with a Chinese message), the
# forms and the API schemas built on them.
TITLE_MAX = 200
NAME_MAX = 100
TEXT_MAX = 4000
HISTORY_MAX = 10000
REASON_MAX = 1000


class PetitionLabel(models.Model):
    """A configurable label with its working definition (骨头案, 钉子案, 重复信访, 初信初访).

    The 2022 条例 defines none of them (DOMAIN.md §1 [C]); the definitions are data, seeded by
    migration 0002 and edited by administrators.
    """

    code = models.SlugField("代码", max_length=32, unique=True)
    name = models.CharField("名称", max_length=20, unique=True)
    definition = models.TextField("定义", max_length=2000)
    is_active = models.BooleanField("启用", default=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=100)

    class Meta:
        verbose_name = "信访标签"
        verbose_name_plural = "信访标签"
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class MatterNumberCounter(models.Model):
    """The per-year sequence of matter numbers (信访〔2026〕17号). The counter is advanced in the
    transaction that creates the matter, so a rolled-back registration leaves no gap."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "事项编号计数器"
        verbose_name_plural = "事项编号计数器"

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class PetitionMatterQuerySet(models.QuerySet["PetitionMatter"]):
    def counted(self) -> PetitionMatterQuerySet:
        """Matters still counted: 依法终结 ends counting (不再统计、交办、通报, DOMAIN.md §2)."""
        return self.filter(no_further_counting=False)

    def open(self) -> PetitionMatterQuerySet:
        return self.filter(status__in=OPEN_MATTER_STATUSES)

    def resolved(self) -> PetitionMatterQuerySet:
        return self.filter(status__in=RESOLVED_MATTER_STATUSES)

    def overdue(self, *, today: date) -> PetitionMatterQuerySet:
        """Open matters past a statutory clock (see ``matter_overdue_q``)."""
        return self.filter(matter_overdue_q(today=today))


def matter_overdue_q(*, today: date, prefix: str = "") -> Q:
    """Open matters past a statutory clock: handling (the extended deadline when there is one)
    or the 15-day written notice not yet given. ``prefix``: the path to the matter from another
    model ("matter__"). Overdue is computed, never stored (as for the desk:
    docs/subsystems/deadlines.md), so nothing leaves the overdue list without an event."""

    def q(**lookups: object) -> Q:
        return Q(**{f"{prefix}{key}": value for key, value in lookups.items()})

    handling_late = q(extended_due_on__lt=today) | q(
        extended_due_on__isnull=True, handling_due_on__lt=today
    )
    notice_late = q(notified_on__isnull=True, notice_due_on__lt=today)
    return q(status__in=OPEN_MATTER_STATUSES) & (handling_late | notice_late)


class PetitionMatter(TimeStampedModel):
    """A 涉法涉诉信访事项 (GLOSSARY ``PetitionCase``).

    Its number is 信访〔YYYY〕N号: N counts from 1 in each year of registration, without gaps
    or leading zeros (``services.common.next_matter_number``).
    """

    number = models.CharField("编号", max_length=40, unique=True)
    year = models.PositiveSmallIntegerField("年度")
    sequence = models.PositiveIntegerField("序号")
    title = models.CharField("事项名称", max_length=TITLE_MAX)
    petitioners: models.ManyToManyField[Person, Petitioner] = models.ManyToManyField(
        "people.Person",
        verbose_name="信访人",
        through="Petitioner",
        related_name="petition_matters",
    )
    region = models.ForeignKey(
        "orgs.Region",
        verbose_name="属地",
        on_delete=models.PROTECT,
        related_name="petition_matters",
    )
    county_office = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name="属地专项办",
        on_delete=models.PROTECT,
        related_name="county_petition_matters",
        help_text="由属地确定：该区划的专项办（属地责任）",
    )
    responsible_unit = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name="责任单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="responsible_petition_matters",
        help_text="政法单位，负指导责任（下沉指导、提级督办、审核把关）",
    )
    handling_unit = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name="承办单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handling_petition_matters",
        help_text="负直接责任的办理单位",
    )
    lead_official = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="包案领导",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_petition_matters",
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="承办人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handled_petition_matters",
    )
    category = models.CharField("类别", max_length=24, choices=MatterCategory.choices)
    origin = models.CharField("来源", max_length=16, choices=MatterOrigin.choices)
    labels = models.ManyToManyField(
        PetitionLabel, verbose_name="标签", blank=True, related_name="matters"
    )
    core_demand = models.TextField("核心诉求", max_length=TEXT_MAX)
    root_cause = models.TextField("症结", max_length=TEXT_MAX, blank=True)
    prior_handling = models.TextField("既往处理情况", max_length=HISTORY_MAX, blank=True)
    court_cases = models.ManyToManyField(
        "courtcases.CourtCase", verbose_name="关联案件", blank=True, related_name="petition_matters"
    )
    desk_requests = models.ManyToManyField(
        "desk.ServiceRequest",
        verbose_name="关联诉求",
        blank=True,
        related_name="petition_matters",
    )
    received_on = models.DateField("收到日期")

    # Statutory clocks (信访工作条例; youjie.petitions.deadlines). Overdue is computed from them.
    statutory_clocks = models.BooleanField(
        "适用信访工作条例时限",
        default=True,
        help_text="诉讼权利救济类事项按政法机关有关规定执行（条例第二十三条第四款）时可不适用",
    )
    notice_due_on = models.DateField("告知期限", null=True, blank=True)
    notified_on = models.DateField("书面告知日期", null=True, blank=True)
    accepted_on = models.DateField("受理日期", null=True, blank=True)
    handling_due_on = models.DateField("办理期限", null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField("延长天数", default=0)
    extended_due_on = models.DateField("延长后期限", null=True, blank=True)
    extension_reason = models.TextField("延期理由", max_length=REASON_MAX, blank=True)
    extension_told_on = models.DateField("延期理由告知日期", null=True, blank=True)
    calendar_warning = models.CharField("日历提示", max_length=200, blank=True)

    status = models.CharField(
        "状态", max_length=16, choices=MatterStatus.choices, default=MatterStatus.REGISTERED
    )
    # 三到位一处理 (Art. 27) and 事心双解.
    outcome_type = models.CharField(
        "化解方式", max_length=16, choices=OutcomeType.choices, blank=True
    )
    outcome_summary = models.TextField("化解情况", max_length=TEXT_MAX, blank=True)
    matter_resolved_on = models.DateField("事了日期", null=True, blank=True)
    heart_resolved_on = models.DateField("心了日期", null=True, blank=True)
    ceased = models.BooleanField("息诉罢访", default=False)
    # Evidence belongs to one resolution: a reopened matter needs fresh evidence.
    resolution_round = models.PositiveSmallIntegerField("化解轮次", default=1)
    reopened_count = models.PositiveSmallIntegerField("重新交办次数", default=0)

    # 依法终结 (DOMAIN.md §2 [C]).
    terminated_on = models.DateField("终结日期", null=True, blank=True)
    termination_authority = models.CharField("终结审核机关", max_length=NAME_MAX, blank=True)
    termination_basis = models.TextField("终结依据", max_length=TEXT_MAX, blank=True)
    handed_over_to = models.CharField(
        "移交属地",
        max_length=TITLE_MAX,
        blank=True,
        help_text="接收教育帮扶的属地党委、政府及基层组织",
    )
    handed_over_on = models.DateField("移交日期", null=True, blank=True)
    no_further_counting = models.BooleanField("不再统计、交办、通报", default=False)

    # The 三日一研究 reads it: every service that records progress sets it
    # (``services.common.matter_progress_touch``).
    last_progress_at = models.DateTimeField("最近进展时间")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = PetitionMatterQuerySet.as_manager()

    class Meta:
        verbose_name = "信访事项"
        verbose_name_plural = "信访事项"
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["region", "status"], name="pet_matter_region_status"),
            models.Index(fields=["responsible_unit", "status"], name="pet_matter_unit_status"),
            models.Index(fields=["handling_unit", "status"], name="pet_matter_handling_status"),
            models.Index(fields=["lead_official", "status"], name="pet_matter_lead_status"),
            models.Index(fields=["status", "last_progress_at"], name="pet_matter_progress"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="uniq_pet_matter_sequence"),
            models.CheckConstraint(
                condition=Q(extension_days__lte=MAX_EXTENSION_DAYS),
                name="pet_matter_extension_30",
            ),
            models.CheckConstraint(
                condition=Q(heart_resolved_on__isnull=True) | Q(matter_resolved_on__isnull=False),
                name="pet_matter_heart_after_matter",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=RESOLVED_MATTER_STATUSES)
                | (Q(matter_resolved_on__isnull=False) & ~Q(outcome_type="")),
                name="pet_matter_resolved_has_outcome",
            ),
            models.CheckConstraint(
                condition=~Q(status=MatterStatus.SETTLED) | Q(heart_resolved_on__isnull=False),
                name="pet_matter_settled_both",
            ),
            models.CheckConstraint(
                condition=~Q(status=MatterStatus.TERMINATED)
                | Q(terminated_on__isnull=False, no_further_counting=True),
                name="pet_matter_terminated_recorded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def effective_due(self) -> date | None:
        """The handling deadline in force: extended if an extension was approved."""
        return self.extended_due_on or self.handling_due_on

    @property
    def is_settled(self) -> bool:
        """事心双解: both 事了 and 心了 recorded."""
        return self.matter_resolved_on is not None and self.heart_resolved_on is not None


class Petitioner(models.Model):
    """A person named in a matter, with their role (信访人, 代理人, 联名代表)."""

    matter = models.ForeignKey(
        PetitionMatter, on_delete=models.CASCADE, related_name="petitioner_links"
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name="人员",
        on_delete=models.PROTECT,
        related_name="petitioner_links",
    )
    role = models.CharField(
        "身份", max_length=24, choices=PetitionerRole.choices, default=PetitionerRole.PETITIONER
    )

    class Meta:
        verbose_name = "信访人"
        verbose_name_plural = "信访人"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["matter", "person"], name="uniq_pet_petitioner")
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.person_id}"


class TaskForceMember(models.Model):
    """One member of a matter's task force (一案一专班): a user, or a named outsider."""

    matter = models.ForeignKey(
        PetitionMatter, on_delete=models.CASCADE, related_name="task_force_members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="petition_task_forces",
    )
    name = models.CharField("姓名", max_length=50)
    unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name="所在单位", on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(
        "专班职务", max_length=16, choices=TaskForceRole.choices, default=TaskForceRole.MEMBER
    )
    duty = models.CharField("分工", max_length=200, blank=True)

    class Meta:
        verbose_name = "专班成员"
        verbose_name_plural = "专班成员"
        ordering = ["matter", "role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["matter"],
                condition=Q(role=TaskForceRole.HEAD),
                name="uniq_pet_task_force_head",
            ),
            models.UniqueConstraint(
                fields=["matter", "user"],
                condition=Q(user__isnull=False),
                name="uniq_pet_task_force_user",
            ),
            models.CheckConstraint(condition=~Q(name=""), name="pet_task_force_named"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.name}"


class OutcomeEvidence(models.Model):
    """A piece of evidence for a resolution (agreement, aid paid, signed commitment, opinion)."""

    matter = models.ForeignKey(PetitionMatter, on_delete=models.CASCADE, related_name="evidence")
    resolution_round = models.PositiveSmallIntegerField("化解轮次")
    kind = models.CharField("材料类型", max_length=24, choices=EvidenceKind.choices)
    description = models.CharField("说明", max_length=500)
    dated_on = models.DateField("材料日期")
    file = models.FileField("文件", upload_to="petitions/evidence/%Y/%m/", blank=True)
    original_name = models.CharField("文件名", max_length=100, blank=True)
    content_type = models.CharField("文件类型", max_length=50, blank=True)
    size = models.PositiveIntegerField("大小（字节）", default=0)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "化解材料"
        verbose_name_plural = "化解材料"
        ordering = ["id"]
        indexes = [
            models.Index(fields=["matter", "resolution_round", "kind"], name="pet_evidence_round")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.description}"


class MatterReturnVisit(models.Model):
    """A return visit (回访) to the petitioner after 事了: the only way 心了 is confirmed."""

    matter = models.ForeignKey(
        PetitionMatter, on_delete=models.CASCADE, related_name="return_visits"
    )
    resolution_round = models.PositiveSmallIntegerField("化解轮次")
    visited_on = models.DateField("回访日期")
    method = models.CharField("回访方式", max_length=16, choices=ReturnVisitMethod.choices)
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="回访人", on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField("回访情况", max_length=TEXT_MAX)
    heart_resolved = models.BooleanField("确认心结解开", default=False)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "回访记录"
        verbose_name_plural = "回访记录"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.matter_id} 回访 {self.visited_on}"


class Campaign(TimeStampedModel):
    """A named, time-boxed action (百日攻坚, 回头看 …) over a set of matters."""

    name = models.CharField("名称", max_length=NAME_MAX)
    kind = models.CharField("类型", max_length=16, choices=CampaignKind.choices)
    issuing_office = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name="牵头专项办",
        on_delete=models.PROTECT,
        related_name="petition_campaigns",
    )
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    goals = models.TextField("工作目标", max_length=TEXT_MAX, blank=True)
    follow_up_days = models.PositiveSmallIntegerField(
        "回头看期限（日）", default=30, help_text="事项化解后经过该期限，确认稳定或重新交办"
    )
    status = models.CharField(
        "状态", max_length=16, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    matters: models.ManyToManyField[PetitionMatter, CampaignMatter] = models.ManyToManyField(
        PetitionMatter, through="CampaignMatter", related_name="campaigns", blank=True
    )

    class Meta:
        verbose_name = "专项行动"
        verbose_name_plural = "专项行动"
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="pet_campaign_dates"
            ),
            models.CheckConstraint(
                condition=Q(follow_up_days__gte=1, follow_up_days__lte=365),
                name="pet_campaign_follow_up_days",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CampaignMatter(models.Model):
    """A matter taken on by a campaign, with its follow-up (回头看) in that campaign.

    ``follow_up_due_on`` is set when the matter is resolved (事了 + the campaign's
    ``follow_up_days``); after it the office confirms the matter stable or reopens it.
    """

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="campaign_matters"
    )
    matter = models.ForeignKey(
        PetitionMatter, on_delete=models.PROTECT, related_name="campaign_matters"
    )
    added_on = models.DateField("纳入日期")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="纳入人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        "回头看状态",
        max_length=16,
        choices=FollowUpStatus.choices,
        default=FollowUpStatus.PENDING,
    )
    follow_up_due_on = models.DateField("回头看日期", null=True, blank=True)
    confirmed_on = models.DateField("确认稳定日期", null=True, blank=True)
    reopened_on = models.DateField("重新交办日期", null=True, blank=True)
    reopen_reason = models.TextField("重新交办原因", max_length=REASON_MAX, blank=True)

    class Meta:
        verbose_name = "专项行动事项"
        verbose_name_plural = "专项行动事项"
        ordering = ["campaign", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "matter"], name="uniq_pet_campaign_matter")
        ]
        indexes = [models.Index(fields=["status", "follow_up_due_on"], name="pet_follow_up_due")]

    def __str__(self) -> str:
        return f"{self.campaign_id}:{self.matter_id}"


# --- work records, coordination requests, aid (issue 13 item 4) ------------------------------

PLACE_MAX = 200
ATTACHMENT_NAME_MAX = 100
# Money: Decimal with two places (元, 分), never a float.
MONEY_DIGITS = 12
MONEY_PLACES = 2


class WorkRecord(models.Model):
    """A piece of work on a matter: a verification (核查: 实地走访, 查阅卷宗, 个别谈话, 听证) or a
    meeting with the petitioner (约访, 接访, 走访, 带案下访), with its findings, the law explained
    (释法说理), the counselling given (心理疏导) and the petitioner's attitude.

    ``lead_official`` is the matter's lead official when they took part in person: a meeting
    with them that names a petitioner in ``petitioners_met`` is what 每案必见 counts
    (``selectors.petitioners_not_met``); a later change of lead official starts the count anew.
    """

    matter = models.ForeignKey(
        PetitionMatter, on_delete=models.CASCADE, related_name="work_records"
    )
    kind = models.CharField("工作类型", max_length=24, choices=WorkRecordKind.choices)
    held_on = models.DateField("日期")
    place = models.CharField("地点", max_length=PLACE_MAX, blank=True)
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name="参加人员",
        blank=True,
        related_name="petition_work_records",
    )
    lead_official = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="参加的包案领导",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="包案领导本人参加时记录（每案必见）",
    )
    petitioners_met = models.ManyToManyField(
        "people.Person",
        verbose_name="见面的信访人",
        blank=True,
        related_name="petition_work_records",
    )
    findings = models.TextField("工作情况及核查结论", max_length=TEXT_MAX)
    law_explanation = models.TextField("释法说理", max_length=TEXT_MAX, blank=True)
    counselling = models.TextField("心理疏导", max_length=TEXT_MAX, blank=True)
    attitude = models.CharField(
        "信访人态度", max_length=16, choices=PetitionerAttitude.choices, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "工作记录"
        verbose_name_plural = "工作记录"
        ordering = ["-held_on", "-id"]
        indexes = [
            models.Index(fields=["matter", "kind", "lead_official"], name="pet_work_record_meeting")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on}"

    @property
    def lead_official_present(self) -> bool:
        return self.lead_official_id is not None


class WorkRecordAttachment(models.Model):
    """A file of a work record (PDF, JPG, PNG): type checked by content, SHA-256 kept."""

    record = models.ForeignKey(WorkRecord, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField("文件", upload_to="petitions/records/%Y/%m/")
    original_name = models.CharField("文件名", max_length=ATTACHMENT_NAME_MAX)
    content_type = models.CharField("文件类型", max_length=50)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "工作记录附件"
        verbose_name_plural = "工作记录附件"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name


def coordination_overdue_q(*, today: date, prefix: str = "") -> Q:
    """Coordination requests still waiting for a reply after their last day. Computed, never
    stored: a reply (an event) is the only way off the overdue list."""
    return Q(**{f"{prefix}status": CoordinationStatus.SENT, f"{prefix}due_on__lt": today})


class CoordinationRequest(TimeStampedModel):
    """A request to a government department (住建, 民政, 人社, 医保 …: 协调联动) about a matter:
    what is asked, by when (working days), the department's reply. ``status`` changes only in
    ``services.coordination.coordination_status_set`` (sent → replied)."""

    matter = models.ForeignKey(
        PetitionMatter, on_delete=models.CASCADE, related_name="coordination_requests"
    )
    department = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name="协调部门",
        on_delete=models.PROTECT,
        related_name="petition_coordination_requests",
    )
    liaison = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="联络员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="petition_coordination_requests",
    )
    request_text = models.TextField("协调事项", max_length=TEXT_MAX)
    sent_on = models.DateField("发出日期")
    workdays = models.PositiveSmallIntegerField("答复时限（工作日）")
    due_on = models.DateField("答复期限")
    calendar_warning = models.CharField("日历提示", max_length=200, blank=True)
    status = models.CharField(
        "状态",
        max_length=16,
        choices=CoordinationStatus.choices,
        default=CoordinationStatus.SENT,
    )
    reply_text = models.TextField("答复内容", max_length=TEXT_MAX, blank=True)
    replied_on = models.DateField("答复日期", null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="答复人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发起人", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "协调函"
        verbose_name_plural = "协调函"
        ordering = ["-sent_on", "-id"]
        indexes = [
            models.Index(fields=["department", "status", "due_on"], name="pet_coord_department"),
            models.Index(fields=["status", "due_on"], name="pet_coord_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("sent_on")), name="pet_coord_due_after_sent"
            ),
            models.CheckConstraint(
                condition=~Q(status=CoordinationStatus.REPLIED)
                | (Q(replied_on__isnull=False) & ~Q(reply_text="")),
                name="pet_coord_replied_recorded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.matter_id} → {self.department_id}"

    def is_overdue(self, today: date) -> bool:
        return self.status == CoordinationStatus.SENT and self.due_on < today

    @property
    def replied_late(self) -> bool:
        return self.replied_on is not None and self.replied_on > self.due_on


class AidWageBase(models.Model):
    """上一年度职工月平均工资: the base of the 国家司法救助 cap (DOMAIN.md §8: 36 months of the
    previous year's average monthly wage of the province of the court with jurisdiction; when
    that year's figure is not yet published, the latest published one). Entered by
    administrators as each year's figure is published."""

    year = models.PositiveSmallIntegerField(
        "统计年度",
        unique=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text="该工资数据所属的年度（申请年度的上一年度）",
    )
    monthly_wage = models.DecimalField(
        "职工月平均工资（元）",
        max_digits=10,
        decimal_places=MONEY_PLACES,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    source = models.CharField("数据来源", max_length=200, help_text="发布机关及文件名称")

    class Meta:
        verbose_name = "司法救助工资基数"
        verbose_name_plural = "司法救助工资基数"
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(condition=Q(monthly_wage__gt=0), name="pet_aid_wage_positive"),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100), name="pet_aid_wage_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}年 {self.monthly_wage}元/月"


class Aid(TimeStampedModel):
    """Aid for a petitioner in hardship: 国家司法救助 (DOMAIN.md §8) or social assistance (社会
    保险, 民政救助, 低保, 临时救助; 信访工作条例 Art. 37). ``status`` changes only in
    ``services.aid.aid_status_set`` (applied → approved → paid, or refused).

    For 国家司法救助 the cap (36 × the monthly wage base, kept as it was on application), the
    court case (one aid per person per case: a database constraint), the decision clock (10
    working days from the application) and the payment clock (2 working days from the funds'
    arrival) are kept here."""

    matter = models.ForeignKey(PetitionMatter, on_delete=models.CASCADE, related_name="aids")
    person = models.ForeignKey(
        "people.Person", verbose_name="救助对象", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("救助类型", max_length=24, choices=AidKind.choices)
    court_case = models.ForeignKey(
        "courtcases.CourtCase",
        verbose_name="关联案件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="petition_aids",
    )
    amount = models.DecimalField(
        "申请金额（元）", max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES
    )
    awardable_amount = models.DecimalField(
        "应判赔或判决未执行金额（元）",
        max_digits=MONEY_DIGITS,
        decimal_places=MONEY_PLACES,
        null=True,
        blank=True,
        help_text="救助金额在任何情况下不得超过该金额",
    )
    reason = models.TextField("申请理由及困难情况", max_length=TEXT_MAX)
    applied_on = models.DateField("申请日期")
    # 国家司法救助 only: the base and the cap as they were on application, and the clocks.
    wage_year = models.PositiveSmallIntegerField("工资基数年度", null=True, blank=True)
    monthly_wage = models.DecimalField(
        "职工月平均工资（元）",
        max_digits=10,
        decimal_places=MONEY_PLACES,
        null=True,
        blank=True,
    )
    cap_amount = models.DecimalField(
        "救助上限（元）",
        max_digits=MONEY_DIGITS,
        decimal_places=MONEY_PLACES,
        null=True,
        blank=True,
    )
    decision_due_on = models.DateField("审批期限", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=16, choices=AidStatus.choices, default=AidStatus.APPLIED
    )
    approved_amount = models.DecimalField(
        "核定金额（元）",
        max_digits=MONEY_DIGITS,
        decimal_places=MONEY_PLACES,
        null=True,
        blank=True,
    )
    decided_on = models.DateField("审批日期", null=True, blank=True)
    funds_arrived_on = models.DateField("资金到位日期", null=True, blank=True)
    payment_due_on = models.DateField("发放期限", null=True, blank=True)
    paid_on = models.DateField("发放日期", null=True, blank=True)
    calendar_warning = models.CharField("日历提示", max_length=200, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="申请登记人",
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "救助"
        verbose_name_plural = "救助"
        ordering = ["-applied_on", "-id"]
        indexes = [
            models.Index(fields=["status", "applied_on"], name="pet_aid_status"),
            models.Index(fields=["matter", "status"], name="pet_aid_matter"),
        ]
        constraints = [
            # One 国家司法救助 per person per case (DOMAIN.md §8 "one-time aid"); a refused
            # application gave nothing and does not count.
            models.UniqueConstraint(
                fields=["person", "court_case"],
                condition=Q(kind=AidKind.JUDICIAL) & ~Q(status=AidStatus.REFUSED),
                name="uniq_pet_judicial_aid_person_case",
            ),
            models.CheckConstraint(
                condition=~Q(kind=AidKind.JUDICIAL) | Q(court_case__isnull=False),
                name="pet_aid_judicial_has_case",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="pet_aid_amount_positive"),
            models.CheckConstraint(
                condition=Q(approved_amount__isnull=True) | Q(approved_amount__gt=0),
                name="pet_aid_approved_positive",
            ),
            # Never above what the court should award (DOMAIN.md §8).
            models.CheckConstraint(
                condition=Q(awardable_amount__isnull=True)
                | (
                    Q(amount__lte=models.F("awardable_amount"))
                    & (
                        Q(approved_amount__isnull=True)
                        | Q(approved_amount__lte=models.F("awardable_amount"))
                    )
                ),
                name="pet_aid_within_award",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=(AidStatus.APPROVED, AidStatus.PAID))
                | Q(approved_amount__isnull=False, decided_on__isnull=False),
                name="pet_aid_approved_recorded",
            ),
            models.CheckConstraint(
                condition=~Q(status=AidStatus.PAID) | Q(paid_on__isnull=False),
                name="pet_aid_paid_recorded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}元"

    @property
    def is_judicial(self) -> bool:
        return self.kind == AidKind.JUDICIAL

    def decision_overdue(self, today: date) -> bool:
        return (
            self.status == AidStatus.APPLIED
            and self.decision_due_on is not None
            and self.decision_due_on < today
        )

    def payment_overdue(self, today: date) -> bool:
        return (
            self.status == AidStatus.APPROVED
            and self.payment_due_on is not None
            and self.payment_due_on < today
        )


class AidApproval(models.Model):
    """One recorded approval step of an aid: who, when, their opinion, the amount they allow.

    A ``cap_exceeded`` row is the special approval (特批) an amount above the 国家司法救助 cap
    needs before it can be approved (DOMAIN.md §8)."""

    aid = models.ForeignKey(Aid, on_delete=models.CASCADE, related_name="approvals")
    kind = models.CharField("审批类型", max_length=16, choices=AidApprovalKind.choices)
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="审批人", on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField("审批日期")
    opinion = models.TextField("审批意见", max_length=TEXT_MAX)
    amount = models.DecimalField(
        "金额（元）",
        max_digits=MONEY_DIGITS,
        decimal_places=MONEY_PLACES,
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "救助审批"
        verbose_name_plural = "救助审批"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.decided_on}"


# --- supervision letters, meetings, daily bulletins (issue 13 items 5–7) ---------------------


class DocumentNumberCounter(models.Model):
    """The sequence of one series of an office's documents in one year: 包政法专督〔2026〕1号,
    2号 … (the 发文机关代字 names the series). The row is locked (``select_for_update``) and
    advanced in the transaction that issues the document, so two sends never share a number and
    a send that rolls back takes its number back: no gaps (GB/T 9704-2012 §7.2.4)."""

    office = models.ForeignKey(
        "orgs.OrgUnit", verbose_name="发文机关", on_delete=models.PROTECT, related_name="+"
    )
    prefix = models.CharField("发文机关代字", max_length=20)
    year = models.PositiveSmallIntegerField("年度")
    last = models.PositiveIntegerField("已用序号", default=0)

    class Meta:
        verbose_name = "发文字号计数器"
        verbose_name_plural = "发文字号计数器"
        constraints = [
            models.UniqueConstraint(
                fields=["office", "prefix", "year"], name="uniq_pet_document_counter"
            )
        ]

    def __str__(self) -> str:
        return f"{self.prefix}〔{self.year}〕{self.last}"


class SupervisionLetterQuerySet(models.QuerySet["SupervisionLetter"]):
    def overdue(self, *, today: date) -> SupervisionLetterQuerySet:
        """Sent, not replied, past the deadline: computed, never stored."""
        return self.filter(status=LetterStatus.SENT, due_on__lt=today)


class SupervisionLetter(TimeStampedModel):
    """A 督办函 from an office (the city office) to a county office or a political-legal unit
    about one or more matters, with its requirements and a deadline for the written reply.

    Its 发文字号 (包政法专督〔2026〕3号) is given when it is sent, from the issuing office's
    sequence of the year (``DocumentNumberCounter``), and the .docx in the 信函 format is
    issued then (``documents.document_issue``, kept as issued)."""

    issuing_office = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name="发函单位",
        on_delete=models.PROTECT,
        related_name="supervision_letters_sent",
    )
    recipient_unit = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name="受函单位",
        on_delete=models.PROTECT,
        related_name="supervision_letters_received",
    )
    matters = models.ManyToManyField(
        PetitionMatter, verbose_name="督办事项", related_name="supervision_letters"
    )
    title = models.CharField("标题", max_length=TITLE_MAX)
    requirements = models.TextField("督办要求", max_length=TEXT_MAX)
    due_on = models.DateField("答复期限")
    status = models.CharField(
        "状态", max_length=16, choices=LetterStatus.choices, default=LetterStatus.DRAFT
    )
    prefix = models.CharField("发文机关代字", max_length=20, blank=True)
    year = models.PositiveSmallIntegerField("年度", null=True, blank=True)
    sequence = models.PositiveIntegerField("序号", null=True, blank=True)
    number = models.CharField("发文字号", max_length=64, blank=True)
    sent_on = models.DateField("发文日期", null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发文人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    document = models.ForeignKey(
        "documents.IssuedDocument",
        verbose_name="督办函文件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reply_text = models.TextField("答复内容", max_length=TEXT_MAX, blank=True)
    replied_on = models.DateField("答复日期", null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="答复人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="拟稿人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = SupervisionLetterQuerySet.as_manager()

    class Meta:
        verbose_name = "督办函"
        verbose_name_plural = "督办函"
        ordering = ["-id"]
        indexes = [models.Index(fields=["status", "due_on"], name="pet_letter_status_due")]
        constraints = [
            models.UniqueConstraint(
                fields=["number"], condition=~Q(number=""), name="uniq_pet_letter_number"
            ),
            models.UniqueConstraint(
                fields=["issuing_office", "prefix", "year", "sequence"],
                condition=Q(sequence__isnull=False),
                name="uniq_pet_letter_sequence",
            ),
            # A draft has no number; a sent or replied letter has its number and date.
            models.CheckConstraint(
                condition=Q(status=LetterStatus.DRAFT, number="")
                | (~Q(status=LetterStatus.DRAFT) & ~Q(number="") & Q(sent_on__isnull=False)),
                name="pet_letter_number_when_sent",
            ),
            models.CheckConstraint(
                condition=~Q(status=LetterStatus.REPLIED) | Q(replied_on__isnull=False),
                name="pet_letter_replied_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number or '（草稿）'} {self.title}"


class ReviewMeeting(TimeStampedModel):
    """An office's meeting on matters: a leaders' dispatch meeting (调度会), which takes matters
    one by one (逐案解剖), or the three-day review (三日一研究), whose agenda is generated from
    the data on every third working day (``agenda``, a snapshot). Decisions become tasks."""

    kind = models.CharField("会议类型", max_length=16, choices=MeetingKind.choices)
    office = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name="召集单位",
        on_delete=models.PROTECT,
        related_name="petition_meetings",
    )
    title = models.CharField("会议名称", max_length=TITLE_MAX)
    held_on = models.DateField("会议日期")
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="主持人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    attendees = models.TextField("参会人员", max_length=REASON_MAX, blank=True)
    summary = models.TextField("会议纪要", max_length=TEXT_MAX, blank=True)
    agenda = models.JSONField("议程", default=dict, blank=True)
    status = models.CharField(
        "状态", max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "调度会/三日一研究"
        verbose_name_plural = "调度会/三日一研究"
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["office", "-held_on"], name="pet_meeting_office_day")]
        constraints = [
            # One generated agenda per office and due day (the periodic task may fire twice).
            models.UniqueConstraint(
                fields=["office", "held_on"],
                condition=Q(kind=MeetingKind.THREE_DAY),
                name="uniq_pet_three_day_review",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.held_on} {self.title}"


class MeetingMatter(models.Model):
    """One matter taken at a meeting (逐案解剖): the minute of the discussion."""

    meeting = models.ForeignKey(
        ReviewMeeting, on_delete=models.CASCADE, related_name="matter_minutes"
    )
    matter = models.ForeignKey(
        PetitionMatter, on_delete=models.PROTECT, related_name="meeting_minutes"
    )
    minute = models.TextField("研究意见", max_length=TEXT_MAX)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="记录人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "逐案研究记录"
        verbose_name_plural = "逐案研究记录"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "matter"], name="uniq_pet_meeting_matter")
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}:{self.matter_id}"


class MeetingTaskQuerySet(models.QuerySet["MeetingTask"]):
    def overdue(self, *, today: date) -> MeetingTaskQuerySet:
        return self.filter(status=MeetingTaskStatus.OPEN, due_on__lt=today)


class MeetingTask(models.Model):
    """A meeting's decision on a matter as a task: what, who, by when; done or overdue."""

    meeting = models.ForeignKey(ReviewMeeting, on_delete=models.CASCADE, related_name="tasks")
    matter = models.ForeignKey(
        PetitionMatter, on_delete=models.PROTECT, related_name="meeting_tasks"
    )
    description = models.TextField("任务内容", max_length=REASON_MAX)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="责任人",
        on_delete=models.PROTECT,
        related_name="petition_meeting_tasks",
    )
    due_on = models.DateField("完成期限")
    status = models.CharField(
        "状态", max_length=16, choices=MeetingTaskStatus.choices, default=MeetingTaskStatus.OPEN
    )
    done_on = models.DateField("完成日期", null=True, blank=True)
    done_note = models.TextField("落实情况", max_length=REASON_MAX, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="确认人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="交办人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("交办时间", auto_now_add=True)

    objects = MeetingTaskQuerySet.as_manager()

    class Meta:
        verbose_name = "会议交办任务"
        verbose_name_plural = "会议交办任务"
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["status", "due_on"], name="pet_meeting_task_due"),
            models.Index(fields=["owner", "status"], name="pet_meeting_task_owner"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=MeetingTaskStatus.DONE) | Q(done_on__isnull=False),
                name="pet_meeting_task_done_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.matter_id}: {self.description[:20]}"


class DailyBulletin(models.Model):
    """每日一通报: the figures of one working day by region and by unit, kept as issued.

    ``figures`` is the snapshot the bulletin was made from and its .docx (``document``) was
    rendered from; later changes to the data never rewrite either (one bulletin per day)."""

    day = models.DateField("通报日期", unique=True)
    office = models.ForeignKey(
        "orgs.OrgUnit", verbose_name="发文单位", on_delete=models.PROTECT, related_name="+"
    )
    prefix = models.CharField("发文机关代字", max_length=20)
    year = models.PositiveSmallIntegerField("年度")
    sequence = models.PositiveIntegerField("序号")
    number = models.CharField("发文字号", max_length=64, unique=True)
    title = models.CharField("标题", max_length=TITLE_MAX)
    figures = models.JSONField("通报数据")
    document = models.ForeignKey(
        "documents.IssuedDocument",
        verbose_name="通报文件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    generated_at = models.DateTimeField("生成时间")
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="生成人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="空：由定时任务生成",
    )

    class Meta:
        verbose_name = "每日通报"
        verbose_name_plural = "每日通报"
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "prefix", "year", "sequence"], name="uniq_pet_bulletin_sequence"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.day}"
