"""Refunds of fees paid (《诉讼费用交纳办法》 Art. 15, 16, 21, 25, 27; due within 15 日 of the
document taking effect, Art. 53).

A fee paid online goes back the way it came, through the gateway's refund API (one
``out_refund_no`` per refund: the provider treats a repeat of it as the same refund, so a call
that timed out is simply made again by ``refund_refresh``); a fee paid at the counter is paid
back by bank transfer, recorded with its reference. Partial refunds add up on the notice
(``refunded_amount``), never beyond what was paid.
"""

from __future__ import annotations

import logging
import secrets
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from youjie.core.errors import InvalidTransition, PermissionDenied
from youjie.core.timeline import event_record
from youjie.fees.choices import (
    REFUND_ARTICLES,
    NoticeStatus,
    RefundMethod,
    RefundReason,
    RefundStatus,
)
from youjie.fees.gateways import GatewayError, payment_gateway, yuan_to_fen
from youjie.fees.models import FeeNotice, Refund
from youjie.fees.permissions import can_request_refund
from youjie.fees.selectors import paid_order
from youjie.fees.services.common import (
    Errors,
    add_error,
    case_event,
    clean_amount,
    clean_text,
    raise_if_errors,
    refund_status_set,
    sms_to_payer,
    today,
    yuan,
)
from youjie.orgs.models import User
from youjie.workdays.calendar import statutory_deadline

logger = logging.getLogger(__name__)

REFUND_DAYS = 15  # Art. 53: 自法律文书生效之日起15日内退还
NOTE_MAX = 500
REFERENCE_MAX = 64
SYSTEM = "系统"


def refund_due_on(effective_on: date) -> date:
    return statutory_deadline(effective_on, REFUND_DAYS)


def refundable(notice: FeeNotice) -> Decimal:
    """What may still be refunded: paid, less refunds paid or under way."""
    committed = notice.refunds.exclude(status=RefundStatus.FAILED).aggregate(total=Sum("amount"))[
        "total"
    ] or Decimal("0.00")
    return max(notice.paid_amount - committed, Decimal("0.00"))


def refund_request(
    *,
    actor: User,
    notice: FeeNotice,
    amount: Decimal | str | None,
    reason: str,
    effective_on: date | None,
    note: str = "",
    bank_reference: str = "",
) -> Refund:
    """Refund ``amount`` of a paid notice for ``reason`` (RefundReason, with its article).
    Online payments go back through the gateway now; counter payments are recorded as paid back
    by transfer (``bank_reference`` required)."""
    if not can_request_refund(actor):
        raise PermissionDenied("只有立案庭工作人员、法官或院领导可以办理退费")
    notice = FeeNotice.objects.select_related("court_case", "court").get(pk=notice.pk)
    errors: Errors = {}
    value = clean_amount(errors, "amount", "退费金额", amount)
    if reason not in RefundReason.values:
        add_error(errors, "reason", "请选择退费原因")
    note = clean_text(errors, "note", "说明", note, max_length=NOTE_MAX)
    reference = clean_text(
        errors, "bank_reference", "转账凭证号", bank_reference, max_length=REFERENCE_MAX
    )
    if effective_on is None:
        add_error(errors, "effective_on", "请填写法律文书生效日期")
    elif effective_on > today():
        add_error(errors, "effective_on", "生效日期不能晚于今天")
    if notice.status != NoticeStatus.PAID:
        add_error(errors, "amount", "只有已缴费的通知书可以退费")
    elif value is not None and value > refundable(notice):
        add_error(errors, "amount", f"退费金额不能超过可退金额{yuan(refundable(notice))}")
    order = paid_order(notice=notice)
    method = RefundMethod.GATEWAY if order is not None else RefundMethod.OFFLINE
    if method == RefundMethod.OFFLINE and not reference:
        add_error(errors, "bank_reference", "窗口缴费的退费请填写银行转账凭证号")
    raise_if_errors(errors, "无法办理退费")
    assert value is not None and effective_on is not None
    with transaction.atomic():
        locked = (
            FeeNotice.objects.select_for_update()
            .select_related("court_case", "court")
            .get(pk=notice.pk)
        )
        if locked.status != NoticeStatus.PAID or value > refundable(locked):
            raise InvalidTransition("可退金额已变化，请刷新后重试", code="stale")
        refund = Refund.objects.create(
            notice=locked,
            order=order,
            method=method,
            out_refund_no=f"RF{timezone.localtime():%Y%m%d%H%M%S}{secrets.token_hex(5).upper()}",
            amount=value,
            reason=reason,
            article=REFUND_ARTICLES[reason],
            note=note,
            effective_on=effective_on,
            due_on=refund_due_on(effective_on),
            requested_by=actor,
            bank_reference=reference,
        )
        details = {
            "refund": refund.out_refund_no,
            "amount": f"{value:.2f}",
            "reason": refund.get_reason_display(),
            "article": refund.article,
            "due_on": refund.due_on.isoformat(),
        }
        event_record(
            subject=refund, verb="requested", actor=actor, to_state=refund.status, data=details
        )
        event_record(subject=locked, verb="refund_requested", actor=actor, data=details)
        case_event(notice=locked, verb="fee_refund_requested", actor=actor, data=details)
        if method == RefundMethod.OFFLINE:
            _succeed(refund, actor=actor, how="offline")
            return refund
    return refund_send(refund=refund)


def refund_send(*, refund: Refund) -> Refund:
    """Ask the gateway to refund (again: the same ``out_refund_no`` is the same refund)."""
    order = refund.order
    assert order is not None
    try:
        state = payment_gateway().refund(
            out_trade_no=order.out_trade_no,
            out_refund_no=refund.out_refund_no,
            refund_fen=yuan_to_fen(refund.amount),
            total_fen=yuan_to_fen(order.amount),
            reason=refund.get_reason_display(),
        )
    except GatewayError as exc:
        # Unknown outcome (a timeout) or a refusal: kept as requested with the reason; the
        # refund page's "重新查询" (refund_refresh) asks again.
        Refund.objects.filter(pk=refund.pk).update(failure_reason=exc.message[:500])
        refund.failure_reason = exc.message[:500]
        logger.warning("退费 %s 未完成：%s", refund.out_refund_no, exc.message)
        return refund
    with transaction.atomic():
        locked = Refund.objects.select_for_update().get(pk=refund.pk)
        refund_apply_result(
            refund=locked, status=state.status, refund_id=state.refund_id, raw=state.raw
        )
    return locked


def refund_refresh(*, refund: Refund) -> Refund:
    """Ask the provider what became of a refund still under way; send it again if the provider
    has never heard of it."""
    if refund.status != RefundStatus.REQUESTED or refund.method != RefundMethod.GATEWAY:
        return refund
    try:
        state = payment_gateway().query_refund(out_refund_no=refund.out_refund_no)
    except GatewayError as exc:
        if exc.extra.get("http_status") == 404:
            return refund_send(refund=refund)
        raise
    with transaction.atomic():
        locked = Refund.objects.select_for_update().get(pk=refund.pk)
        refund_apply_result(
            refund=locked, status=state.status, refund_id=state.refund_id, raw=state.raw
        )
    return locked


def refund_apply_result(
    *, refund: Refund, status: str, refund_id: str, raw: dict[str, Any]
) -> None:
    """What the provider said of a refund (its answer, a query or a refund notification), in
    the caller's transaction with ``refund`` locked."""
    refund.provider_refund_id = refund_id[:64] or refund.provider_refund_id
    refund.provider_result = raw
    refund.save(update_fields=["provider_refund_id", "provider_result", "updated_at"])
    if refund.status != RefundStatus.REQUESTED:
        return
    if status == "SUCCESS":
        _succeed(refund, actor=SYSTEM, how="gateway")
    elif status in {"CLOSED", "ABNORMAL"}:
        refund.failure_reason = {"CLOSED": "退款关闭", "ABNORMAL": "退款异常（用户账户异常）"}[
            status
        ]
        refund.finished_at = timezone.now()
        refund_status_set(
            refund=refund,
            to_status=RefundStatus.FAILED,
            actor=SYSTEM,
            verb="failed",
            reason=refund.failure_reason,
            update_fields=["failure_reason", "finished_at"],
        )
        notice = refund.notice
        case_event(
            notice=notice,
            verb="fee_refund_failed",
            actor=SYSTEM,
            reason=refund.failure_reason,
            data={
                "refund": refund.out_refund_no,
            },
        )


def _succeed(refund: Refund, *, actor: User | str, how: str) -> None:
    refund.finished_at = timezone.now()
    refund.failure_reason = ""
    refund_status_set(
        refund=refund,
        to_status=RefundStatus.SUCCEEDED,
        actor=actor,
        verb="succeeded",
        data={"how": how},
        update_fields=["finished_at", "failure_reason"],
    )
    notice = (
        FeeNotice.objects.select_for_update()
        .select_related("court_case", "court")
        .get(pk=refund.notice_id)
    )
    notice.refunded_amount += refund.amount
    notice.save(update_fields=["refunded_amount", "updated_at"])
    details = {"refund": refund.out_refund_no, "amount": f"{refund.amount:.2f}", "how": how}
    event_record(subject=notice, verb="refunded", actor=actor, data=details)
    case_event(notice=notice, verb="fee_refunded", actor=actor, data=details)
    sms_to_payer(
        notice=notice,
        key=f"refunded:{refund.out_refund_no}",
        text=f"您交纳的诉讼费已退还{yuan(refund.amount)}（通知书{notice.number}，{refund.get_reason_display()}）。",
    )
