"""The payment protocol against the WeChat Pay stand-in on loopback: an order through the SDK
(the stand-in checks the merchant's signature, the SDK the stand-in's), the signed and encrypted
notification accepted once, a replay, a forged signature, a stale timestamp, a mismatched amount
and merchant refused and recorded, the active query, closing, and the counter payment."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import Client

from youjie.core.models import Event
from youjie.core.timeline import timeline_for
from youjie.fees import services
from youjie.fees.choices import NoticeStatus, NotificationOutcome, OrderStatus
from youjie.fees.models import FeeNotice, PaymentNotification, PaymentOrder
from youjie.fees.standin import Notification, StandIn, StandInKeys
from youjie.fees.tests.conftest import NOTIFY_PATH, NOW, wechat_headers
from youjie.notifications.models import Notification as Outbox

pytestmark = pytest.mark.django_db


def post_notification(client: Client, notification: Notification) -> Any:
    return client.post(
        NOTIFY_PATH,
        data=notification.body,
        content_type="application/json",
        headers=wechat_headers(notification.headers),
    )


def verbs(subject: Any) -> list[str]:
    return list(timeline_for(subject).values_list("verb", flat=True))


def foreign_key() -> rsa.RSAPrivateKey:
    key = serialization.load_pem_private_key(
        StandInKeys.generate().platform_private_key.encode(), None
    )
    assert isinstance(key, rsa.RSAPrivateKey)
    return key


def test_order_notification_replay_forgery_and_mismatch(
    notice: FeeNotice, payments: StandIn, client: Client
) -> None:
    # 200,000 元, 分段累计 (Art. 13(1)): 0.015 × 200,000 + 1,300 = 4,300 元.
    assert notice.amount_due == Decimal("4300.00")
    order = services.payment_order_create(notice=notice)
    assert order.status == OrderStatus.CREATED
    assert order.code_url.startswith(f"{payments.base_url}/pay/")
    assert payments.order(order.out_trade_no).total == 430_000  # 分, as the API counts
    # The same notice asks again while the QR code is fresh: the same order, no second one.
    assert services.payment_order_create(notice=notice).pk == order.pk

    signed = payments.pay(order.out_trade_no)
    accepted = post_notification(client, signed)
    assert accepted.status_code == 204
    order.refresh_from_db()
    notice.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert order.transaction_id == payments.order(order.out_trade_no).transaction_id
    assert notice.status == NoticeStatus.PAID
    assert notice.paid_amount == Decimal("4300.00")
    assert verbs(notice).count("paid") == 1
    assert verbs(notice.court_case).count("fee_paid") == 1
    record = PaymentNotification.objects.get(notification_id=signed.notification_id)
    assert record.outcome == NotificationOutcome.ACCEPTED
    assert record.order == order and record.amount_fen == 430_000
    receipt = Outbox.objects.get(dedupe_key=f"fees:{notice.number}:paid")
    assert receipt.channel == "sms" and "4,300.00元" in receipt.body

    # The same notification again (the provider retries, or someone replays it): refused with
    # the provider's failure answer and recorded; still one payment.
    replayed = post_notification(client, signed)
    assert replayed.status_code == 409
    assert replayed.json() == {"code": "FAIL", "message": "该通知已处理过（通知编号重复）"}
    # A new notification id for the same, already-paid order: refused too.
    again = post_notification(client, payments.build_notification(order.out_trade_no))
    assert again.status_code == 409
    # Another transaction id for the paid order (a second payment): refused, kept for review.
    other = post_notification(
        client, payments.build_notification(order.out_trade_no, transaction_id="4200" + "9" * 24)
    )
    assert other.status_code == 409
    assert "另一笔交易" in other.json()["message"]
    assert PaymentNotification.objects.filter(outcome=NotificationOutcome.REPLAYED).count() == 3
    assert verbs(notice).count("paid") == 1
    assert PaymentOrder.objects.filter(notice=notice, status=OrderStatus.PAID).count() == 1

    # Signed with a key that is not the platform's: refused before anything is read.
    forged = post_notification(
        client, payments.build_notification(order.out_trade_no, sign_with=foreign_key())
    )
    assert forged.status_code == 401
    assert forged.json()["code"] == "FAIL"
    bad = PaymentNotification.objects.get(outcome=NotificationOutcome.BAD_SIGNATURE)
    assert bad.reason == "签名验证失败或报文无法解密" and bad.order is None
    # The body altered after signing (the amount in clear would be encrypted; swap the id).
    tampered = payments.build_notification(order.out_trade_no)
    body = json.loads(tampered.body)
    body["id"] = "EV-TAMPERED"
    altered = Notification(
        headers=tampered.headers,
        body=json.dumps(body, separators=(",", ":")).encode(),
        notification_id="EV-TAMPERED",
    )
    assert post_notification(client, altered).status_code == 401


def test_an_amount_or_merchant_mismatch_is_refused_and_the_order_stays_open(
    notice: FeeNotice, payments: StandIn, client: Client
) -> None:
    order = services.payment_order_create(notice=notice)
    payments.pay(order.out_trade_no)
    short = post_notification(client, payments.build_notification(order.out_trade_no, amount_fen=1))
    assert short.status_code == 400
    assert short.json()["message"] == "通知金额（0.01元）与订单金额（4,300.00元）不符"
    foreign = post_notification(
        client, payments.build_notification(order.out_trade_no, mchid="1900000000")
    )
    assert foreign.status_code == 400
    outcomes = set(PaymentNotification.objects.values_list("outcome", flat=True))
    assert outcomes == {NotificationOutcome.AMOUNT_MISMATCH, NotificationOutcome.MERCHANT_MISMATCH}
    order.refresh_from_db()
    notice.refresh_from_db()
    assert order.status == OrderStatus.CREATED
    assert notice.status == NoticeStatus.ISSUED
    assert "notification_refused" in verbs(order)
    assert Event.objects.filter(verb="fee_paid").count() == 0


def test_a_stale_or_unknown_notification_is_refused(
    notice: FeeNotice, payments: StandIn, client: Client, frozen: Any
) -> None:
    order = services.payment_order_create(notice=notice)
    payments.pay(order.out_trade_no)
    old = payments.build_notification(order.out_trade_no, timestamp=int(NOW.timestamp()) - 3600)
    stale = post_notification(client, old)
    assert stale.status_code == 401
    assert "相差超过300秒" in stale.json()["message"]
    unsigned = client.post(NOTIFY_PATH, data=b"{}", content_type="application/json")
    assert unsigned.status_code == 401
    garbage = client.post(
        NOTIFY_PATH,
        data=b"x" * (64 * 1024 + 1),
        content_type="application/json",
    )
    assert garbage.status_code == 413
    outcomes = list(PaymentNotification.objects.values_list("outcome", flat=True))
    assert sorted(outcomes) == [NotificationOutcome.BAD_SIGNATURE, NotificationOutcome.STALE]
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.ISSUED


def test_the_query_records_a_payment_whose_notification_never_came(
    notice: FeeNotice, payments: StandIn
) -> None:
    order = services.payment_order_create(notice=notice)
    assert services.payment_order_refresh(order=order).status == OrderStatus.CREATED
    payments.pay(order.out_trade_no)  # paid, but the notification is lost
    refreshed = services.payment_order_refresh(order=order, force=True)
    assert refreshed.status == OrderStatus.PAID
    assert refreshed.query_result["trade_state"] == "SUCCESS"
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.PAID
    assert verbs(notice).count("paid") == 1
    # The notification that arrives late is for a payment already recorded: refused, one payment.
    signed = payments.build_notification(order.out_trade_no)
    late = services.payment_notification_receive(headers=signed.headers, body=signed.body)
    assert late.response.status == 409
    assert late.record.outcome == NotificationOutcome.REPLAYED
    assert verbs(notice).count("paid") == 1


def test_a_counter_payment_closes_the_open_order(
    notice: FeeNotice, payments: StandIn, receptionist: Any, frozen: Any
) -> None:
    order = services.payment_order_create(notice=notice)
    services.counter_payment_confirm(
        actor=receptionist,
        notice=notice,
        amount=Decimal("4300.00"),
        receipt_number="NM2026-000123",
        paid_on=notice.issued_at.date(),
    )
    notice.refresh_from_db()
    order.refresh_from_db()
    assert notice.status == NoticeStatus.PAID
    assert order.status == OrderStatus.CLOSED
    assert payments.order(order.out_trade_no).trade_state == "CLOSED"
    assert verbs(notice).count("paid") == 1


def test_a_refund_under_way_ends_with_its_notification(
    notice: FeeNotice, payments: StandIn, client: Client, receptionist: Any
) -> None:
    order = services.payment_order_create(notice=notice)
    assert post_notification(client, payments.pay(order.out_trade_no)).status_code == 204
    payments.refund_answer = "PROCESSING"
    refund = services.refund_request(
        actor=receptionist,
        notice=notice,
        amount="2150.00",
        reason="withdrawal",
        effective_on=NOW.date(),
    )
    assert refund.status == "requested"
    signed = payments.build_refund_notification(refund.out_refund_no)
    assert post_notification(client, signed).status_code == 204
    refund.refresh_from_db()
    notice.refresh_from_db()
    assert refund.status == "succeeded" and refund.provider_refund_id
    assert notice.refunded_amount == Decimal("2150.00")
    assert post_notification(client, signed).status_code == 409  # a replay changes nothing
    notice.refresh_from_db()
    assert notice.refunded_amount == Decimal("2150.00")
    assert verbs(notice.court_case).count("fee_refunded") == 1
