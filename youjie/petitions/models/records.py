"""The work on a matter (issue 13 item 4): work records (核查, 约访 …) with their files, the
coordination requests to government departments (协调联动, ``coordination_overdue_q``), and aid
for petitioners in hardship (国家司法救助 with its wage base and approvals, social assistance).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from youjie.core.models import TimeStampedModel
from youjie.petitions.choices import (
    AidApprovalKind,
    AidKind,
    AidStatus,
    CoordinationStatus,
    PetitionerAttitude,
    WorkRecordKind,
)
from youjie.petitions.models.common import (
    ATTACHMENT_NAME_MAX,
    MONEY_DIGITS,
    MONEY_PLACES,
    PLACE_MAX,
    TEXT_MAX,
)
from youjie.petitions.models.matters import PetitionMatter


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
