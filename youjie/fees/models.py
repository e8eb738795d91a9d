"""Fee notices of court cases and their payment (码上缴费, ../shared/DOMAIN.md §4).

A ``FeeNotice`` (缴费通知书) names what a party of a court case pays, line by line with the
article of 《诉讼费用交纳办法》 behind each line (the calculator's result, kept as issued), and by
when: 7 日 from the day after the notice (Art. 22). It is paid online through a ``PaymentOrder``
of a payment provider (its asynchronous notifications kept as ``PaymentNotification`` rows) or at
the court's counter (``CounterPayment``); refunds (``Refund``), fee relief (``ReliefApplication``:
缓交, 减交, 免交) and the daily statement's reconciliation (``Reconciliation``) hang off it.

Amounts are ``Decimal`` yuan to the 分; the provider's integer 分 are converted at its edge.
Statuses change only in one helper per entity (youjie/fees/services/common.py and friends,
listed in tests/test_status_writes.py), each checking its map in youjie/fees/transitions.py.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from youjie.core.models import TimeStampedModel
from youjie.courtcases.choices import PartyRole
from youjie.fees.choices import (
    FeeKind,
    FeeType,
    NoticeStatus,
    NotificationOutcome,
    OrderStatus,
    PayerKind,
    PaymentProvider,
    Procedure,
    RefundMethod,
    RefundReason,
    RefundStatus,
    ReliefKind,
    ReliefStatus,
)

MONEY_DIGITS = 16
MONEY_PLACES = 2
TEXT_MAX = 2000
NAME_MAX = 200


class FeeNoticeCounter(models.Model):
    """The last number given to a court's notices of a year (no gaps: taken in the issuing
    transaction, given back by its rollback)."""

    court = models.ForeignKey(
        "orgs.OrgUnit", verbose_name="法院", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("年度")
    last = models.PositiveIntegerField("已用序号", default=0)

    class Meta:
        verbose_name = "缴费通知书编号"
        verbose_name_plural = "缴费通知书编号"
        constraints = [
            models.UniqueConstraint(fields=["court", "year"], name="fees_counter_court_year")
        ]

    def __str__(self) -> str:
        return f"{self.court_id} {self.year}: {self.last}"


class FeeNotice(TimeStampedModel):
    court_case = models.ForeignKey(
        "courtcases.CourtCase",
        verbose_name="案件",
        on_delete=models.PROTECT,
        related_name="fee_notices",
    )
    # The case's court, kept on the notice: its number, its list and its scope go by it.
    court = models.ForeignKey(
        "orgs.OrgUnit", verbose_name="法院", on_delete=models.PROTECT, related_name="fee_notices"
    )
    number = models.CharField("通知书编号", max_length=60, unique=True)
    year = models.PositiveSmallIntegerField("年度")
    sequence = models.PositiveIntegerField("序号")
    party = models.ForeignKey(
        "courtcases.CaseParty",
        verbose_name="交费当事人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="fee_notices",
    )
    payer_name = models.CharField("交费人", max_length=NAME_MAX)
    payer_role = models.CharField("诉讼地位", max_length=32, choices=PartyRole.choices)
    payer_kind = models.CharField(
        "交费人类型", max_length=16, choices=PayerKind.choices, default=PayerKind.PERSON
    )
    payer_phone_encrypted = models.TextField("联系电话（加密）", blank=True)
    payer_phone_masked = models.CharField("联系电话", max_length=20, blank=True)
    # The calculator's input and result, as issued (youjie/fees/calculator.py).
    fee_kind = models.CharField("费用类型", max_length=32, choices=FeeKind.choices)
    fee_type = models.CharField("费用名称", max_length=32)
    procedure = models.CharField(
        "审理程序", max_length=16, choices=Procedure.choices, default=Procedure.ORDINARY
    )
    claim_amount = models.DecimalField(
        "计费金额（元）",
        max_digits=MONEY_DIGITS,
        decimal_places=MONEY_PLACES,
        null=True,
        blank=True,
    )
    lines = models.JSONField("计费明细", default=list)
    notes = models.JSONField("说明", default=list, blank=True)
    total_amount = models.DecimalField(
        "应交金额（元）", max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES
    )
    # What is to be paid: the total, less a granted 减交 (Art. 46).
    amount_due = models.DecimalField(
        "实交金额（元）", max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES
    )
    issued_at = models.DateTimeField("开具时间")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="开具人",
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_on = models.DateField("缴费期限")
    status = models.CharField(
        "状态", max_length=16, choices=NoticeStatus.choices, default=NoticeStatus.ISSUED
    )
    paid_at = models.DateTimeField("缴费时间", null=True, blank=True)
    paid_amount = models.DecimalField(
        "已缴金额（元）",
        max_digits=MONEY_DIGITS,
        decimal_places=MONEY_PLACES,
        default=Decimal("0.00"),
    )
    refunded_amount = models.DecimalField(
        "已退金额（元）",
        max_digits=MONEY_DIGITS,
        decimal_places=MONEY_PLACES,
        default=Decimal("0.00"),
    )
    # The pay page's address carries a random token; it is kept encrypted (to print it again)
    # with a keyed hash to find it, so that the table alone does not open any pay page.
    token_encrypted = models.TextField("缴费链接（加密）")
    token_hash = models.CharField("缴费链接摘要", max_length=64, unique=True)

    class Meta:
        verbose_name = "缴费通知书"
        verbose_name_plural = "缴费通知书"
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["court", "status", "due_on"], name="fees_notice_court_status"),
            models.Index(fields=["status", "due_on"], name="fees_notice_status_due"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["court", "year", "sequence"], name="fees_notice_court_year_seq"
            ),
            models.CheckConstraint(condition=Q(total_amount__gte=0), name="fees_notice_total"),
            models.CheckConstraint(
                condition=Q(amount_due__gte=0) & Q(amount_due__lte=models.F("total_amount")),
                name="fees_notice_amount_due",
            ),
            models.CheckConstraint(
                condition=Q(refunded_amount__gte=0)
                & Q(refunded_amount__lte=models.F("paid_amount")),
                name="fees_notice_refunded",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def fee_type_label(self) -> str:
        return str(FeeType(self.fee_type).label) if self.fee_type in FeeType.values else "诉讼费"

    @property
    def outstanding(self) -> Decimal:
        return max(self.amount_due - self.paid_amount, Decimal("0.00"))


class PaymentOrder(TimeStampedModel):
    """One order at the payment provider for a notice (Native pay: a QR code to scan)."""

    notice = models.ForeignKey(
        FeeNotice, verbose_name="缴费通知书", on_delete=models.PROTECT, related_name="orders"
    )
    provider = models.CharField("支付渠道", max_length=16, choices=PaymentProvider.choices)
    out_trade_no = models.CharField("商户订单号", max_length=32, unique=True)
    amount = models.DecimalField("金额（元）", max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES)
    status = models.CharField(
        "状态", max_length=16, choices=OrderStatus.choices, default=OrderStatus.CREATED
    )
    code_url = models.CharField("支付链接", max_length=500, blank=True)
    expires_at = models.DateTimeField("失效时间")
    transaction_id = models.CharField("支付渠道交易号", max_length=64, blank=True)
    paid_at = models.DateTimeField("支付时间", null=True, blank=True)
    query_result = models.JSONField("查询结果", default=dict, blank=True)
    queried_at = models.DateTimeField("查询时间", null=True, blank=True)

    class Meta:
        verbose_name = "支付订单"
        verbose_name_plural = "支付订单"
        ordering = ["-id"]
        constraints = [
            # A notice is paid once: one paid order at most.
            models.UniqueConstraint(
                fields=["notice"],
                condition=Q(status=OrderStatus.PAID),
                name="fees_order_one_paid_per_notice",
            ),
            models.UniqueConstraint(
                fields=["provider", "transaction_id"],
                condition=~Q(transaction_id=""),
                name="fees_order_transaction_unique",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="fees_order_amount"),
        ]

    def __str__(self) -> str:
        return self.out_trade_no


class PaymentNotification(models.Model):
    """Every asynchronous notification received, accepted or refused, kept for audit. An
    accepted notification id is unique per provider: a replay is refused and recorded as its
    own row."""

    provider = models.CharField("支付渠道", max_length=16, choices=PaymentProvider.choices)
    received_at = models.DateTimeField("收到时间", auto_now_add=True, db_index=True)
    notification_id = models.CharField("通知编号", max_length=64, blank=True)
    event_type = models.CharField("通知类型", max_length=64, blank=True)
    outcome = models.CharField("处理结果", max_length=24, choices=NotificationOutcome.choices)
    reason = models.CharField("原因", max_length=500, blank=True)
    order = models.ForeignKey(
        PaymentOrder,
        verbose_name="订单",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notifications",
    )
    out_trade_no = models.CharField("商户订单号", max_length=64, blank=True)
    transaction_id = models.CharField("支付渠道交易号", max_length=64, blank=True)
    amount_fen = models.BigIntegerField("通知金额（分）", null=True, blank=True)
    signature_serial = models.CharField("签名证书序列号", max_length=100, blank=True)
    signed_at = models.CharField("签名时间戳", max_length=20, blank=True)
    body = models.TextField("报文", blank=True)
    remote_address = models.GenericIPAddressField("来源地址", null=True, blank=True)

    class Meta:
        verbose_name = "支付通知"
        verbose_name_plural = "支付通知"
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "notification_id"],
                condition=Q(outcome=NotificationOutcome.ACCEPTED),
                name="fees_notification_accepted_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.notification_id or '（无编号）'} {self.get_outcome_display()}"


class CounterPayment(TimeStampedModel):
    """A payment at the court's counter (or bank transfer), confirmed by staff with its receipt."""

    notice = models.OneToOneField(
        FeeNotice,
        verbose_name="缴费通知书",
        on_delete=models.PROTECT,
        related_name="counter_payment",
    )
    amount = models.DecimalField("金额（元）", max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES)
    receipt_number = models.CharField("收据号", max_length=40)
    paid_on = models.DateField("缴费日期")
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="确认人", on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField("备注", max_length=500, blank=True)

    class Meta:
        verbose_name = "窗口缴费"
        verbose_name_plural = "窗口缴费"
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["receipt_number"], name="fees_counter_receipt_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="fees_counter_amount"),
        ]

    def __str__(self) -> str:
        return self.receipt_number


class Refund(TimeStampedModel):
    notice = models.ForeignKey(
        FeeNotice, verbose_name="缴费通知书", on_delete=models.PROTECT, related_name="refunds"
    )
    order = models.ForeignKey(
        PaymentOrder,
        verbose_name="原支付订单",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="refunds",
    )
    method = models.CharField("退费方式", max_length=16, choices=RefundMethod.choices)
    out_refund_no = models.CharField("退费单号", max_length=64, unique=True)
    amount = models.DecimalField(
        "退费金额（元）", max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES
    )
    reason = models.CharField("退费原因", max_length=32, choices=RefundReason.choices)
    article = models.CharField("依据", max_length=200)
    note = models.CharField("说明", max_length=500, blank=True)
    effective_on = models.DateField("法律文书生效日期")
    # Art. 53: refunds within 15 日 of the document taking effect.
    due_on = models.DateField("退费期限")
    status = models.CharField(
        "状态", max_length=16, choices=RefundStatus.choices, default=RefundStatus.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT, related_name="+"
    )
    provider_refund_id = models.CharField("渠道退款单号", max_length=64, blank=True)
    bank_reference = models.CharField("转账凭证号", max_length=64, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    failure_reason = models.CharField("失败原因", max_length=500, blank=True)
    provider_result = models.JSONField("渠道返回", default=dict, blank=True)

    class Meta:
        verbose_name = "退费"
        verbose_name_plural = "退费"
        ordering = ["-id"]
        indexes = [models.Index(fields=["status", "due_on"], name="fees_refund_status_due")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="fees_refund_amount"),
        ]

    def __str__(self) -> str:
        return self.out_refund_no


class ReliefApplication(TimeStampedModel):
    """缓交, 减交 or 免交 (Art. 44–51): applied for in writing with proof of hardship, decided by
    the court with written reasons for a refusal (Art. 48)."""

    notice = models.ForeignKey(
        FeeNotice,
        verbose_name="缴费通知书",
        on_delete=models.PROTECT,
        related_name="relief_applications",
    )
    kind = models.CharField("救助方式", max_length=16, choices=ReliefKind.choices)
    applicant_name = models.CharField("申请人", max_length=NAME_MAX)
    applicant_kind = models.CharField("申请人类型", max_length=16, choices=PayerKind.choices)
    reasons = models.TextField("申请理由")
    requested_percent = models.PositiveSmallIntegerField("申请减交比例（%）", null=True, blank=True)
    requested_until = models.DateField("申请缓交至", null=True, blank=True)
    submitted_online = models.BooleanField("网上申请", default=False)
    status = models.CharField(
        "状态", max_length=16, choices=ReliefStatus.choices, default=ReliefStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="决定人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("决定时间", null=True, blank=True)
    decision_reasons = models.TextField("决定理由", blank=True)
    granted_percent = models.PositiveSmallIntegerField("准予减交比例（%）", null=True, blank=True)
    granted_until = models.DateField("准予缓交至", null=True, blank=True)

    class Meta:
        verbose_name = "诉讼费救助申请"
        verbose_name_plural = "诉讼费救助申请"
        ordering = ["-id"]
        constraints = [
            # One application under review per notice at a time.
            models.UniqueConstraint(
                fields=["notice"],
                condition=Q(status=ReliefStatus.PENDING),
                name="fees_relief_one_pending",
            ),
            models.CheckConstraint(
                condition=Q(requested_percent__isnull=True)
                | Q(requested_percent__gte=30, requested_percent__lte=100),
                name="fees_relief_requested_percent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.applicant_name} {self.get_kind_display()}"


class ReliefAttachment(models.Model):
    """Proof of hardship, checked by content (PDF, JPG, PNG) as well as by extension."""

    application = models.ForeignKey(
        ReliefApplication,
        verbose_name="救助申请",
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField("文件", upload_to="fees/relief/%Y/%m/")
    original_name = models.CharField("文件名", max_length=100)
    content_type = models.CharField("类型", max_length=40)
    size = models.PositiveIntegerField("大小")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "救助申请证明材料"
        verbose_name_plural = "救助申请证明材料"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name


class Reconciliation(TimeStampedModel):
    """One uploaded daily statement of the provider (WeChat Pay's 交易账单, CSV), matched against
    the payments and refunds of the court: what is missing on either side and what differs."""

    court = models.ForeignKey(
        "orgs.OrgUnit", verbose_name="法院", on_delete=models.PROTECT, related_name="+"
    )
    provider = models.CharField("支付渠道", max_length=16, choices=PaymentProvider.choices)
    statement_date = models.DateField("账单日期")
    file_name = models.CharField("文件名", max_length=100)
    sha256 = models.CharField("SHA-256", max_length=64)
    content = models.TextField("账单内容")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    statement_rows = models.PositiveIntegerField("账单笔数", default=0)
    matched = models.PositiveIntegerField("一致笔数", default=0)
    # [{"kind": "missing_ours" | "missing_theirs" | "amount", "out_trade_no", "transaction_id",
    #   "ours": "100.00" | None, "theirs": "90.00" | None, "what": "payment" | "refund"}]
    differences = models.JSONField("差异", default=list, blank=True)

    class Meta:
        verbose_name = "对账"
        verbose_name_plural = "对账"
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.statement_date:%Y-%m-%d} {self.file_name}"
