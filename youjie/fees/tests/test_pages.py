"""The fee pages: issuing with a preview of the lines and their articles, the notice with its
forms, the printable notice with its QR code, the audited phone, the public pay page and relief
form; who sees what (staff of the case's court only; 404 for the others)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from youjie.core.models import AuditEntry
from youjie.fees import services
from youjie.fees.choices import NoticeStatus, ReliefStatus
from youjie.fees.models import CounterPayment, FeeNotice, ReliefApplication
from youjie.fees.tests.conftest import issue, make_case

pytestmark = pytest.mark.django_db


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_issue_shows_the_lines_before_issuing(
    receptionist: Any, court_case: Any, frozen: Any
) -> None:
    client = signed_in(receptionist)
    url = f"/fees/cases/{court_case.pk}/issue/"
    plaintiff = court_case.parties.get(role="plaintiff")
    data = {
        "fee_kind": "property",
        "amount": "200,000",
        "procedure": "simple",
        "party": plaintiff.pk,
    }
    preview = client.post(url, data)
    assert preview.status_code == 200
    text = preview.content.decode()
    assert "《诉讼费用交纳办法》第十三条第（一）项" in text and "第十六条" in text
    assert "2,150.00" in text  # 4,300 halved for 简易程序 (Art. 16)
    assert not FeeNotice.objects.exists()
    issued = client.post(url, {**data, "confirm": "on"})
    assert issued.status_code == 302
    notice = FeeNotice.objects.get()
    assert issued["Location"] == f"/fees/notices/{notice.pk}/"
    assert notice.amount_due.to_eng_string() == "2150.00"
    refused = client.post(url, {**data, "amount": "-5", "confirm": "on"})
    assert refused.status_code == 422 and "金额不能为负数" in refused.content.decode()
    found = client.get("/fees/notices/", {"case_number": court_case.case_number})
    assert found.status_code == 302 and found["Location"] == url


def test_the_notice_page_print_and_phone(notice: FeeNotice, receptionist: Any) -> None:
    client = signed_in(receptionist)
    page = client.get(f"/fees/notices/{notice.pk}/").content.decode()
    assert notice.number in page and "139****5678" in page and "13912345678" not in page
    printed = client.get(f"/fees/notices/{notice.pk}/print/").content.decode()
    assert 'src="data:image/svg+xml' in printed
    assert "肆仟叁佰元整" in printed and "2026年11月30日" in printed
    assert services.pay_path(services.notice_token(notice)) in printed
    revealed = client.post(f"/fees/notices/{notice.pk}/phone/")
    assert "13912345678" in revealed.content.decode()
    entry = AuditEntry.objects.get(action="view_full_phone")
    assert entry.subject_id == str(notice.pk) and entry.fields == ["payer_phone"]


def test_counter_payment_from_the_page(notice: FeeNotice, receptionist: Any, judge: Any) -> None:
    url = f"/fees/notices/{notice.pk}/counter/"
    data = {"amount": "4300.00", "receipt_number": "NM-1", "paid_on": "2026-11-23"}
    assert signed_in(judge).post(url, data).status_code == 403  # a judge does not take money
    wrong = signed_in(receptionist).post(url, {**data, "amount": "4000"})
    assert wrong.status_code == 422 and "应为待缴金额4,300.00元" in wrong.content.decode()
    assert signed_in(receptionist).post(url, data).status_code == 302
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.PAID
    assert CounterPayment.objects.get().receipt_number == "NM-1"
    again = signed_in(receptionist).post(url, {**data, "receipt_number": "NM-2"})
    assert again.status_code == 422 and "已缴费" in again.content.decode()


def test_the_public_pay_page_and_relief_form(
    notice: FeeNotice, division_head: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    public = Client()
    token = services.notice_token(notice)
    page = public.get(f"/fees/pay/{token}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "张*丰" in text and "张三丰" not in text and "139****5678" in text
    assert "4,300.00" in text and "暂未开通在线缴费" in text  # no provider configured here
    assert public.get(f"/fees/pay/{token[:-1]}x/").status_code == 404
    relief_url = f"/fees/pay/{token}/relief/"
    proof = SimpleUploadedFile("低保证.jpg", b"\xff\xd8\xff\xe0" + b"0" * 64, "image/jpeg")
    data = {
        "kind": "reduce",
        "applicant_name": "张三丰",
        "applicant_kind": "person",
        "reasons": "低保对象",
        "requested_percent": "20",
        "proof1": proof,
    }
    refused = public.post(relief_url, data)
    assert refused.status_code == 422 and "不得低于30%" in refused.content.decode()
    proof.seek(0)
    done = public.post(relief_url, {**data, "requested_percent": "50", "proof1": proof})
    assert done.status_code == 302 and done["Location"] == f"/fees/pay/{token}/"
    assert "救助申请已提交" in public.get(done["Location"]).content.decode()
    application = ReliefApplication.objects.get()
    assert application.submitted_online and application.status == ReliefStatus.PENDING
    leader = signed_in(division_head)
    decided = leader.post(
        f"/fees/reliefs/{application.pk}/decide/", {"decision": "grant", "percent": "50"}
    )
    assert decided.status_code == 302 and decided["Location"] == f"/fees/notices/{notice.pk}/"
    notice.refresh_from_db()
    assert str(notice.amount_due) == "2150.00"


@pytest.mark.parametrize("persona", ["city_officer", "mediator", "qingshan_receptionist"])
def test_nobody_outside_the_court_sees_a_notice(
    notice: FeeNotice, persona: str, request: pytest.FixtureRequest
) -> None:
    client = signed_in(request.getfixturevalue(persona))
    for url in (
        f"/fees/notices/{notice.pk}/",
        f"/fees/notices/{notice.pk}/print/",
    ):
        assert client.get(url).status_code in (403, 404)
    if persona == "qingshan_receptionist":  # fee staff of another court: a 404, as if missing
        assert client.get(f"/fees/notices/{notice.pk}/").status_code == 404
        listing = client.get("/fees/notices/").content.decode()
        assert notice.number not in listing
        counter = client.post(
            f"/fees/notices/{notice.pk}/counter/",
            {"amount": "4300.00", "receipt_number": "QS-1", "paid_on": "2026-11-23"},
        )
        assert counter.status_code == 404
    else:
        assert client.get("/fees/notices/").status_code == 403


def test_the_list_filters_in_a_bounded_number_of_queries(
    receptionist: Any, judge: Any, frozen: Any, django_assert_max_num_queries: Any
) -> None:
    for sequence in range(930, 936):
        issue(receptionist, make_case(judge=judge, sequence=sequence))
    client = signed_in(receptionist)
    with django_assert_max_num_queries(20):
        response = client.get("/fees/notices/", {"state": "unpaid"})
    assert response.content.decode().count("/fees/notices/") >= 6
    assert date(2026, 11, 30).strftime("%Y-%m-%d") in response.content.decode()
