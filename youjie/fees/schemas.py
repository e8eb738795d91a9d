"""Input and output schemas of /api/v1/fees (fee notices and their payment). Inputs derive from
``InputSchema`` (no NUL characters) with size limits; amounts travel as decimal strings."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Field, Schema

from youjie.core.schemas import InputSchema
from youjie.courtcases.choices import PartyRole
from youjie.fees.calculator import MAX_AMOUNT_CHARS
from youjie.fees.choices import (
    AdministrativeSubject,
    FeeKind,
    NoticeFilter,
    PayerKind,
    Procedure,
    RefundReason,
)
from youjie.fees.models import (
    NAME_MAX,
    TEXT_MAX,
    FeeNotice,
    PaymentOrder,
    Refund,
    ReliefApplication,
)

MONEY_PATTERN = r"^[0-9]{1,14}(\.[0-9]{1,2})?$"
ID_MAX = 2**31 - 1


# --- inputs ---------------------------------------------------------------------------------


class NoticeIssueIn(InputSchema):
    court_case_id: int = Field(..., ge=1, le=ID_MAX, description="案件ID")
    fee_kind: FeeKind = Field(..., description="费用类型")
    claim_amount: str | None = Field(
        None, max_length=MAX_AMOUNT_CHARS, description="计费金额（元）；不涉及金额的不填"
    )
    procedure: Procedure = Field(Procedure.ORDINARY, description="审理程序")
    administrative_subject: AdministrativeSubject = Field(AdministrativeSubject.OTHER)
    party_id: int | None = Field(None, ge=1, le=ID_MAX, description="交费当事人（本案当事人ID）")
    payer_name: str = Field("", max_length=NAME_MAX, description="交费人（不选当事人时填写）")
    payer_role: PartyRole | None = Field(None, description="交费人诉讼地位（不选当事人时填写）")
    payer_kind: PayerKind = Field(PayerKind.PERSON, description="交费人类型")
    payer_phone: str = Field("", max_length=20, description="交费人手机（接收缴费短信）")


class NoticeFilters(InputSchema):
    state: NoticeFilter | None = Field(None, description="状态筛选")
    q: str = Field("", max_length=60, description="通知书编号、案号或交费人")
    court_case_id: int | None = Field(None, ge=1, le=ID_MAX)
    page: int = Field(1, ge=1, le=10_000)
    page_size: int = Field(25, ge=1, le=100)


class CounterPaymentIn(InputSchema):
    paid_amount: str = Field(
        ..., max_length=20, pattern=MONEY_PATTERN, description="缴费金额（元）"
    )
    receipt_number: str = Field(..., min_length=1, max_length=40, description="收据号")
    paid_on: date = Field(..., description="缴费日期")
    note: str = Field("", max_length=500)


class RefundIn(InputSchema):
    refund_amount: str = Field(
        ..., max_length=20, pattern=MONEY_PATTERN, description="退费金额（元）"
    )
    refund_reason: RefundReason = Field(..., description="退费原因（各附法律依据）")
    effective_on: date = Field(..., description="法律文书生效日期（15日内退还，第五十三条）")
    note: str = Field("", max_length=500)
    bank_reference: str = Field("", max_length=64, description="窗口缴费的退费：转账凭证号")


class ReliefDecisionIn(InputSchema):
    grant: bool = Field(..., description="true 准予，false 不予准许")
    reasons: str = Field("", max_length=TEXT_MAX, description="理由（不予准许的必填）")
    percent: int | None = Field(None, ge=1, le=100, description="准予减交比例（%，不低于30）")
    until: date | None = Field(None, description="准予缓交至")


# --- outputs --------------------------------------------------------------------------------


class LineOut(Schema):
    label: str
    amount: str
    article: str
    basis: str


class OrderOut(Schema):
    id: int
    out_trade_no: str
    provider: str
    amount: str
    status: str
    code_url: str
    expires_at: datetime
    transaction_id: str
    paid_at: datetime | None


class RefundOut(Schema):
    id: int
    out_refund_no: str
    method: str
    amount: str
    reason: str
    reason_label: str
    article: str
    effective_on: date
    due_on: date
    status: str
    failure_reason: str


class ReliefOut(Schema):
    id: int
    kind: str
    applicant_name: str
    applicant_kind: str
    status: str
    requested_percent: int | None
    requested_until: date | None
    granted_percent: int | None
    granted_until: date | None
    decision_reasons: str


class NoticeOut(Schema):
    id: int
    number: str
    court_case_id: int
    case_number: str
    court: str
    payer_name: str
    payer_role: str
    payer_kind: str
    payer_phone: str = Field(description="脱敏")
    fee_kind: str
    fee_type: str
    procedure: str
    claim_amount: str | None
    total_amount: str
    amount_due: str
    paid_amount: str
    refunded_amount: str
    status: str
    status_label: str
    issued_at: datetime
    due_on: date
    paid_at: datetime | None
    lines: list[LineOut]


class NoticeDetailOut(NoticeOut):
    orders: list[OrderOut]
    refunds: list[RefundOut]
    reliefs: list[ReliefOut]


class NoticeListOut(Schema):
    items: list[NoticeOut]
    page: int
    size: int
    has_next: bool
    has_previous: bool


def _money(value: object) -> str:
    return f"{value:.2f}"


def notice_out(notice: FeeNotice) -> NoticeOut:
    return NoticeOut(**_notice_fields(notice))


def _notice_fields(notice: FeeNotice) -> dict[str, Any]:
    return {
        "id": notice.pk,
        "number": notice.number,
        "court_case_id": notice.court_case_id,
        "case_number": notice.court_case.case_number,
        "court": notice.court.name,
        "payer_name": notice.payer_name,
        "payer_role": notice.payer_role,
        "payer_kind": notice.payer_kind,
        "payer_phone": notice.payer_phone_masked,
        "fee_kind": notice.fee_kind,
        "fee_type": notice.fee_type,
        "procedure": notice.procedure,
        "claim_amount": None if notice.claim_amount is None else _money(notice.claim_amount),
        "total_amount": _money(notice.total_amount),
        "amount_due": _money(notice.amount_due),
        "paid_amount": _money(notice.paid_amount),
        "refunded_amount": _money(notice.refunded_amount),
        "status": notice.status,
        "status_label": notice.get_status_display(),
        "issued_at": notice.issued_at,
        "due_on": notice.due_on,
        "paid_at": notice.paid_at,
        "lines": [LineOut(**line) for line in notice.lines if isinstance(line, dict)],
    }


def order_out(order: PaymentOrder) -> OrderOut:
    return OrderOut(
        id=order.pk,
        out_trade_no=order.out_trade_no,
        provider=order.provider,
        amount=_money(order.amount),
        status=order.status,
        code_url=order.code_url,
        expires_at=order.expires_at,
        transaction_id=order.transaction_id,
        paid_at=order.paid_at,
    )


def refund_out(refund: Refund) -> RefundOut:
    return RefundOut(
        id=refund.pk,
        out_refund_no=refund.out_refund_no,
        method=refund.method,
        amount=_money(refund.amount),
        reason=refund.reason,
        reason_label=refund.get_reason_display(),
        article=refund.article,
        effective_on=refund.effective_on,
        due_on=refund.due_on,
        status=refund.status,
        failure_reason=refund.failure_reason,
    )


def relief_out(application: ReliefApplication) -> ReliefOut:
    return ReliefOut(
        id=application.pk,
        kind=application.kind,
        applicant_name=application.applicant_name,
        applicant_kind=application.applicant_kind,
        status=application.status,
        requested_percent=application.requested_percent,
        requested_until=application.requested_until,
        granted_percent=application.granted_percent,
        granted_until=application.granted_until,
        decision_reasons=application.decision_reasons,
    )


def notice_detail_out(
    notice: FeeNotice,
    orders: list[PaymentOrder],
    refunds: list[Refund],
    reliefs: list[ReliefApplication],
) -> NoticeDetailOut:
    return NoticeDetailOut(
        **_notice_fields(notice),
        orders=[order_out(order) for order in orders],
        refunds=[refund_out(refund) for refund in refunds],
        reliefs=[relief_out(relief) for relief in reliefs],
    )
