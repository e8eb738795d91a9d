"""Paying a notice: online through the payment gateway (an order, its QR code, the provider's
signed asynchronous notification, the active query) or at the court's counter.

A notice is marked paid exactly once (``_record_payment``), whichever way the payment is
learnt of first — a notification, a query from the pay page, a counter receipt — under a lock
on the order and the notice; the database keeps one paid order per notice and one accepted
notification per notification id. Every notification received is kept (``PaymentNotification``)
with what became of it: a forged signature, a stale timestamp, a replay (an id already accepted,
or an order already paid, by the same or another transaction), a mismatched amount, merchant or
currency, an unknown or closed order — each refused with the provider's failure answer and the
reason recorded. Network calls to the provider are made outside database transactions.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from youjie.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from youjie.core.timeline import Actor, event_record
from youjie.fees.choices import NoticeStatus, NotificationOutcome, OrderStatus
from youjie.fees.gateways import (
    GatewayError,
    NotificationRefused,
    OrderState,
    PaymentGateway,
    ProviderResponse,
    VerifiedNotification,
    fen_to_yuan,
    payment_config,
    payment_gateway,
    yuan_to_fen,
)
from youjie.fees.models import CounterPayment, FeeNotice, PaymentNotification, PaymentOrder, Refund
from youjie.fees.permissions import can_confirm_counter
from youjie.fees.selectors import open_order
from youjie.fees.services.common import (
    Errors,
    add_error,
    case_event,
    clean_amount,
    clean_text,
    notice_status_set,
    order_status_set,
    raise_if_errors,
    sms_to_payer,
    today,
    yuan,
)
from youjie.orgs.models import User

logger = logging.getLogger(__name__)

PAYER = "缴费人"
SYSTEM = "系统"
BODY_KEPT = 8000  # characters of a notification's body kept for audit
RECEIPT_MAX = 40
NOTE_MAX = 500
QUERY_INTERVAL = timedelta(seconds=10)
PAYABLE = (NoticeStatus.ISSUED,)


def _out_trade_no(now: datetime) -> str:
    """FEE + Beijing time to the second + 10 random digits: 27 characters (the API allows 32)."""
    digits = "".join(secrets.choice("0123456789") for _ in range(10))
    return f"FEE{timezone.localtime(now):%Y%m%d%H%M%S}{digits}"


# --- orders -----------------------------------------------------------------------------------


def payment_order_create(*, notice: FeeNotice, now: datetime | None = None) -> PaymentOrder:
    """An order for what is outstanding on ``notice``: the newest open one while it can still be
    paid for a while, else a new one at the provider (its QR code's ``code_url``)."""
    now = now or timezone.now()
    if notice.status not in PAYABLE:
        messages: dict[str, str] = {
            NoticeStatus.PAID: "该通知书已缴费",
            NoticeStatus.OVERDUE: "已超过缴费期限，请联系承办法院",
        }
        message = messages.get(notice.status, f"该通知书{notice.get_status_display()}，无需缴费")
        raise InvalidTransition(message, code="notice_not_payable")
    amount = notice.outstanding
    if amount <= 0:
        raise InvalidTransition("该通知书没有待缴金额", code="notice_not_payable")
    existing = open_order(notice=notice)
    if (
        existing is not None
        and existing.amount == amount
        and existing.expires_at > now + timedelta(minutes=2)
    ):
        return existing
    gateway = payment_gateway()
    out_trade_no = _out_trade_no(now)
    expires_at = now + timedelta(minutes=payment_config().order_minutes)
    created = gateway.create_order(
        out_trade_no=out_trade_no,
        description=f"诉讼费 {notice.number}"[:60],
        amount_fen=yuan_to_fen(amount),
        expires_at=timezone.localtime(expires_at),
    )
    with transaction.atomic():
        locked = FeeNotice.objects.select_for_update().get(pk=notice.pk)
        if locked.status not in PAYABLE or locked.outstanding != amount:
            raise InvalidTransition("通知书状态已变化，请刷新页面", code="stale")
        order = PaymentOrder.objects.create(
            notice=locked,
            provider=gateway.provider,
            out_trade_no=out_trade_no,
            amount=amount,
            code_url=created.code_url[:500],
            expires_at=expires_at,
        )
        event_record(
            subject=locked,
            verb="payment_order_created",
            actor=PAYER,
            data={"out_trade_no": out_trade_no, "amount": f"{amount:.2f}"},
        )
    return order


def _record_payment(
    *,
    order: PaymentOrder,
    transaction_id: str,
    paid_at: datetime,
    actor: Actor,
    how: str,
) -> None:
    """Mark ``order`` and its notice paid (in the caller's transaction, ``order`` locked)."""
    order.transaction_id = transaction_id[:64]
    order.paid_at = paid_at
    order_status_set(
        order=order,
        to_status=OrderStatus.PAID,
        actor=actor,
        verb="paid",
        data={"transaction_id": order.transaction_id, "how": how},
        update_fields=["transaction_id", "paid_at"],
    )
    notice = (
        FeeNotice.objects.select_for_update()
        .select_related("court_case", "court")
        .get(pk=order.notice_id)
    )
    _notice_paid(
        notice=notice,
        amount=order.amount,
        paid_at=paid_at,
        actor=actor,
        data={
            "channel": order.get_provider_display(),
            "out_trade_no": order.out_trade_no,
            "transaction_id": order.transaction_id,
        },
    )


def _notice_paid(
    *, notice: FeeNotice, amount: Decimal, paid_at: datetime, actor: Actor, data: dict[str, str]
) -> None:
    notice.paid_amount = amount
    notice.paid_at = paid_at
    details = {"amount": f"{amount:.2f}", **data}
    notice_status_set(
        notice=notice,
        to_status=NoticeStatus.PAID,
        actor=actor,
        verb="paid",
        data=details,
        update_fields=["paid_amount", "paid_at"],
    )
    case_event(notice=notice, verb="fee_paid", actor=actor, data=details)
    sms_to_payer(
        notice=notice,
        key="paid",
        text=(
            f"已收到您为{notice.court_case.case_number}案件交纳的诉讼费{yuan(amount)}"
            f"（通知书{notice.number}，{data.get('channel', '')}）。"
        ),
    )


def payment_order_refresh(
    *, order: PaymentOrder, now: datetime | None = None, force: bool = False
) -> PaymentOrder:
    """Ask the provider about an open order (the pay page polls; at most every 10 seconds
    unless ``force``): a payment it reports is recorded as a notification would be, an order
    it reports closed is closed."""
    now = now or timezone.now()
    if order.status != OrderStatus.CREATED:
        return order
    if not force and order.queried_at is not None and now - order.queried_at < QUERY_INTERVAL:
        return order
    state = payment_gateway().query_order(out_trade_no=order.out_trade_no)
    with transaction.atomic():
        locked = PaymentOrder.objects.select_for_update().get(pk=order.pk)
        locked.query_result = state.raw
        locked.queried_at = now
        locked.save(update_fields=["query_result", "queried_at", "updated_at"])
        if locked.status != OrderStatus.CREATED:
            return locked
        if state.paid and _query_agrees(locked, state):
            notice = FeeNotice.objects.get(pk=locked.notice_id)
            if notice.status in (NoticeStatus.ISSUED, NoticeStatus.OVERDUE):
                _record_payment(
                    order=locked,
                    transaction_id=state.transaction_id,
                    paid_at=_provider_time(state.success_time, now),
                    actor=SYSTEM,
                    how="query",
                )
        elif state.trade_state == "CLOSED":
            order_status_set(
                order=locked, to_status=OrderStatus.CLOSED, actor=SYSTEM, verb="closed"
            )
    return locked


def _query_agrees(order: PaymentOrder, state: OrderState) -> bool:
    if state.amount_fen != yuan_to_fen(order.amount):
        logger.error("支付查询金额不符：%s %s", order.out_trade_no, state.amount_fen)
        return False
    return bool(state.transaction_id)


def _provider_time(text: str, default: datetime) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return default
    return moment if moment.tzinfo is not None else default


def orders_close_open(*, notice: FeeNotice) -> None:
    """Close the notice's open orders at the provider (after a counter payment or a relief):
    best effort — one that turns out paid is recorded as such by its query."""
    for order in list(notice.orders.filter(status=OrderStatus.CREATED)):
        try:
            payment_gateway().close_order(out_trade_no=order.out_trade_no)
        except GatewayError:
            try:
                payment_order_refresh(order=order, force=True)
            except GatewayError:
                logger.warning("无法关闭或查询订单 %s", order.out_trade_no)
            continue
        with transaction.atomic():
            locked = PaymentOrder.objects.select_for_update().get(pk=order.pk)
            if locked.status == OrderStatus.CREATED:
                order_status_set(
                    order=locked, to_status=OrderStatus.CLOSED, actor=SYSTEM, verb="closed"
                )


# --- notifications ----------------------------------------------------------------------------


@dataclass(frozen=True)
class NotificationResult:
    record: PaymentNotification
    response: ProviderResponse


REFUSAL_STATUS: dict[str, int] = {
    NotificationOutcome.BAD_SIGNATURE: 401,
    NotificationOutcome.STALE: 401,
    NotificationOutcome.REPLAYED: 409,
    NotificationOutcome.UNKNOWN_ORDER: 404,
}


def _truncate(body: bytes) -> str:
    return body[: BODY_KEPT * 4].decode("utf-8", "replace")[:BODY_KEPT]


def _refuse(
    gateway: PaymentGateway,
    *,
    outcome: str,
    reason: str,
    body: bytes,
    remote_address: str | None,
    verified: VerifiedNotification | None = None,
    order: PaymentOrder | None = None,
    notification_id: str = "",
    serial: str = "",
) -> NotificationResult:
    record = PaymentNotification.objects.create(
        provider=gateway.provider,
        notification_id=(verified.notification_id if verified else notification_id)[:64],
        event_type=verified.event_type if verified else "",
        outcome=outcome,
        reason=reason[:500],
        order=order,
        out_trade_no=(verified.out_trade_no if verified else "")[:64],
        transaction_id=(verified.transaction_id if verified else "")[:64],
        amount_fen=verified.amount_fen if verified else None,
        signature_serial=(verified.signature_serial if verified else serial)[:100],
        signed_at=(verified.signed_at if verified else "")[:20],
        body=_truncate(body),
        remote_address=remote_address,
    )
    if order is not None:
        event_record(
            subject=order,
            verb="notification_refused",
            actor=SYSTEM,
            reason=reason,
            data={"outcome": outcome, "notification": record.notification_id},
        )
    logger.warning("支付通知被拒绝：%s %s", outcome, reason)
    status = REFUSAL_STATUS.get(outcome, 400)
    return NotificationResult(record, gateway.refused_response(reason, status=status))


def payment_notification_receive(
    *,
    headers: Mapping[str, str],
    body: bytes,
    remote_address: str | None = None,
    now: datetime | None = None,
) -> NotificationResult:
    """Verify, check and apply one asynchronous notification; whatever becomes of it is kept."""
    now = now or timezone.now()
    gateway = payment_gateway()
    try:
        verified = gateway.parse_notification(headers=headers, body=body, now=now)
    except NotificationRefused as refused:
        return _refuse(
            gateway,
            outcome=refused.outcome,
            reason=refused.reason,
            body=body,
            remote_address=remote_address,
            serial=refused.serial,
        )
    if verified.is_refund:
        return _refund_notification(gateway, verified, body, remote_address)
    with transaction.atomic():
        return _apply_payment(gateway, verified, body, remote_address, now)


def _apply_payment(
    gateway: PaymentGateway,
    verified: VerifiedNotification,
    body: bytes,
    remote_address: str | None,
    now: datetime,
) -> NotificationResult:
    def refuse(outcome: str, reason: str, order: PaymentOrder | None = None) -> NotificationResult:
        return _refuse(
            gateway,
            outcome=outcome,
            reason=reason,
            body=body,
            remote_address=remote_address,
            verified=verified,
            order=order,
        )

    resource = verified.resource
    if PaymentNotification.objects.filter(
        provider=gateway.provider,
        notification_id=verified.notification_id,
        outcome=NotificationOutcome.ACCEPTED,
    ).exists():
        return refuse(NotificationOutcome.REPLAYED, "该通知已处理过（通知编号重复）")
    if resource.get("mchid") != gateway.mchid or resource.get("appid") != gateway.appid:
        return refuse(NotificationOutcome.MERCHANT_MISMATCH, "通知中的商户号或应用编号与本院不符")
    if resource.get("trade_state") != "SUCCESS" or verified.event_type != "TRANSACTION.SUCCESS":
        return refuse(NotificationOutcome.NOT_SUCCESS, "通知不是支付成功通知")
    order = (
        PaymentOrder.objects.select_for_update()
        .filter(provider=gateway.provider, out_trade_no=verified.out_trade_no)
        .first()
    )
    if order is None:
        return refuse(NotificationOutcome.UNKNOWN_ORDER, "商户订单号不存在")
    amount = resource.get("amount") if isinstance(resource.get("amount"), dict) else {}
    if verified.amount_fen != yuan_to_fen(order.amount):
        shown = "无" if verified.amount_fen is None else yuan(fen_to_yuan(verified.amount_fen))
        return refuse(
            NotificationOutcome.AMOUNT_MISMATCH,
            f"通知金额（{shown}）与订单金额（{yuan(order.amount)}）不符",
            order,
        )
    if isinstance(amount, dict) and amount.get("currency", "CNY") != "CNY":
        return refuse(NotificationOutcome.AMOUNT_MISMATCH, "币种不是人民币", order)
    if not verified.transaction_id:
        return refuse(NotificationOutcome.MALFORMED, "通知缺少支付交易号", order)
    if order.status == OrderStatus.PAID:
        if order.transaction_id == verified.transaction_id:
            reason = "订单已入账（同一交易的重复通知）"
        else:
            reason = "订单已由另一笔交易支付，本通知不予入账（需人工核查退款）"
        return refuse(NotificationOutcome.REPLAYED, reason, order)
    if order.status == OrderStatus.CLOSED:
        return refuse(NotificationOutcome.ORDER_CLOSED, "订单已关闭，需人工核查退款", order)
    notice = FeeNotice.objects.select_for_update().get(pk=order.notice_id)
    if notice.status not in (NoticeStatus.ISSUED, NoticeStatus.OVERDUE):
        return refuse(
            NotificationOutcome.REPLAYED,
            f"通知书已{notice.get_status_display()}，本笔支付不予入账（需人工核查退款）",
            order,
        )
    try:
        with transaction.atomic():
            record = PaymentNotification.objects.create(
                provider=gateway.provider,
                notification_id=verified.notification_id,
                event_type=verified.event_type,
                outcome=NotificationOutcome.ACCEPTED,
                order=order,
                out_trade_no=verified.out_trade_no[:64],
                transaction_id=verified.transaction_id[:64],
                amount_fen=verified.amount_fen,
                signature_serial=verified.signature_serial[:100],
                signed_at=verified.signed_at[:20],
                body=_truncate(body),
                remote_address=remote_address,
            )
    except IntegrityError:
        return refuse(NotificationOutcome.REPLAYED, "该通知已处理过（通知编号重复）")
    _record_payment(
        order=order,
        transaction_id=verified.transaction_id,
        paid_at=_provider_time(str(resource.get("success_time") or ""), now),
        actor=SYSTEM,
        how="notification",
    )
    return NotificationResult(record, gateway.accepted_response())


def _refund_notification(
    gateway: PaymentGateway, verified: VerifiedNotification, body: bytes, remote_address: str | None
) -> NotificationResult:
    """REFUND.SUCCESS (or .ABNORMAL, .CLOSED) for a refund requested through the gateway."""
    resource = verified.resource
    out_refund_no = str(resource.get("out_refund_no") or "")
    with transaction.atomic():
        refund = Refund.objects.select_for_update().filter(out_refund_no=out_refund_no).first()
        if refund is None:
            return _refuse(
                gateway,
                outcome=NotificationOutcome.UNKNOWN_ORDER,
                reason="退费单号不存在",
                body=body,
                remote_address=remote_address,
                verified=verified,
            )
        if PaymentNotification.objects.filter(
            provider=gateway.provider,
            notification_id=verified.notification_id,
            outcome=NotificationOutcome.ACCEPTED,
        ).exists():
            return _refuse(
                gateway,
                outcome=NotificationOutcome.REPLAYED,
                reason="该通知已处理过（通知编号重复）",
                body=body,
                remote_address=remote_address,
                verified=verified,
            )
        record = PaymentNotification.objects.create(
            provider=gateway.provider,
            notification_id=verified.notification_id,
            event_type=verified.event_type,
            outcome=NotificationOutcome.ACCEPTED,
            out_trade_no=verified.out_trade_no[:64],
            transaction_id=verified.transaction_id[:64],
            signature_serial=verified.signature_serial[:100],
            signed_at=verified.signed_at[:20],
            body=_truncate(body),
            remote_address=remote_address,
        )
        from youjie.fees.services.refunds import refund_apply_result

        refund_apply_result(
            refund=refund,
            status=str(resource.get("refund_status") or ""),
            refund_id=str(resource.get("refund_id") or ""),
            raw=resource,
        )
    return NotificationResult(record, gateway.accepted_response())


# --- counter payments -------------------------------------------------------------------------


def counter_payment_confirm(
    *,
    actor: User,
    notice: FeeNotice,
    amount: Decimal | str | None,
    receipt_number: str,
    paid_on: date | None,
    note: str = "",
) -> CounterPayment:
    """Staff confirm that the outstanding fee was paid at the counter (or by transfer to the
    court's account), with the receipt's number; the notice is paid, its open online orders
    closed."""
    if not can_confirm_counter(actor):
        raise PermissionDenied("只有立案庭工作人员或院领导可以确认窗口缴费")
    errors: Errors = {}
    value = clean_amount(errors, "amount", "缴费金额", amount)
    receipt = clean_text(
        errors, "receipt_number", "收据号", receipt_number, max_length=RECEIPT_MAX, required=True
    )
    note = clean_text(errors, "note", "备注", note, max_length=NOTE_MAX)
    if paid_on is None:
        add_error(errors, "paid_on", "请填写缴费日期")
    elif paid_on > today():
        add_error(errors, "paid_on", "缴费日期不能晚于今天")
    elif paid_on < timezone.localtime(notice.issued_at).date():
        add_error(errors, "paid_on", "缴费日期不能早于通知书开具日期")
    if value is not None and value != notice.outstanding:
        add_error(errors, "amount", f"缴费金额应为待缴金额{yuan(notice.outstanding)}")
    if receipt and CounterPayment.objects.filter(receipt_number=receipt).exists():
        add_error(errors, "receipt_number", "该收据号已登记过")
    raise_if_errors(errors, "无法确认缴费")
    assert value is not None and paid_on is not None
    with transaction.atomic():
        locked = (
            FeeNotice.objects.select_for_update()
            .select_related("court_case", "court")
            .get(pk=notice.pk)
        )
        if locked.status not in (NoticeStatus.ISSUED, NoticeStatus.OVERDUE):
            raise InvalidTransition(f"该通知书{locked.get_status_display()}，不能确认缴费")
        if value != locked.outstanding:
            raise ValidationFailed("待缴金额已变化，请刷新后重试", code="stale")
        try:
            with transaction.atomic():
                payment = CounterPayment.objects.create(
                    notice=locked,
                    amount=value,
                    receipt_number=receipt,
                    paid_on=paid_on,
                    confirmed_by=actor,
                    note=note,
                )
        except IntegrityError as exc:
            raise ValidationFailed(
                "该收据号已登记过", fields={"receipt_number": ["该收据号已登记过"]}
            ) from exc
        _notice_paid(
            notice=locked,
            amount=value,
            paid_at=timezone.now(),
            actor=actor,
            data={"channel": "窗口缴费", "receipt_number": receipt, "paid_on": paid_on.isoformat()},
        )
    if payment_config().enabled:
        orders_close_open(notice=locked)
    return payment
