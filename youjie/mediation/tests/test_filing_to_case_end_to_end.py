"""Issue 14's "done when", end to end across the apps: a case filed at the 白云鄂博 court for the
青山区 court's jurisdiction (跨域立案) is supplemented and forwarded; 青山区 offers pre-litigation
mediation, which fails, and the filing proceeds to review with nothing retyped; 青山区 accepts it
into a numbered case and issues the fee notice; the payment arrives as a signed WeChat Pay
notification from the stand-in on loopback (a forged and a replayed one are refused and recorded).
Every step's event is asserted on the filing's, the mediation's, the notice's and the case's
timelines. (Here in mediation's tests: the top of the chain filings ← mediation, fees below.)"""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import Client

from conftest import make_user
from youjie.core.timeline import timeline_for
from youjie.fees import services as fees
from youjie.fees.choices import NoticeStatus, NotificationOutcome, OrderStatus
from youjie.fees.models import PaymentNotification
from youjie.fees.standin import Notification, StandIn, StandInKeys
from youjie.fees.tests.conftest import (  # noqa: F401  (fixtures)
    NOTIFY_PATH,
    payments,
    standin,
    standin_keys,
    wechat_headers,
)
from youjie.filings import services as filings
from youjie.filings.choices import FilingStatus
from youjie.filings.tests.support import NOW, filing_input, pdf, unit
from youjie.mediation import services as mediation
from youjie.mediation.choices import MediationStatus
from youjie.orgs.models import User

pytestmark = pytest.mark.django_db


def verbs(subject: Any) -> list[str]:
    return list(timeline_for(subject).values_list("verb", flat=True))


def post(client: Client, notification: Notification) -> Any:
    return client.post(
        NOTIFY_PATH,
        data=notification.body,
        content_type="application/json",
        headers=wechat_headers(notification.headers),
    )


def test_a_cross_domain_filing_through_mediation_to_a_paid_case(
    receptionist: User,
    qingshan_receptionist: User,
    payments: StandIn,  # noqa: F811
    client: Client,
) -> None:
    # A mediator of 青山区's committee: the competent court delegates within its region.
    mediator = make_user("qs_mediator", "mediator", "150204-TJW", "白雪")
    with time_machine.travel(NOW, tick=False):
        filing, created = filings.filing_submit(
            actor=None, data=filing_input(competent="BT-QS-FY", mediation_consent=True)
        )
    assert created and filing.status == FilingStatus.RECEIVED and filing.cross_domain
    # 白云鄂博's form check: one notice listing all that is missing; the party supplements.
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        filings.filing_request_supplement(
            actor=receptionist, filing=filing, items=["原告身份证复印件"]
        )
    with time_machine.travel(NOW + timedelta(days=1), tick=False):
        filings.filing_supplement_provide(
            filing=filing, materials=[filings.MaterialInput("identity", "身份证", pdf("id.pdf"))]
        )
        filings.filing_forward(actor=receptionist, filing=filing, note="身份、材料核对无误")
    filing.refresh_from_db()
    assert filing.status == FilingStatus.REVIEW and filing.competent_court == unit("BT-QS-FY")
    # 青山区 delegates to a mediator (the party consented); the mediation fails.
    with time_machine.travel(NOW + timedelta(days=2), tick=False):
        delegated = mediation.mediation_delegate(
            actor=qingshan_receptionist,
            filing=filing,
            mode="delegated",
            organisation=unit("150204-TJW"),
            mediator=mediator,
        )
        mediation.mediation_accept(actor=mediator, mediation=delegated)
        mediation.mediation_fail(
            actor=mediator, mediation=delegated, reason="被告不同意调解方案，调解不成。"
        )
    delegated.refresh_from_db()
    filing.refresh_from_db()
    assert delegated.status == MediationStatus.FAILED
    assert filing.status == FilingStatus.REVIEW  # proceeds to review, nothing retyped
    assert verbs(delegated) == ["delegated", "accepted", "failed"]
    # 青山区 accepts: a numbered case, then the fee notice.
    with time_machine.travel(NOW + timedelta(days=3), tick=False):
        case = filings.filing_accept(
            actor=qingshan_receptionist,
            filing=filing,
            data=filings.AcceptInput(division=unit("BT-QS-MS")),
        )
        notice, _ = fees.notice_issue(
            actor=qingshan_receptionist,
            court_case=case,
            data=fees.NoticeInput(
                fee_kind="property",
                amount=Decimal("50000"),
                procedure="simple",
                payer_name="张晓明",
                payer_role="plaintiff",
                payer_phone="13800001111",
            ),
        )
    filing.refresh_from_db()
    assert filing.status == FilingStatus.ACCEPTED and filing.court_case == case
    # 50,000 元: 50 + (50,000 − 10,000) × 2.5 % = 1,050 元, halved under 简易程序 = 525 元.
    assert notice.amount_due == Decimal("525.00") and notice.status == NoticeStatus.ISSUED
    # The payment through the stand-in: a forged notification and a replay refused.
    order = fees.payment_order_create(notice=notice)
    signed = payments.pay(order.out_trade_no)
    foreign = serialization.load_pem_private_key(
        StandInKeys.generate().platform_private_key.encode(), None
    )
    assert isinstance(foreign, rsa.RSAPrivateKey)
    forged = payments.build_notification(order.out_trade_no, sign_with=foreign)
    assert post(client, forged).status_code == 401
    assert post(client, signed).status_code == 204
    assert post(client, signed).status_code == 409
    order.refresh_from_db()
    notice.refresh_from_db()
    assert order.status == OrderStatus.PAID and notice.status == NoticeStatus.PAID
    outcomes = sorted(PaymentNotification.objects.values_list("outcome", flat=True))
    assert outcomes == sorted(
        [
            NotificationOutcome.BAD_SIGNATURE,
            NotificationOutcome.ACCEPTED,
            NotificationOutcome.REPLAYED,
        ]
    )
    assert json.loads(post(client, signed).content)["code"] == "FAIL"
    # Every step on the filing's timeline, in order; the payment on the notice's and the case's.
    assert verbs(filing) == [
        "submitted",
        "supplement_requested",
        "supplement_provided",
        "forwarded",
        "mediation_delegated",
        "mediation_accepted",
        "mediation_failed",
        "accepted",
    ]
    assert verbs(notice).count("paid") == 1
    assert "fee_paid" in verbs(case)
