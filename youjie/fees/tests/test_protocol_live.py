"""The whole protocol over real HTTP on loopback: the app (the test's live server) creates the
order at the stand-in through the SDK, the payer opens the stand-in's "模拟支付" page from the
pay page's link and pays, the stand-in POSTs the signed notification to the live server's
notify URL, and the pay page shows the payment; then a refund through the gateway."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
import requests
from django.utils import timezone

from youjie.core.timeline import timeline_for
from youjie.fees import services
from youjie.fees.choices import NoticeStatus, NotificationOutcome, RefundReason, RefundStatus
from youjie.fees.models import PaymentNotification
from youjie.fees.standin import StandIn
from youjie.fees.tests.conftest import configure, issue, make_case

pytestmark = pytest.mark.django_db(transaction=True)


def test_pay_through_the_standin_page_and_refund(
    live_server: Any,
    settings: Any,
    standin: StandIn,
    standin_keys: Any,
    receptionist: Any,
    judge: Any,
) -> None:
    configure(settings, standin, standin_keys[1], live_server.url)
    notice = issue(receptionist, make_case(judge=judge), amount="50000")
    assert notice.amount_due == Decimal("1050.00")  # 0.025 × 50,000 − 200
    token = services.notice_token(notice)
    session = requests.Session()
    page = session.get(f"{live_server.url}/fees/pay/{token}/", timeout=30)
    assert page.status_code == 200 and "1,050.00" in page.text
    csrf = session.cookies["csrftoken"]
    created = session.post(
        f"{live_server.url}/fees/pay/{token}/",
        data={"action": "pay", "csrfmiddlewaretoken": csrf},
        headers={"Referer": f"{live_server.url}/fees/pay/{token}/"},
        timeout=30,
    )
    assert created.status_code == 200  # after the redirect: the page with the QR code
    assert 'id="pay-link"' in created.text and "data:image/svg+xml" in created.text
    order = notice.orders.get()
    # The payer's phone opens the QR code's link: the stand-in's page, then pays.
    shown = session.get(order.code_url, timeout=30)
    assert "模拟支付" in shown.text and "1050.00" in shown.text
    paid = session.post(order.code_url, timeout=30)
    assert 'id="paid"' in paid.text and "商户已确认收款" in paid.text
    assert [delivery.status for delivery in standin.deliveries()] == [204]
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.PAID
    assert PaymentNotification.objects.get().outcome == NotificationOutcome.ACCEPTED
    status = session.get(f"{live_server.url}/fees/pay/{token}/status/", timeout=30)
    assert 'id="paid"' in status.text

    refund = services.refund_request(
        actor=receptionist,
        notice=notice,
        amount="525.00",
        reason=RefundReason.WITHDRAWAL,
        effective_on=timezone.localdate() - timedelta(days=1),
    )
    assert refund.status == RefundStatus.SUCCEEDED
    assert standin.order(order.out_trade_no).refunded == 52_500
    notice.refresh_from_db()
    assert notice.refunded_amount == Decimal("525.00")
    verbs = list(timeline_for(notice.court_case).values_list("verb", flat=True))
    assert verbs == [
        "fee_notice_issued",
        "fee_paid",
        "fee_refund_requested",
        "fee_refunded",
    ]
