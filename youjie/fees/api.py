"""/api/v1/fees: the public fee calculator (no authentication; the portal's rate limit per
address). Every fee is a decimal string ("13800.00"); bad input is a 422 with a code
(``amount_required``, ``amount_invalid``, ``amount_negative``, ``amount_too_large``,
``amount_too_precise``, ``validation_failed``) and a Chinese message."""

from __future__ import annotations

from decimal import Decimal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from youjie.core.middleware import client_ip
from youjie.core.schemas import InputSchema
from youjie.fees.calculator import MAX_AMOUNT_CHARS, FeeEstimate, estimate, parse_amount
from youjie.fees.choices import AdministrativeSubject, FeeKind, Procedure, Settlement
from youjie.fees.policy import RATE_LIMIT_RULE, fees_policy
from youjie.portal.services import rate_limit_consume

router = Router(tags=["诉讼费用"])


class FeeEstimateQuery(InputSchema):
    kind: FeeKind = Field(..., description="费用类型")
    amount: str | None = Field(
        None,
        max_length=MAX_AMOUNT_CHARS,
        description="金额（元，最多两位小数，大于0且不超过10^13）；不涉及金额的不填",
    )
    procedure: Procedure = Field(Procedure.ORDINARY, description="审理程序")
    settled: Settlement | None = Field(None, description="以调解方式结案或申请撤诉（第十五条）")
    administrative_subject: AdministrativeSubject = Field(
        AdministrativeSubject.OTHER, description="行政案件类别（第十三条第（五）项）"
    )


class FeeLineOut(Schema):
    label: str
    amount: str
    amount_max: str | None = Field(description="区间时对最高额的影响；否则为 null")
    article: str
    basis: str


class FeeEstimateOut(Schema):
    kind: str
    kind_label: str
    amount: str | None
    procedure: str
    settled: str | None
    administrative_subject: str | None
    fee_type: str = Field(description="acceptance_fee 案件受理费 / application_fee 申请费")
    fee_label: str
    acceptance_fee: str | None = Field(description="案件受理费；区间或申请费时为 null")
    application_fee: str | None = Field(description="申请费；区间或案件受理费时为 null")
    fee_min: str
    fee_max: str
    is_range: bool
    rounding: str
    lines: list[FeeLineOut]
    notes: list[str]


def _text(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def estimate_out(result: FeeEstimate) -> FeeEstimateOut:
    return FeeEstimateOut(
        kind=result.kind,
        kind_label=result.kind_label,
        amount=_text(result.amount),
        procedure=result.procedure,
        settled=result.settled,
        administrative_subject=result.administrative_subject,
        fee_type=result.fee_type,
        fee_label=result.fee_label,
        acceptance_fee=_text(result.acceptance_fee),
        application_fee=_text(result.application_fee),
        fee_min=f"{result.fee_min:.2f}",
        fee_max=f"{result.fee_max:.2f}",
        is_range=result.is_range,
        rounding=result.rounding,
        lines=[
            FeeLineOut(
                label=line.label,
                amount=f"{line.amount:.2f}",
                amount_max=_text(line.amount_max),
                article=line.article,
                basis=line.basis,
            )
            for line in result.lines
        ],
        notes=list(result.notes),
    )


@router.get(
    "/estimate",
    auth=None,
    response=FeeEstimateOut,
    summary="诉讼费用计算（公开，依《诉讼费用交纳办法》）",
)
def fee_estimate(request: HttpRequest, query: Query[FeeEstimateQuery]) -> FeeEstimateOut:
    policy = fees_policy()
    result = estimate(
        kind=query.kind,
        amount=parse_amount(query.amount),
        procedure=query.procedure,
        settled=query.settled,
        administrative_subject=query.administrative_subject,
        rounding=policy.rounding,
        per_case_standards=policy.per_case_standards,
    )
    rate_limit_consume(checks=[(RATE_LIMIT_RULE, client_ip(request) or "unknown")])
    return estimate_out(result)
