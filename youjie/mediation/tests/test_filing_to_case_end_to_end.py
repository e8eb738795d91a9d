"""Issue 14's "done when", end to end across the apps: a case filed at the 白云鄂博 court for the
青山区 court's jurisdiction (跨域立案) is supplemented and forwarded; 青山区 offers pre-litigation
mediation, which fails, and the filing proceeds to review with nothing retyped; 青山区 accepts it
into a numbered case and issues the fee notice; the payment arrives as a signed WeChat Pay
notification from the stand-in on loopback (a forged and a replayed one are refused and recorded);
the judge schedules an online hearing through the API (every party with a phone on file gets its
SMS through the outbox); and the plaintiff passes the portal's identity check (/portal/cases/:
the phone on file, then the SMS code) and reads the case's stage, judge, hearing and paid fee
notice — and is refused another person's case. Every step's event is asserted on the filing's,
the mediation's, the notice's and the case's timelines. (Here in mediation's tests: the top of
the chain filings ← mediation, fees below; the portal is reached through its pages only.)"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import quote

import pytest
import time_machine
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import Client

from conftest import make_user
from youjie.core.models import AuditEntry
from youjie.core.timeline import timeline_for
from youjie.courtcases.models import Hearing
from youjie.fees import services as fees
from youjie.fees.choices import NoticeStatus, NotificationOutcome, OrderStatus
from youjie.fees.models import PaymentNotification
from youjie.fees.standin import Notification, StandIn, StandInKeys
from youjie.fees.tests.conftest import (  # noqa: F401  (fixtures)
    NOTIFY_PATH,
    make_case,
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
from youjie.notifications.models import Notification as OutboxMessage
from youjie.orgs.models import User
from youjie.workdays.calendar import SHANGHAI

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


PLAINTIFF_PHONE = "13800001111"  # 张晓明's, on the filing: his person record's after acceptance
HEARING_AT = datetime(2026, 12, 8, 9, 30, tzinfo=SHANGHAI)  # a Tuesday, a working day
HEARING_LINK = "https://ting.court.example.cn/room/2026-1208?t=qs"
NOT_FOUND = "未找到与该手机号码匹配的案件"  # the portal's one answer for every failed check


def form_token(page: Any) -> str:
    found = re.search(r'name="form_token" value="([^"]+)"', page.content.decode())
    assert found is not None, page.content.decode()[:2000]
    return found.group(1)


def ask_portal(party: Client, number: str, mobile: str) -> Any:
    """The portal's case query as a person uses it: the page, then the form with its token."""
    token = form_token(party.get("/portal/cases/"))
    data = {"form_token": token, "website": "", "number": number, "mobile": mobile}
    return party.post("/portal/cases/", {**data, "identity": "party"})


def test_a_cross_domain_filing_through_mediation_to_a_paid_case(
    receptionist: User,
    qingshan_receptionist: User,
    payments: StandIn,  # noqa: F811
    client: Client,
    settings: Any,
) -> None:
    # A mediator of 青山区's committee: the competent court delegates within its region.
    mediator = make_user("qs_mediator", "mediator", "150204-TJW", "白雪")
    qingshan_judge = make_user("qs_judge", "judge", "BT-QS-MS", "乌兰")
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
            data=filings.AcceptInput(division=unit("BT-QS-MS"), judge=qingshan_judge),
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
                payer_phone=PLAINTIFF_PHONE,
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

    # The judge schedules an online hearing through the API; every participant with a phone
    # gets the SMS through the outbox (张晓明 has one on file; the defendants gave none).
    judge_client = Client()
    judge_client.force_login(qingshan_judge)
    with time_machine.travel(NOW + timedelta(days=4), tick=False):
        scheduling = judge_client.post(
            f"/api/v1/courtcases/cases/{quote(case.case_number, safe='')}/hearings",
            json.dumps(
                {
                    "hearing_kind": "online",
                    "hearing_at": HEARING_AT.isoformat(),
                    "duration_minutes": 90,
                    "hearing_link": HEARING_LINK,
                }
            ),
            content_type="application/json",
        )
    assert scheduling.status_code == 201, scheduling.content
    hearing = Hearing.objects.get(court_case=case)
    assert scheduling.json()["id"] == hearing.pk and hearing.kind == "online"
    assert [p.name for p in hearing.participants.order_by("id")] == [
        "张晓明",
        "李大力",
        "包头市某矿业有限公司",
    ]
    texts = OutboxMessage.objects.filter(template_key="courtcases.hearing_scheduled_online")
    assert [(t.recipient_masked, t.subject_id) for t in texts] == [("138****1111", str(hearing.pk))]
    assert case.case_number in texts[0].body and "12月8日09:30" in texts[0].body
    scheduled = timeline_for(case).get(verb="hearing_scheduled")
    assert scheduled.data["participants"] == 3 and scheduled.data["sms"] == 1
    assert verbs(case) == ["fee_notice_issued", "fee_paid", "hearing_scheduled"]

    # The plaintiff on the portal: the case number and the phone on file, then the SMS code
    # (a gateway delivers codes in this deployment), then the case's progress.
    settings.YOUJIE_NOTIFY_TRANSPORTS = {"sms": "http_sms"}
    settings.YOUJIE_PORTAL_FORM_MIN_SECONDS = 0
    party = Client()
    other_case = make_case(court_code="BT-QS-FY", division_code="BT-QS-MS", sequence=901)
    with time_machine.travel(NOW + timedelta(days=5), tick=False):
        asked = ask_portal(party, case.case_number, "138 0000 1111")
        assert asked.status_code == 302 and asked["Location"] == "/portal/cases/code/"
        sent = OutboxMessage.objects.get(template_key="portal.case_code")
        assert sent.recipient_masked == "138****1111" and case.case_number in sent.body
        code = re.search(r"验证码(\d{6})", sent.body)
        assert code is not None
        token = form_token(party.get("/portal/cases/code/"))
        verified = party.post(
            "/portal/cases/code/", {"form_token": token, "website": "", "code": code.group(1)}
        )
        assert verified.status_code == 302
        page = party.get(verified["Location"])
        assert page.status_code == 200
        text = page.content.decode()
        for shown in (
            case.case_number,
            "已立案",  # the stage
            "青山区人民法院",
            "乌兰",  # the judge
            "2026年12月8日 09:30",
            "在线庭审",
            HEARING_LINK,
            "缴费通知书",
            notice.number,
            "已缴费",
            "525.00",
        ):
            assert shown in text, shown
        assert "在线缴费" not in text  # paid: no pay link any more
        assert PLAINTIFF_PHONE not in text and "李大力" not in text  # no party details
        view = AuditEntry.objects.get(action="portal_case_view")
        assert view.subject_id == str(case.pk) and "138****1111" in view.purpose
        assert {"stage", "judge", "hearings", "fees"} <= set(view.fields)

        # Another person's case: the verified session does not open it, and the plaintiff's
        # phone is no party's of it.
        other_url = f"/portal/cases/{other_case.case_number}/"
        assert party.get(other_url)["Location"] == "/portal/cases/"
        refused = ask_portal(party, other_case.case_number, PLAINTIFF_PHONE)
        assert refused.status_code == 200 and NOT_FOUND in refused.content.decode()
        # A stranger's phone is refused the plaintiff's case in the same words.
        stranger = ask_portal(Client(), case.case_number, "13900009999")
        assert NOT_FOUND in stranger.content.decode()
    assert AuditEntry.objects.filter(action="portal_case_view").count() == 1
    assert OutboxMessage.objects.filter(template_key="portal.case_code").count() == 1
