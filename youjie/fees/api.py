"""/api/v1/fees: the public fee calculator (no authentication; the portal's rate limit per
address), and the fee notices of court cases with their payment, refunds and relief (staff of
the case's court only). Every amount is a decimal string ("13800.00"); bad input is a 422 with a
code (``amount_required``, ``amount_invalid``, ``amount_negative``, ``amount_too_large``,
``amount_too_precise``, ``validation_failed``, ``fee_range``…) and a Chinese message; 403
``permission_denied``, 404 ``not_found`` (outside the caller's scope too), 409
``invalid_transition`` / ``stale`` / ``idempotency_key_reused``, 502
``payment_gateway_error``, 409 ``payment_unavailable``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from ninja import Field, Header, Query, Router, Schema, Status

from youjie.core.errors import NotFound, PermissionDenied, ValidationFailed
from youjie.core.idempotency import (
    body_fingerprint,
    check_key,
    idempotent_lookup,
    idempotent_store,
)
from youjie.core.middleware import client_ip
from youjie.core.pagination import paginate
from youjie.core.schemas import InputSchema
from youjie.courtcases.models import CaseParty
from youjie.courtcases.selectors import court_case_get
from youjie.fees import selectors, services
from youjie.fees.calculator import MAX_AMOUNT_CHARS, FeeEstimate, estimate, parse_amount
from youjie.fees.choices import AdministrativeSubject, FeeKind, Procedure, Settlement
from youjie.fees.models import CounterPayment, FeeNotice, PaymentOrder, Refund, ReliefApplication
from youjie.fees.permissions import can_issue_notice, may_see_fees
from youjie.fees.policy import RATE_LIMIT_RULE, fees_policy
from youjie.fees.schemas import (
    CounterPaymentIn,
    NoticeDetailOut,
    NoticeFilters,
    NoticeIssueIn,
    NoticeListOut,
    OrderOut,
    RefundIn,
    RefundOut,
    ReliefDecisionIn,
    ReliefOut,
    notice_detail_out,
    notice_out,
    order_out,
    refund_out,
    relief_out,
)
from youjie.orgs.backends import signed_in_user
from youjie.orgs.models import User
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


# --- fee notices and their payment (码上缴费) ---------------------------------------------------
# Staff of the case's court only (youjie/fees/scopes.py): a notice outside the caller's scope is a
# 404 like a missing one; a caller the fee pages are not for gets 403 on the list. POSTs take an
# Idempotency-Key: the same key and body answer what the first call did (200, header
# Idempotent-Replayed: true); the same key with another body is 409 idempotency_key_reused.

IdempotencyHeader = Header(None, alias="Idempotency-Key")  # type: ignore[type-arg]


def _fees_user(request: HttpRequest) -> User:
    user = signed_in_user(request)
    if not may_see_fees(user):
        raise PermissionDenied("只有法院立案、审判人员和院庭领导可以使用诉讼费接口")
    return user


def _idempotency(
    user: User, key: str | None, what: str, body: dict[str, object]
) -> services.Idempotency | None:
    if key is None:
        return None
    return services.Idempotency(
        key=check_key(key), scope=f"fees.api.{what}:{user.pk}", body_hash=body_fingerprint(body)
    )


def _once_outside(
    idempotency: services.Idempotency | None, model: type[Any], action: Any
) -> tuple[Any, bool]:
    """``action()`` (which calls the payment provider, so it runs outside a transaction) once
    per key: the earlier result when the key was used with the same body."""
    if idempotency is None:
        return action(), True
    record = idempotent_lookup(
        scope=idempotency.scope, key=idempotency.key, body_hash=idempotency.body_hash
    )
    if record is not None:
        found = model._default_manager.filter(pk=int(record.result_id)).first()
        if found is None:
            raise NotFound()
        return found, False
    result = action()
    try:
        with transaction.atomic():
            idempotent_store(
                scope=idempotency.scope,
                key=idempotency.key,
                body_hash=idempotency.body_hash,
                result=result,
            )
    except IntegrityError:
        pass  # a concurrent retry stored it first; this call's result stands
    return result, True


def _replayed(response: HttpResponse, created: bool) -> int:
    if not created:
        response["Idempotent-Replayed"] = "true"
    return 201 if created else 200


def _detail(user: User, notice: FeeNotice) -> NoticeDetailOut:
    fresh = selectors.notice_get(user=user, pk=notice.pk)
    detail = selectors.notice_detail(user=user, notice=fresh)
    return notice_detail_out(fresh, detail.orders, detail.refunds, detail.reliefs)


@router.get("/notices", response=NoticeListOut, summary="缴费通知书列表（本院，脱敏）")
def notice_list(request: HttpRequest, filters: Query[NoticeFilters]) -> NoticeListOut:
    user = _fees_user(request)
    notices = selectors.notice_list(
        user=user,
        state=filters.state or "",
        search=filters.q,
        court_case_id=filters.court_case_id,
    )
    page = paginate(notices, page=filters.page, size=filters.page_size)
    return NoticeListOut(
        items=[notice_out(notice) for notice in page.items],
        page=page.number,
        size=page.size,
        has_next=page.has_next,
        has_previous=page.has_previous,
    )


@router.get(
    "/notices/{int:notice_id}",
    response=NoticeDetailOut,
    summary="缴费通知书详情（计费明细、支付订单、退费、救助申请）",
)
def notice_get(request: HttpRequest, notice_id: int) -> NoticeDetailOut:
    user = _fees_user(request)
    return _detail(user, selectors.notice_get(user=user, pk=notice_id))


@router.post(
    "/notices",
    response={200: NoticeDetailOut, 201: NoticeDetailOut},
    summary="开具缴费通知书（按《诉讼费用交纳办法》计算；支持 Idempotency-Key）",
)
def notice_issue(
    request: HttpRequest,
    payload: NoticeIssueIn,
    response: HttpResponse,
    idempotency_key: str | None = IdempotencyHeader,
) -> Status[NoticeDetailOut]:
    user = _fees_user(request)
    if not can_issue_notice(user):
        raise PermissionDenied("只有本院立案、审判人员可以开具缴费通知书")
    idempotency = _idempotency(user, idempotency_key, "notice", payload.model_dump(mode="json"))
    court_case = court_case_get(user=user, pk=payload.court_case_id)
    party = None
    if payload.party_id is not None:
        party = CaseParty.objects.filter(pk=payload.party_id, court_case=court_case).first()
        if party is None:
            raise ValidationFailed(
                "所选当事人不是本案当事人", fields={"party_id": ["不是本案当事人"]}
            )
    try:
        amount = parse_amount(payload.claim_amount)
    except ValidationFailed as error:
        error.fields = {"claim_amount": error.fields.get("amount", [error.message])}
        raise
    notice, created = services.notice_issue(
        actor=user,
        court_case=court_case,
        data=services.NoticeInput(
            fee_kind=payload.fee_kind,
            amount=amount,
            procedure=payload.procedure,
            administrative_subject=payload.administrative_subject,
            party=party,
            payer_name=payload.payer_name,
            payer_role=payload.payer_role or "",
            payer_kind=payload.payer_kind,
            payer_phone=payload.payer_phone,
        ),
        idempotency=idempotency,
    )
    return Status(_replayed(response, created), _detail(user, notice))


@router.post(
    "/notices/{int:notice_id}/orders",
    response={200: OrderOut, 201: OrderOut},
    summary="生成在线支付订单（微信支付 Native，返回 code_url；支持 Idempotency-Key）",
)
def order_create(
    request: HttpRequest,
    notice_id: int,
    response: HttpResponse,
    idempotency_key: str | None = IdempotencyHeader,
) -> Status[OrderOut]:
    user = _fees_user(request)
    notice = selectors.notice_get(user=user, pk=notice_id)
    idempotency = _idempotency(user, idempotency_key, f"order:{notice.pk}", {})
    order, created = _once_outside(
        idempotency, PaymentOrder, lambda: services.payment_order_create(notice=notice)
    )
    return Status(_replayed(response, created), order_out(order))


@router.post(
    "/notices/{int:notice_id}/counter-payments",
    response={200: NoticeDetailOut, 201: NoticeDetailOut},
    summary="确认窗口缴费（收据号；支持 Idempotency-Key）",
)
def counter_payment(
    request: HttpRequest,
    notice_id: int,
    payload: CounterPaymentIn,
    response: HttpResponse,
    idempotency_key: str | None = IdempotencyHeader,
) -> Status[NoticeDetailOut]:
    user = _fees_user(request)
    notice = selectors.notice_get(user=user, pk=notice_id)
    idempotency = _idempotency(
        user, idempotency_key, f"counter:{notice.pk}", payload.model_dump(mode="json")
    )
    _payment, created = _once_outside(
        idempotency,
        CounterPayment,
        lambda: services.counter_payment_confirm(
            actor=user,
            notice=notice,
            amount=payload.paid_amount,
            receipt_number=payload.receipt_number,
            paid_on=payload.paid_on,
            note=payload.note,
        ),
    )
    return Status(_replayed(response, created), _detail(user, notice))


@router.post(
    "/notices/{int:notice_id}/refunds",
    response={200: RefundOut, 201: RefundOut},
    summary="办理退费（原路退回或线下退付；支持 Idempotency-Key）",
)
def refund_create(
    request: HttpRequest,
    notice_id: int,
    payload: RefundIn,
    response: HttpResponse,
    idempotency_key: str | None = IdempotencyHeader,
) -> Status[RefundOut]:
    user = _fees_user(request)
    notice = selectors.notice_get(user=user, pk=notice_id)
    idempotency = _idempotency(
        user, idempotency_key, f"refund:{notice.pk}", payload.model_dump(mode="json")
    )
    refund, created = _once_outside(
        idempotency,
        Refund,
        lambda: services.refund_request(
            actor=user,
            notice=notice,
            amount=payload.refund_amount,
            reason=payload.refund_reason,
            effective_on=payload.effective_on,
            note=payload.note,
            bank_reference=payload.bank_reference,
        ),
    )
    return Status(_replayed(response, created), refund_out(refund))


@router.post(
    "/reliefs/{int:relief_id}/decision",
    response={200: ReliefOut, 201: ReliefOut},
    summary="决定诉讼费救助申请（缓交、减交、免交；支持 Idempotency-Key）",
)
def relief_decide(
    request: HttpRequest,
    relief_id: int,
    payload: ReliefDecisionIn,
    response: HttpResponse,
    idempotency_key: str | None = IdempotencyHeader,
) -> Status[ReliefOut]:
    user = _fees_user(request)
    application = selectors.relief_get(user=user, pk=relief_id)
    idempotency = _idempotency(
        user, idempotency_key, f"relief:{application.pk}", payload.model_dump(mode="json")
    )
    decided, created = services.run_once(
        model=ReliefApplication,
        idempotency=idempotency,
        create=lambda: services.relief_decide(
            actor=user,
            application=application,
            grant=payload.grant,
            reasons=payload.reasons,
            percent=payload.percent,
            until=payload.until,
        ),
    )
    return Status(_replayed(response, created), relief_out(decided))
