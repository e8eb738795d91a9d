"""Case progress for parties (网上查询): the identity check (a party's phone on file, the filer's
phone, a lawyer's licence number), the SMS code, the page — and nothing of anybody else's case."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from youjie.core.crypto import encrypt_text
from youjie.core.models import AuditEntry, Event
from youjie.courtcases.choices import HearingKind
from youjie.courtcases.hearings import hearing_schedule
from youjie.courtcases.models import CourtCase
from youjie.courtcases.tests.hearingworld import (
    DEFENDANT_MOBILE,
    LINK,
    NOW,
    PLAINTIFF_MOBILE,
    beijing,
    civil_case,
)
from youjie.fees import services as fees
from youjie.fees.choices import NoticeStatus
from youjie.fees.models import FeeNotice
from youjie.filings.choices import FilingStatus, SubmitterKind
from youjie.filings.models import Filing, FilingParty
from youjie.notifications.models import Notification
from youjie.orgs.models import OrgUnit, User
from youjie.people.identity import phone_hash
from youjie.people.validators import mask_mobile
from youjie.portal.models import TrackingCode
from youjie.portal.tests.conftest import guard_fields
from youjie.portal.views import CASE_NOT_FOUND_MESSAGE

pytestmark = pytest.mark.django_db

LAWYER_MOBILE = "13700007777"
LICENCE = "11502200910123456"
AGENT_LICENCE = "11502200810654321"


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def case_a(receptionist: User, judge: User) -> CourtCase:
    court_case = civil_case(receptionist=receptionist, judge=judge, sequence=701)
    hearing_schedule(
        actor=judge,
        court_case=court_case,
        hearing_kind=HearingKind.ONLINE,
        hearing_at=beijing(12, 8, 9, 30),
        hearing_link=LINK,
    )
    return court_case


@pytest.fixture
def case_b(receptionist: User, judge: User) -> CourtCase:
    """Another case whose parties have other phones."""
    court_case = civil_case(receptionist=receptionist, judge=judge, sequence=702)
    court_case.parties.all().delete()
    return court_case


def make_filing(
    *,
    number: str = "网立2026-000123",
    court_case: CourtCase | None = None,
    status: str = FilingStatus.REVIEW,
    submitter_kind: str = SubmitterKind.PARTY,
    mobile: str = PLAINTIFF_MOBILE,
    licence: str = "",
) -> Filing:
    court = OrgUnit.objects.get(code="BT-BYEB-FY")
    return Filing.objects.create(
        number=number,
        year=2026,
        sequence=int(number[-6:]),
        status=status,
        receiving_court=court,
        competent_court=court,
        case_kind="civil_first",
        cause="民间借贷纠纷",
        claims="判令被告归还借款五万元",
        facts_and_reasons="被告借款到期未还。",
        submitter_kind=submitter_kind,
        submitter_name="王律师" if submitter_kind == SubmitterKind.LAWYER else "张三",
        submitter_phone_encrypted=encrypt_text(mobile),
        submitter_phone_hash=phone_hash(mobile),
        submitter_phone_masked=mask_mobile(mobile),
        lawyer_licence_number=licence,
        submitted_at=NOW - timedelta(days=3),
        court_case=court_case,
        supplement_items=["身份证明复印件", "借条原件照片"]
        if status == FilingStatus.SUPPLEMENT
        else [],
    )


def ask(client: Client, number: str, mobile: str, **extra: str) -> Any:
    data = {"number": number, "mobile": mobile, "identity": "party", **extra}
    return client.post(
        reverse("portal:cases"), {**guard_fields("case_query"), **data}, REMOTE_ADDR="10.0.0.1"
    )


def progress_url(key: str) -> str:
    return reverse("portal:case_progress", args=[key])


def test_a_party_verifies_by_phone_and_sees_the_case_with_its_hearings(
    case_a: CourtCase,
) -> None:
    client = Client()
    response = ask(client, " (2026)内0206民初701号 ", "+86 138 1234 0002")  # any spelling
    assert response.status_code == 302
    assert response["Location"] == progress_url(case_a.case_number)

    page = client.get(progress_url(case_a.case_number)).content.decode()
    for shown in (
        case_a.case_number,
        "审理中",
        "白云鄂博矿区人民法院",
        "民事审判庭",
        "李敏",
        "2026年12月8日 09:30",
        "在线庭审",
        LINK,
        "暂无可查看的法律文书",
    ):
        assert shown in page, shown
    assert "13812340002" not in page and "张三701" not in page  # no party details
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.subject_type, entry.subject_id) == (
        "portal_case_view",
        "courtcases.courtcase",
        str(case_a.pk),
    )
    assert "138****0002" in entry.purpose and entry.actor_id is None
    assert "hearings" in entry.fields
    client.get(progress_url(case_a.case_number))
    assert AuditEntry.objects.count() == 2  # every full view


def test_the_link_is_gone_once_the_hearing_is_over(case_a: CourtCase) -> None:
    client = Client()
    ask(client, case_a.case_number, PLAINTIFF_MOBILE)
    with time_machine.travel(beijing(12, 8, 11, 0), tick=False):
        ask(client, case_a.case_number, PLAINTIFF_MOBILE)
        page = client.get(progress_url(case_a.case_number)).content.decode()
    assert "2026年12月8日 09:30" in page and LINK not in page


def test_a_wrong_phone_reads_exactly_like_an_unknown_case(case_a: CourtCase) -> None:
    answers = [
        ask(Client(), case_a.case_number, "13900009999"),  # not a party's
        ask(Client(), "（2026）内0206民初99999号", PLAINTIFF_MOBILE),  # no such case
        ask(Client(), "网立2026-009999", PLAINTIFF_MOBILE),  # no such filing
    ]
    for answer in answers:
        assert answer.status_code == 200
        assert answer.context["form"].non_field_errors() == [CASE_NOT_FOUND_MESSAGE]
    assert not TrackingCode.objects.exists() and not AuditEntry.objects.exists()
    assert not Notification.objects.filter(template_key="portal.case_code").exists()
    malformed = ask(Client(), "内0206民初", PLAINTIFF_MOBILE)
    assert "请输入案号" in malformed.content.decode()


def test_a_party_of_one_case_cannot_open_another(case_a: CourtCase, case_b: CourtCase) -> None:
    client = Client()
    ask(client, case_a.case_number, PLAINTIFF_MOBILE)
    assert client.get(progress_url(case_a.case_number)).status_code == 200

    other = client.get(progress_url(case_b.case_number), follow=True)
    assert other.redirect_chain == [(reverse("portal:cases"), 302)]
    page = other.content.decode()
    assert "请输入案号和手机号码验证身份后查看" in page
    assert case_b.case_number not in page
    refused = ask(client, case_b.case_number, PLAINTIFF_MOBILE)  # A's phone is no party's of B
    assert refused.context["form"].non_field_errors() == [CASE_NOT_FOUND_MESSAGE]
    assert client.get(progress_url(case_b.case_number)).status_code == 302
    assert {entry.subject_id for entry in AuditEntry.objects.all()} == {str(case_a.pk)}
    for junk in ("nonsense", "网立2026-0001", "%00", "（2026）内0206民初" + "9" * 40 + "号"):
        assert client.get(progress_url(junk)).status_code in (302, 404)


def test_the_verification_lasts_thirty_minutes(case_a: CourtCase) -> None:
    client = Client()
    ask(client, case_a.case_number, PLAINTIFF_MOBILE)
    with time_machine.travel(NOW + timedelta(minutes=29), tick=False):
        assert client.get(progress_url(case_a.case_number)).status_code == 200
    with time_machine.travel(NOW + timedelta(minutes=31), tick=False):
        assert client.get(progress_url(case_a.case_number)).status_code == 302


def test_with_an_sms_gateway_a_code_is_sent_and_checked(case_a: CourtCase, settings: Any) -> None:
    settings.YOUJIE_NOTIFY_TRANSPORTS = {"sms": "http_sms"}
    client = Client()
    response = ask(client, case_a.case_number, PLAINTIFF_MOBILE)
    assert response["Location"] == reverse("portal:case_code")
    row = TrackingCode.objects.get()
    assert (row.court_case_id, row.filing_id, row.service_request_id) == (case_a.pk, None, None)
    text = Notification.objects.get(template_key="portal.case_code")
    assert f"用于查询案件{case_a.case_number}的进度" in text.body
    code = re.search(r"验证码(\d{6})", text.body).group(1)  # type: ignore[union-attr]
    assert client.get(progress_url(case_a.case_number)).status_code == 302  # not yet

    wrong = "000000" if code != "000000" else "111111"
    answer = client.post(reverse("portal:case_code"), {**guard_fields("case_code"), "code": wrong})
    assert answer.status_code == 422 and "还可尝试4次" in answer.content.decode()
    answer = client.post(reverse("portal:case_code"), {**guard_fields("case_code"), "code": code})
    assert answer["Location"] == progress_url(case_a.case_number)
    assert client.get(progress_url(case_a.case_number)).status_code == 200
    assert "138****0001" in AuditEntry.objects.get().purpose


def test_five_wrong_codes_spend_it(case_a: CourtCase, settings: Any) -> None:
    settings.YOUJIE_NOTIFY_TRANSPORTS = {"sms": "http_sms"}
    client = Client()
    ask(client, case_a.case_number, PLAINTIFF_MOBILE)
    code = re.search(
        r"验证码(\d{6})", Notification.objects.get(template_key="portal.case_code").body
    )
    assert code is not None
    wrong = "000000" if code.group(1) != "000000" else "111111"
    for _ in range(4):
        client.post(reverse("portal:case_code"), {**guard_fields("case_code"), "code": wrong})
    last = client.post(
        reverse("portal:case_code"), {**guard_fields("case_code"), "code": wrong}, follow=True
    )
    assert "验证码已失效或错误次数过多" in last.content.decode()
    right = client.post(
        reverse("portal:case_code"), {**guard_fields("case_code"), "code": code.group(1)}
    )
    assert right["Location"] == reverse("portal:cases")  # nothing pending any more
    assert client.get(progress_url(case_a.case_number)).status_code == 302


def test_queries_of_one_case_are_rate_limited_from_any_address(
    case_a: CourtCase, settings: Any
) -> None:
    settings.YOUJIE_PORTAL_RATE_LIMITS = {"case_query_number": (3, 3600)}
    for phone in ("13900000001", "13900000002", "13900000003"):
        assert ask(Client(), case_a.case_number, phone).status_code == 200
    limited = ask(Client(), case_a.case_number, PLAINTIFF_MOBILE)
    assert limited.status_code == 429 and "操作过于频繁" in limited.content.decode()


def test_a_lawyer_gives_the_licence_number_on_file(case_a: CourtCase) -> None:
    filing = make_filing(
        court_case=case_a,
        status=FilingStatus.ACCEPTED,
        submitter_kind=SubmitterKind.LAWYER,
        mobile=LAWYER_MOBILE,
        licence=LICENCE,
    )
    without = ask(Client(), case_a.case_number, LAWYER_MOBILE, identity="lawyer")
    assert without.status_code == 422 and "代理律师请填写律师执业证号" in without.content.decode()
    malformed = ask(
        Client(), case_a.case_number, LAWYER_MOBILE, identity="lawyer", lawyer_licence="123"
    )
    assert "律师执业证号应为17位数字" in malformed.content.decode()
    wrong = ask(
        Client(), case_a.case_number, LAWYER_MOBILE, identity="lawyer", lawyer_licence="1" * 17
    )
    assert wrong.context["form"].non_field_errors() == [CASE_NOT_FOUND_MESSAGE]
    # The lawyer's phone does not pass as a party's: the licence cannot be skipped.
    as_party = ask(Client(), case_a.case_number, LAWYER_MOBILE)
    assert as_party.context["form"].non_field_errors() == [CASE_NOT_FOUND_MESSAGE]

    client = Client()
    right = ask(client, filing.number, LAWYER_MOBILE, identity="lawyer", lawyer_licence=LICENCE)
    assert right["Location"] == progress_url(case_a.case_number)  # the filing became this case
    page = client.get(progress_url(case_a.case_number)).content.decode()
    assert "网立2026-000123" in page and "已登记立案，案号（2026）内0206民初701号" in page

    FilingParty.objects.create(
        filing=filing,
        role="defendant",
        kind="person",
        name="李四701",
        agent_name="赵律师",
        agent_licence_number=AGENT_LICENCE,
    )
    # The defendant's agent, with the defendant's phone on file and the licence on file.
    agent = ask(
        Client(),
        case_a.case_number,
        DEFENDANT_MOBILE,
        identity="lawyer",
        lawyer_licence=AGENT_LICENCE,
    )
    assert agent.status_code == 302


def test_a_filing_without_a_case_shows_its_status_and_what_to_supplement(
    case_a: CourtCase,
) -> None:
    filing = make_filing(number="网立2026-000124", status=FilingStatus.REVIEW)
    with transaction.atomic():
        from youjie.filings.services.common import filing_status_set

        filing_status_set(
            filing=filing,
            to_status=FilingStatus.SUPPLEMENT,
            actor="测试",
            verb="supplement_requested",
        )
    Filing.objects.filter(pk=filing.pk).update(supplement_items=["身份证明复印件", "借条原件照片"])
    client = Client()
    response = ask(client, "网立２０２６－０００１２４", PLAINTIFF_MOBILE)  # full-width
    assert response["Location"] == progress_url("网立2026-000124")
    page = client.get(progress_url("网立2026-000124")).content.decode()
    for shown in ("待补正", "需要补正的材料", "身份证明复印件", "借条原件照片", "提交立案申请",
                  "法院通知补正材料"):  # fmt: skip
        assert shown in page, shown
    assert "开庭安排" not in page  # no case yet
    assert case_a.case_number not in page
    entry = AuditEntry.objects.get()
    assert (entry.subject_type, entry.subject_id) == ("filings.filing", str(filing.pk))
    assert Event.objects.filter(verb="supplement_requested").exists()


def test_a_tracking_code_has_exactly_one_subject(case_a: CourtCase) -> None:
    filing = make_filing(number="网立2026-000125")
    common = {
        "mobile_hash": "0" * 64,
        "salt": "s",
        "code_hash": "0" * 64,
        "expires_at": timezone.now() + timedelta(minutes=10),
    }
    for subjects in ({}, {"court_case": case_a, "filing": filing}):
        with pytest.raises(IntegrityError), transaction.atomic():
            TrackingCode.objects.create(**common, **subjects)
    assert TrackingCode.objects.create(**common, filing=filing).pk


def test_the_fee_notices_show_what_is_due_with_the_pay_page_while_unpaid(
    case_a: CourtCase, receptionist: User
) -> None:
    plaintiff = case_a.parties.get(role="plaintiff")
    notice, _ = fees.notice_issue(
        actor=receptionist,
        court_case=case_a,
        data=fees.NoticeInput(fee_kind="property", amount=Decimal("50000"), party=plaintiff),
    )
    overdue, _ = fees.notice_issue(
        actor=receptionist,
        court_case=case_a,
        data=fees.NoticeInput(fee_kind="preservation", amount=Decimal("10000"), party=plaintiff),
    )
    FeeNotice.objects.filter(pk=overdue.pk).update(status=NoticeStatus.OVERDUE)
    client = Client()
    ask(client, case_a.case_number, PLAINTIFF_MOBILE)
    page = client.get(progress_url(case_a.case_number)).content.decode()
    fees_block = page[page.index('id="fees"') :]
    pay_url = reverse("fees:pay", args=[fees.notice_token(notice)])
    for shown in (
        "诉讼费用",
        notice.number,
        "案件受理费",
        "（原告）",
        "待缴费",
        "1,050.00 元",  # 50 + (50,000 − 10,000) × 2.5 %
        "2026年12月14日前",  # 7 日 from the day after 12-07 (a Monday)
        f'href="{pay_url}"',
        overdue.number,
        "逾期未缴",
        "已超过缴费期限",
    ):
        assert shown in fees_block, shown
    assert fees_block.count("在线缴费") == 1  # only the notice still payable online
    assert "张三701" not in page  # the payer by role, never by name
    assert "fees" in AuditEntry.objects.get().fields
    # The pay page the link opens is the notice's.
    assert notice.number in client.get(pay_url).content.decode()
