"""Pre-litigation mediation (诉前调解): a filing the court delegates to a mediation organisation
and mediator (委派调解) or keeps (法官+调解), its sessions, extensions, and how it ends — an
agreement closed by a judicial confirmation (司法确认) or a mediation document (调解书), or a
failure that sends the filing on to review.

Statuses move only through the helpers of ``services.common`` (transitions.py holds the maps);
the clocks (3 working days to assign and to accept, 30 days to mediate, 30 days to apply for a
confirmation, 3 and 15 days for the court) are computed in ``deadlines.py`` from the dates kept
here. No personal data is stored here: the parties and their phones stay on the filing.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from youjie.core.models import TimeStampedModel
from youjie.mediation.choices import (
    ConfirmationStatus,
    MediationMode,
    MediationStatus,
    SessionKind,
    SessionStatus,
)

NUMBER_MAX = 40
TEXT_MAX = 4000
REASON_MAX = 1000
PLACE_MAX = 200
URL_MAX = 200
NAME_MAX = 100


class Mediation(TimeStampedModel):
    # （2026）内0206民诉前调12号: the court's yearly 民诉前调 sequence (services.common).
    number = models.CharField("调解案号", max_length=NUMBER_MAX, unique=True)
    filing = models.OneToOneField(
        "filings.Filing",
        verbose_name="立案申请",
        on_delete=models.PROTECT,
        related_name="mediation",
    )
    # The filing's competent court at delegation: its staff supervise the mediation.
    court = models.ForeignKey(
        "orgs.OrgUnit", verbose_name="委派法院", on_delete=models.PROTECT, related_name="mediations"
    )
    mode = models.CharField("调解方式", max_length=16, choices=MediationMode.choices)
    organisation = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name="调解组织",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="delegated_mediations",
    )
    mediator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="调解员",
        on_delete=models.PROTECT,
        related_name="mediations",
    )
    status = models.CharField(
        "状态", max_length=20, choices=MediationStatus.choices, default=MediationStatus.ASSIGNED
    )
    # The day the party applied for (consented to) mediation: the court assigns within 3
    # working days of it (人民法院在线调解规则 Art. 10).
    applied_on = models.DateField("申请调解日期")
    assigned_at = models.DateTimeField("委派时间")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="委派人",
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The 30-day clock starts when the mediator confirms acceptance (Art. 24).
    accepted_at = models.DateTimeField("确认接受时间", null=True, blank=True)
    due_on = models.DateField("调解期限", null=True, blank=True)
    original_due_on = models.DateField("原定调解期限", null=True, blank=True)
    agreed_on = models.DateField("协议生效日期", null=True, blank=True)
    agreement = models.TextField("调解协议内容", max_length=TEXT_MAX, blank=True)
    failure_reason = models.TextField("调解不成原因", max_length=REASON_MAX, blank=True)
    ended_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        verbose_name = "诉前调解"
        verbose_name_plural = "诉前调解"
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(mode=MediationMode.DELEGATED) & Q(organisation__isnull=False))
                | (Q(mode=MediationMode.COURT) & Q(organisation__isnull=True)),
                name="mediation_organisation_matches_mode",
            ),
            models.CheckConstraint(
                condition=Q(status=MediationStatus.ASSIGNED)
                | Q(status=MediationStatus.FAILED)
                | Q(status=MediationStatus.WITHDRAWN)
                | Q(accepted_at__isnull=False, due_on__isnull=False),
                name="mediation_accepted_has_clock",
            ),
            models.CheckConstraint(
                condition=~Q(
                    status__in=[
                        MediationStatus.AGREED,
                        MediationStatus.CLOSED_CONFIRMED,
                        MediationStatus.CLOSED_DOCUMENT,
                    ]
                )
                | Q(agreed_on__isnull=False),
                name="mediation_agreed_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["court", "status"], name="mediation_court_status_idx"),
            models.Index(fields=["mediator", "status"], name="mediation_mediator_status_idx"),
            models.Index(fields=["status", "due_on"], name="mediation_status_due_idx"),
        ]

    def __str__(self) -> str:
        return self.number


class MediationExtension(models.Model):
    """A longer mediation period agreed by all parties (Art. 24: 经各方当事人同意的, 可以延长)."""

    mediation = models.ForeignKey(Mediation, on_delete=models.CASCADE, related_name="extensions")
    previous_due_on = models.DateField("原期限")
    new_due_on = models.DateField("延长至")
    reason = models.TextField("延长理由", max_length=REASON_MAX)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "调解期限延长"
        verbose_name_plural = "调解期限延长"
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(new_due_on__gt=F("previous_due_on")),
                name="mediation_extension_moves_later",
            )
        ]

    def __str__(self) -> str:
        return f"{self.previous_due_on:%Y-%m-%d} → {self.new_due_on:%Y-%m-%d}"


class MediationSession(models.Model):
    """One mediation session: online (a link to an external video system, https only) or in
    person (a place). Participants are told by SMS when it is scheduled and the day before."""

    mediation = models.ForeignKey(Mediation, on_delete=models.CASCADE, related_name="sessions")
    kind = models.CharField("方式", max_length=16, choices=SessionKind.choices)
    scheduled_at = models.DateTimeField("调解时间")
    video_url = models.CharField("视频会议链接", max_length=URL_MAX, blank=True)
    place = models.CharField("调解地点", max_length=PLACE_MAX, blank=True)
    status = models.CharField(
        "状态", max_length=16, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED
    )
    notes = models.TextField("调解情况", max_length=TEXT_MAX, blank=True)
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="安排人", on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="记录人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField("记录时间", null=True, blank=True)
    reminded_at = models.DateTimeField("提醒时间", null=True, blank=True)
    created_at = models.DateTimeField("安排时间", auto_now_add=True)

    class Meta:
        verbose_name = "调解会议"
        verbose_name_plural = "调解会议"
        ordering = ["scheduled_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind=SessionKind.ONLINE) & ~Q(video_url=""))
                | (Q(kind=SessionKind.IN_PERSON) & ~Q(place="")),
                name="mediation_session_has_link_or_place",
            )
        ]
        indexes = [
            models.Index(fields=["status", "scheduled_at"], name="mediation_session_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.scheduled_at:%Y-%m-%d %H:%M}"


class JudicialConfirmation(models.Model):
    """司法确认 of a mediation agreement: applied for jointly within 30 days of the agreement
    taking effect (民事诉讼法 Art. 205); the court decides on acceptance within 3 days and on
    confirmation within 15 days of acceptance, +10 with the president's approval (人民调解协议
    司法确认程序的若干规定 Art. 4-5). An accepted application gets a 民特 case number."""

    mediation = models.OneToOneField(
        Mediation, on_delete=models.CASCADE, related_name="confirmation"
    )
    status = models.CharField(
        "状态",
        max_length=16,
        choices=ConfirmationStatus.choices,
        default=ConfirmationStatus.APPLIED,
    )
    applicants = models.CharField("申请人", max_length=PLACE_MAX)
    applied_on = models.DateField("申请日期")
    accepted_on = models.DateField("受理日期", null=True, blank=True)
    case_number = models.CharField("司法确认案号", max_length=NUMBER_MAX, blank=True)
    decision_extended = models.BooleanField("经院长批准延长", default=False)
    extension_approved_by = models.CharField("批准人", max_length=NAME_MAX, blank=True)
    extension_reason = models.TextField("延长理由", max_length=REASON_MAX, blank=True)
    decided_on = models.DateField("决定日期", null=True, blank=True)
    reason = models.TextField("理由", max_length=REASON_MAX, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "司法确认"
        verbose_name_plural = "司法确认"
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case_number"],
                condition=~Q(case_number=""),
                name="uniq_confirmation_case_number",
            ),
            models.CheckConstraint(
                condition=Q(status=ConfirmationStatus.APPLIED)
                | Q(status=ConfirmationStatus.NOT_ACCEPTED)
                | (Q(accepted_on__isnull=False) & ~Q(case_number="")),
                name="confirmation_accepted_has_number",
            ),
        ]

    def __str__(self) -> str:
        return self.case_number or f"司法确认申请（{self.mediation}）"


class MediationDocument(models.Model):
    """The court's 民事调解书 that closes an agreed mediation instead of a confirmation."""

    mediation = models.OneToOneField(Mediation, on_delete=models.CASCADE, related_name="document")
    case_number = models.CharField("调解书案号", max_length=NUMBER_MAX, unique=True)
    issued_on = models.DateField("出具日期")
    summary = models.TextField("调解书内容摘要", max_length=TEXT_MAX, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "调解书"
        verbose_name_plural = "调解书"
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.case_number


class CaseNumberCounter(models.Model):
    """The last sequence a court gave a type of case in a year (民诉前调, 民特), locked and
    advanced in the numbering transaction."""

    court = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    type_code = models.CharField("类型代字", max_length=8)
    year = models.PositiveSmallIntegerField("年度")
    last = models.PositiveIntegerField("已用序号", default=0)

    class Meta:
        verbose_name = "案号序号"
        verbose_name_plural = "案号序号"
        constraints = [
            models.UniqueConstraint(
                fields=["court", "type_code", "year"], name="uniq_mediation_number_counter"
            )
        ]

    def __str__(self) -> str:
        return f"{self.court} {self.type_code} {self.year}: {self.last}"
