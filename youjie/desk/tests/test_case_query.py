"""案件查询 at the desk (issue 14, item 2): a receptionist tells a caller about a case only after
the party check the portal's 网上查询 uses — the caller's phone is a party's phone on file, and
where an SMS gateway delivers, the code sent to it is read back (youjie/desk/casequery.py, the
portal's implementation behind it). Until then the request page says "身份未核验" and shows no
case details; after it, the answer: stage, judge, hearings, fee notices."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from youjie.core.errors import ValidationFailed
from youjie.core.models import Event
from youjie.courtcases.choices import HearingKind
from youjie.courtcases.hearings import hearing_schedule
from youjie.courtcases.models import CourtCase
from youjie.desk import services
from youjie.desk.models import ServiceRequest
from youjie.desk.services.case_query import NOT_ON_FILE
from youjie.desk.tests.conftest import MONDAY_9AM, SHANGHAI
from youjie.fees import services as fees
from youjie.notifications.models import Notification
from youjie.orgs.models import User
from youjie.portal.models import TrackingCode

from .test_api_support import CASE_NUMBER, intake

pytestmark = pytest.mark.django_db

PARTY_MOBILE = "13812345678"  # 张三's, on file (conftest.party)
STRANGER_MOBILE = "13900001111"
LINK = "https://ting.court.example.cn/room/123?t=desk"


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(MONDAY_9AM, tick=False):
        yield


@pytest.fixture
def case_query(
    receptionist: User, judge: User, civil_case: CourtCase, matter_types: None
) -> ServiceRequest:
    """A caller asks about the case by phone; their number is the party's on file."""
    hearing_schedule(
        actor=judge,
        court_case=civil_case,
        hearing_kind=HearingKind.ONLINE,
        hearing_at=datetime(2026, 12, 1, 9, 30, tzinfo=SHANGHAI),
        hearing_link=LINK,
    )
    fees.notice_issue(
        actor=receptionist,
        court_case=civil_case,
        data=fees.NoticeInput(
            fee_kind="property",
            amount=Decimal("50000"),
            party=civil_case.parties.get(role="plaintiff"),
        ),
    )
    return intake(
        receptionist,
        matter_type_code="case_query",
        related_case_number=CASE_NUMBER,
        requester_mobile=PARTY_MOBILE,
        title="查询案件进度",
    )


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(client: Client, service_request: ServiceRequest) -> str:
    response = client.get(reverse("desk:detail", args=[service_request.pk]))
    assert response.status_code == 200
    return response.content.decode()


def check(client: Client, service_request: ServiceRequest, **data: str) -> Any:
    url = reverse("desk:case_query_check", args=[service_request.pk])
    return client.post(url, {"identity": "party", "mobile": "", "lawyer_licence": "", **data})


def enter(client: Client, service_request: ServiceRequest, code: str) -> Any:
    return client.post(reverse("desk:case_query_code", args=[service_request.pk]), {"code": code})


def verbs(service_request: ServiceRequest) -> list[str]:
    return list(
        Event.objects.filter(subject_id=str(service_request.pk), verb__startswith="case_query")
        .order_by("id")
        .values_list("verb", flat=True)
    )


ANSWER = (
    "案件查询答复",
    "已核验",
    "民事审判庭",
    "李敏",
    "在线庭审",
    "案件受理费",
    "1050.00",
    "待缴费",
)


def test_the_code_read_back_opens_the_answer(
    receptionist: User, case_query: ServiceRequest, settings: Any
) -> None:
    settings.YOUJIE_NOTIFY_TRANSPORTS = {"sms": "http_sms"}
    client = signed_in(receptionist)
    before = page(client, case_query)
    assert "身份未核验" in before and "发送验证码核验身份" in before
    # No case details yet: not the judge beside the case number, no answer.
    assert "承办法官 李敏" not in before and "案件受理费" not in before
    assert 'id="case-query-answer"' not in before

    sent = check(client, case_query)
    assert sent.status_code == 302
    text = Notification.objects.get(template_key="portal.case_code")
    assert text.recipient_masked == "138****5678" and CASE_NUMBER in text.body
    row = TrackingCode.objects.get()
    assert row.court_case_id == case_query.related_case_id  # the portal's code, about the case
    waiting = page(client, case_query)
    assert "验证码已发送至 138****5678" in waiting and 'id="case-query-code"' in waiting

    code = re.search(r"验证码(\d{6})", text.body)
    assert code is not None
    wrong = enter(client, case_query, "000000" if code.group(1) != "000000" else "111111")
    assert wrong.status_code == 422 and "验证码不正确，还可尝试4次" in wrong.content.decode()
    assert verbs(case_query) == []
    right = enter(client, case_query, code.group(1))
    assert right.status_code == 302
    event = Event.objects.get(subject_id=str(case_query.pk), verb="case_query_verified")
    assert event.data == {
        "case_id": case_query.related_case_id,
        "mobile": "138****5678",
        "identity": "party",
        "by_code": True,
    }
    answer = page(client, case_query)
    for shown in ANSWER:
        assert shown in answer, shown
    assert "身份未核验" not in answer and 'id="case-query-check"' not in answer
    # The code is spent: entering it again finds nothing waiting.
    again = enter(client, case_query, code.group(1))
    assert again.status_code == 422 and "请先发送验证码" in again.content.decode()


def test_without_an_sms_gateway_the_phone_on_file_is_the_check_as_on_the_portal(
    receptionist: User, case_query: ServiceRequest
) -> None:
    client = signed_in(receptionist)
    assert check(client, case_query).status_code == 302
    assert not TrackingCode.objects.exists()
    assert verbs(case_query) == ["case_query_verified"]
    answer = page(client, case_query)
    for shown in ANSWER:
        assert shown in answer, shown


def test_a_phone_not_on_file_is_refused_and_recorded(
    receptionist: User, case_query: ServiceRequest, settings: Any
) -> None:
    settings.YOUJIE_NOTIFY_TRANSPORTS = {"sms": "http_sms"}
    client = signed_in(receptionist)
    refused = check(client, case_query, mobile=STRANGER_MOBILE)
    assert refused.status_code == 422
    body = refused.content.decode()
    assert NOT_ON_FILE in body and "身份未核验" in body and "承办法官 李敏" not in body
    assert not TrackingCode.objects.exists()
    assert not Notification.objects.filter(template_key="portal.case_code").exists()
    failed = Event.objects.get(subject_id=str(case_query.pk), verb="case_query_check_failed")
    assert failed.data["mobile"] == "139****1111"
    # A lawyer must give a licence number, and one on file.
    no_licence = check(client, case_query, identity="lawyer")
    assert no_licence.status_code == 422 and "代理律师请填写17位律师执业证号" in (
        no_licence.content.decode()
    )
    not_on_file = check(client, case_query, identity="lawyer", lawyer_licence="1" * 17)
    assert not_on_file.status_code == 422 and NOT_ON_FILE in not_on_file.content.decode()
    assert verbs(case_query) == ["case_query_check_failed", "case_query_check_failed"]


def test_five_wrong_codes_need_a_new_one(
    receptionist: User, case_query: ServiceRequest, settings: Any
) -> None:
    settings.YOUJIE_NOTIFY_TRANSPORTS = {"sms": "http_sms"}
    client = signed_in(receptionist)
    check(client, case_query)
    code = re.search(
        r"验证码(\d{6})", Notification.objects.get(template_key="portal.case_code").body
    )
    assert code is not None
    wrong = "000000" if code.group(1) != "000000" else "111111"
    for _ in range(4):
        assert enter(client, case_query, wrong).status_code == 422
    last = enter(client, case_query, wrong)
    assert last.status_code == 422 and "请重新发送验证码" in last.content.decode()
    assert enter(client, case_query, code.group(1)).status_code == 422  # nothing waiting
    assert verbs(case_query) == ["case_query_check_failed"]
    # A minute later a new code can be sent (the portal's per-phone limit).
    with time_machine.travel(MONDAY_9AM + timedelta(minutes=2), tick=False):
        assert check(client, case_query).status_code == 302
    assert TrackingCode.objects.count() == 2


def test_who_may_check_and_on_which_requests(
    receptionist: User,
    judge: User,
    other_judge: User,
    county_officer: User,
    case_query: ServiceRequest,
    matter_types: None,
) -> None:
    # The case's judge sees the request routed to them, but handles it only once accepted.
    refused = check(signed_in(judge), case_query)
    assert refused.status_code == 403 and "核验来电人身份" in refused.content.decode()
    assert verbs(case_query) == []
    # Another judge and another county's officer do not see it at all.
    assert check(signed_in(other_judge), case_query).status_code == 404
    assert check(signed_in(county_officer), case_query).status_code == 404
    # A request that is not a case query has nothing to check.
    other = intake(receptionist, matter_type_code="contact_judge", requester_mobile=PARTY_MOBILE)
    assert "案件查询答复" not in page(signed_in(receptionist), other)
    assert check(signed_in(receptionist), other).status_code == 422
    assert enter(signed_in(receptionist), other, "123456").status_code == 422
    bad = check(signed_in(receptionist), case_query, mobile="12345")
    assert bad.status_code == 422 and "手机号码无效" in bad.content.decode()
    assert verbs(case_query) == [] and verbs(other) == []


def test_a_caller_verified_on_another_phone_is_replied_without_confirmation(
    receptionist: User, case_query: ServiceRequest
) -> None:
    """The reply's own guard (issue 12) counts the party check: a caller on a phone that is
    not on file gives the party's phone, passes the check on it, and is answered."""
    other_phone = intake(
        receptionist,
        matter_type_code="case_query",
        related_case_number=CASE_NUMBER,
        requester_mobile=STRANGER_MOBILE,
        title="查询案件进度（用家人手机来电）",
    )
    with pytest.raises(ValidationFailed):
        services.service_request_reply(
            actor=receptionist, service_request=other_phone, body="该案定于12月1日在线开庭。"
        )
    assert check(signed_in(receptionist), other_phone, mobile=PARTY_MOBILE).status_code == 302
    services.service_request_reply(
        actor=receptionist, service_request=other_phone, body="该案定于12月1日在线开庭。"
    )
    assert other_phone.replies.count() == 1
    assert not Event.objects.filter(verb="reply_to_unverified_confirmed").exists()
