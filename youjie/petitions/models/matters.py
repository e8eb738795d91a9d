"""Petition matters (涉法涉诉信访事项) and what hangs off one matter: its labels (骨头案, 钉子案 …),
the per-year number counter, its petitioners, its task force (一案一专班), the evidence of its
resolution and the return visits that confirm 心了. ``matter_overdue_q`` is the one definition
of an overdue matter.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q

from youjie.core.models import TimeStampedModel
from youjie.petitions.choices import (
    OPEN_MATTER_STATUSES,
    RESOLVED_MATTER_STATUSES,
    EvidenceKind,
    MatterCategory,
    MatterOrigin,
    MatterStatus,
    OutcomeType,
    PetitionerRole,
    ReturnVisitMethod,
    TaskForceRole,
)
from youjie.petitions.deadlines import MAX_EXTENSION_DAYS
from youjie.petitions.models.common import HISTORY_MAX, NAME_MAX, REASON_MAX, TEXT_MAX, TITLE_MAX

if TYPE_CHECKING:
    from youjie.people.models import Person


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
