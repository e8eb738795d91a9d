"""Filings (网上立案, 跨域立案): what a party or lawyer files, until a court case or a refusal.

Personal data of parties (ID numbers, phones, addresses) is stored as Fernet tokens
(youjie.core.crypto) with a masked form for lists; the submitter's phone also as a keyed hash, so
that the portal can find a caller's own filings after a phone-code check without decrypting.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from youjie.core.models import TimeStampedModel
from youjie.filings.choices import (
    FilingCaseKind,
    FilingChannel,
    FilingPartyRole,
    FilingProcedure,
    FilingStatus,
    MaterialKind,
    PartyKind,
    SubmitterKind,
)

ATTACHMENT_NAME_MAX = 100


class Filing(TimeStampedModel):
    # 立案申请编号, e.g. 网立2026-000123: one sequence per year over all courts (services).
    number = models.CharField("申请编号", max_length=20, unique=True)
    year = models.PositiveSmallIntegerField("年度")
    sequence = models.PositiveIntegerField("序号")
    status = models.CharField(
        "状态", max_length=20, choices=FilingStatus.choices, default=FilingStatus.REVIEW
    )
    channel = models.CharField(
        "渠道", max_length=16, choices=FilingChannel.choices, default=FilingChannel.PORTAL
    )
    # The court the materials were handed to (协作法院) and the one with jurisdiction (管辖法院).
    receiving_court = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name="收件法院",
        on_delete=models.PROTECT,
        related_name="filings_received",
    )
    competent_court = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name="管辖法院",
        on_delete=models.PROTECT,
        related_name="filings_competent",
    )
    cross_domain = models.BooleanField("跨域立案", default=False)
    case_kind = models.CharField("案件类型", max_length=24, choices=FilingCaseKind.choices)
    procedure = models.CharField(
        "适用程序",
        max_length=16,
        choices=FilingProcedure.choices,
        default=FilingProcedure.ORDINARY,
    )
    cause = models.CharField("案由", max_length=100)
    claims = models.TextField("诉讼请求", max_length=4000)
    amount = models.DecimalField(
        "标的额（元）", max_digits=16, decimal_places=2, null=True, blank=True
    )
    facts_and_reasons = models.TextField("事实与理由", max_length=20000)
    # Who filed: a party, their lawyer or another agent; the phone is the identity-check key.
    submitter_kind = models.CharField("提交人身份", max_length=16, choices=SubmitterKind.choices)
    submitter_name = models.CharField("提交人", max_length=100)
    submitter_phone_encrypted = models.TextField("提交人手机（密文）")
    submitter_phone_hash = models.CharField("提交人手机摘要", max_length=64, db_index=True)
    submitter_phone_masked = models.CharField("提交人手机（脱敏）", max_length=16)
    lawyer_licence_number = models.CharField("律师执业证号", max_length=17, blank=True)
    law_firm = models.CharField("律师事务所", max_length=100, blank=True)
    mediation_consent = models.BooleanField("同意诉前调解", default=False)
    # Clocks (DOMAIN.md §6-§7): both courts' receipt times are kept; the 7-day decision runs
    # from receipt at the competent court, again from the day a supplement arrives.
    submitted_at = models.DateTimeField("提交时间")
    forwarded_at = models.DateTimeField("转交时间", null=True, blank=True)
    competent_received_at = models.DateTimeField("管辖法院收到时间", null=True, blank=True)
    decision_due = models.DateField("审查期限", null=True, blank=True)
    supplement_requested_at = models.DateTimeField("补正通知时间", null=True, blank=True)
    supplement_items = models.JSONField("补正事项", default=list, blank=True)
    supplement_received_at = models.DateTimeField("补正提交时间", null=True, blank=True)
    # How many supplements have arrived (the materials of round N carry supplement_round N),
    # and the keyed hash of the one-time code sent with the notice (the public supplement page).
    supplement_round = models.PositiveSmallIntegerField("补正轮次", default=0)
    supplement_code_hash = models.CharField("补正码摘要", max_length=64, blank=True)
    decided_at = models.DateTimeField("决定时间", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审查人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    refusal_reason = models.TextField("不予受理理由", max_length=4000, blank=True)
    fast_track = models.BooleanField("繁简分流（速裁）", default=False)
    court_case = models.OneToOneField(
        "courtcases.CourtCase",
        verbose_name="立案案件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="filing",
    )
    desk_request_number = models.CharField("关联诉求编号", max_length=32, blank=True)

    class Meta:
        verbose_name = "立案申请"
        verbose_name_plural = "立案申请"
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="uniq_filing_year_sequence"),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="filing_amount_not_negative",
            ),
            models.CheckConstraint(
                condition=~Q(status=FilingStatus.ACCEPTED) | Q(court_case__isnull=False),
                name="filing_accepted_has_case",
            ),
        ]
        indexes = [
            models.Index(fields=["competent_court", "status"], name="filing_competent_status_idx"),
            models.Index(fields=["receiving_court", "status"], name="filing_receiving_status_idx"),
            models.Index(fields=["status", "decision_due"], name="filing_status_due_idx"),
        ]

    def __str__(self) -> str:
        return self.number


class FilingParty(models.Model):
    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="parties")
    role = models.CharField("诉讼地位", max_length=24, choices=FilingPartyRole.choices)
    kind = models.CharField("类型", max_length=16, choices=PartyKind.choices)
    name = models.CharField("姓名/名称", max_length=200)
    # A resident ID number (person) or a unified social credit code (enterprise).
    id_number_encrypted = models.TextField("证件号码（密文）", blank=True, default="")
    id_number_masked = models.CharField("证件号码（脱敏）", max_length=18, blank=True)
    phone_encrypted = models.TextField("联系电话（密文）", blank=True, default="")
    phone_masked = models.CharField("联系电话（脱敏）", max_length=16, blank=True)
    address_encrypted = models.TextField("住所/送达地址（密文）", blank=True, default="")
    agent_name = models.CharField("代理人", max_length=100, blank=True)
    agent_licence_number = models.CharField("代理律师执业证号", max_length=17, blank=True)
    # Linked when the filing is accepted (or earlier by staff): the dossier shows the filing.
    person = models.ForeignKey(
        "people.Person",
        verbose_name="自然人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="filing_parties",
    )
    enterprise = models.ForeignKey(
        "people.Enterprise",
        verbose_name="企业",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="filing_parties",
    )

    class Meta:
        verbose_name = "立案当事人"
        verbose_name_plural = "立案当事人"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.name}"


class FilingMaterial(models.Model):
    """One item of the materials list: a document, optionally with its file (PDF/JPG/PNG,
    type checked by content, SHA-256 kept). ``supplement_round`` 0 is the first submission."""

    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="materials")
    kind = models.CharField("材料类型", max_length=24, choices=MaterialKind.choices)
    title = models.CharField("材料名称", max_length=200)
    file = models.FileField("文件", upload_to="filings/%Y/%m/", blank=True)
    original_name = models.CharField("文件名", max_length=ATTACHMENT_NAME_MAX, blank=True)
    content_type = models.CharField("文件类型", max_length=50, blank=True)
    size = models.PositiveIntegerField("大小（字节）", default=0)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    supplement_round = models.PositiveSmallIntegerField("补正轮次", default=0)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)

    class Meta:
        verbose_name = "立案材料"
        verbose_name_plural = "立案材料"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title
