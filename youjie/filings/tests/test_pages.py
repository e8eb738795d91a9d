"""The filing flow through the pages: the public page files at 白云鄂博 for 青山区, the receiving
court asks for a supplement (one notice), the submitter provides it on the public supplement
page with the SMS code, 白云鄂博 forwards, 青山区 accepts — each event asserted; a refusal's
.docx; bad input re-rendered with Chinese messages and nothing written; the queues."""

from __future__ import annotations

import io
import re
import time
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from docx import Document

from youjie.core.models import AuditEntry
from youjie.filings.choices import FilingStatus
from youjie.filings.models import Filing
from youjie.filings.tests.support import (
    COMPANY_USCC,
    DEFENDANT_ID,
    PDF,
    PLAINTIFF_ID,
    SUBMITTER_PHONE,
    sms_bodies,
    submit,
    unit,
    verbs,
)
from youjie.orgs.models import User
from youjie.portal.formguard import form_token_issue

pytestmark = pytest.mark.usefixtures("frozen")


def token(name: str) -> str:
    return form_token_issue(name, issued_at=time.time() - 30)


def apply_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "form_token": token("filing_apply"),
        "website": "",
        "receiving_court": "BT-BYEB-FY",
        "competent_court": "BT-QS-FY",
        "case_kind": "civil_first",
        "procedure": "simple",
        "cause": "买卖合同纠纷",
        "claims": "判令被告支付货款30000元",
        "amount": "30000",
        "currency": "CNY",
        "facts_and_reasons": "原告向被告供货，被告至今未付货款。",
        "evidence_list": "买卖合同\n送货单",
        "mediation_consent": "on",
        "submitter_kind": "party",
        "submitter_name": "张晓明",
        "submitter_phone": "139 1234 5678",
        "parties-TOTAL_FORMS": "3",
        "parties-INITIAL_FORMS": "0",
        "parties-MIN_NUM_FORMS": "2",
        "parties-MAX_NUM_FORMS": "20",
        "parties-0-role": "plaintiff",
        "parties-0-kind": "person",
        "parties-0-name": "张晓明",
        "parties-0-id_number": PLAINTIFF_ID,
        "parties-0-phone": "13800001111",
        "parties-1-role": "defendant",
        "parties-1-kind": "person",
        "parties-1-name": "李大力",
        "parties-1-id_number": DEFENDANT_ID,
        "parties-2-role": "defendant",
        "parties-2-kind": "enterprise",
        "parties-2-name": "包头市某矿业有限公司",
        "parties-2-id_number": COMPANY_USCC,
        "complaint_file": SimpleUploadedFile("起诉状.pdf", PDF),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def login(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def action(client: Client, filing: Filing, name: str, **data: Any) -> Any:
    filing.refresh_from_db()
    return client.post(
        f"/filings/{filing.pk}/actions/{name}/", {"expected_status": filing.status, **data}
    )


def test_public_filing_to_acceptance_through_the_pages(
    receptionist: User, qingshan_receptionist: User
) -> None:
    public = Client()
    page = public.get("/filings/apply/")
    assert page.status_code == 200 and "网上立案" in page.content.decode()
    response = public.post("/filings/apply/", apply_data())
    assert response.status_code == 302, response.content.decode()[:2000]
    done = public.get(response["Location"])
    filing = Filing.objects.get()
    assert filing.number in done.content.decode()
    assert filing.status == FilingStatus.RECEIVED and filing.cross_domain
    assert filing.mediation_consent and filing.channel == "portal"
    assert filing.materials.filter(kind="evidence").count() == 2  # the evidence list
    # A reload of the same form (its token spent) writes nothing.
    again = public.post(
        "/filings/apply/", apply_data(form_token=response.wsgi_request.POST["form_token"])
    )
    assert again.status_code == 400 and Filing.objects.count() == 1

    byeb, qingshan = login(receptionist), login(qingshan_receptionist)
    queue = byeb.get("/filings/?queue=check")
    assert filing.number in queue.content.decode()
    assert qingshan.get(f"/filings/{filing.pk}/").status_code == 200  # both courts see it
    # 青山区 cannot check what 白云鄂博 received.
    assert action(qingshan, filing, "forward").status_code == 403

    response = action(byeb, filing, "supplement", items="原告身份证复印件\n送货单原件照片")
    assert response.status_code == 302
    filing.refresh_from_db()
    assert filing.status == FilingStatus.SUPPLEMENT
    code = re.search(r"补正码(\d{8})", sms_bodies(filing)[-1])
    assert code is not None

    supplement_url = f"/filings/apply/{filing.number}/supplement/"
    wrong = public.post(
        supplement_url,
        {
            "form_token": token("filing_supplement"),
            "website": "",
            "mobile": SUBMITTER_PHONE,
            "code": "00000000" if code.group(1) != "00000000" else "11111111",
            "file_1": SimpleUploadedFile("身份证.pdf", PDF),
        },
    )
    assert wrong.status_code == 422 and "补正码不正确" in wrong.content.decode()
    response = public.post(
        supplement_url,
        {
            "form_token": token("filing_supplement"),
            "website": "",
            "mobile": SUBMITTER_PHONE,
            "code": code.group(1),
            "note": "已补充",
            "file_1": SimpleUploadedFile("身份证.pdf", PDF),
        },
    )
    assert response.status_code == 302
    filing.refresh_from_db()
    assert filing.status == FilingStatus.RECEIVED and filing.supplement_round == 1

    assert action(byeb, filing, "forward", note="核对无误").status_code == 302
    filing.refresh_from_db()
    assert filing.status == FilingStatus.REVIEW and filing.decision_due is not None
    review = qingshan.get("/filings/?queue=review")
    assert filing.number in review.content.decode()

    division = unit("BT-QS-MS")
    response = action(
        qingshan,
        filing,
        "accept",
        division=str(division.pk),
        procedure="simple",
        fast_track="on",
        cause="买卖合同纠纷",
    )
    assert response.status_code == 302
    filing.refresh_from_db()
    assert filing.status == FilingStatus.ACCEPTED
    assert filing.court_case is not None
    assert re.fullmatch(r"（2026）内0204民初\d+号", filing.court_case.case_number)
    assert filing.court_case.parties.filter(person__isnull=False).count() == 2
    assert verbs(filing) == [
        "submitted",
        "supplement_requested",
        "supplement_provided",
        "forwarded",
        "accepted",
    ]
    detail = qingshan.get(f"/filings/{filing.pk}/").content.decode()
    assert filing.court_case.case_number in detail and "登记立案" in detail


def test_bad_input_on_the_public_page_is_refused_in_chinese_and_writes_nothing(
    org_tree: None, settings: Any
) -> None:
    # Each well-formed attempt takes a slot of the portal's limits: room for this test's.
    settings.YOUJIE_PORTAL_RATE_LIMITS = {"submit_ip": (50, 3600), "submit_mobile": (50, 3600)}
    cases: list[dict[str, Any]] = [
        {"amount": "-5"},
        {"amount": "1000000000001"},
        {"currency": "USD"},
        {"complaint_file": None},
        {"complaint_file": SimpleUploadedFile("起诉状.png", b"plain text pretending")},
        {"parties-0-id_number": "150206198503120021"},
    ]
    for overrides in cases:
        response = Client().post("/filings/apply/", apply_data(**overrides))
        body = response.content.decode()
        assert response.status_code == 422, (overrides, response.status_code)
        assert re.search(r'role="alert"|errorlist', body)
        assert not Filing.objects.exists(), overrides
    body = Client().post("/filings/apply/", apply_data(currency="USD")).content.decode()
    assert "只接受人民币（CNY）" in body
    body = (
        Client()
        .post("/filings/apply/", apply_data(complaint_file=SimpleUploadedFile("a.png", b"text")))
        .content.decode()
    )
    assert "内容与扩展名不符" in body


def test_refusal_through_the_page_gives_a_docx_ruling(receptionist: User) -> None:
    filing = submit()
    client = login(receptionist)
    too_short = action(client, filing, "refuse", reason="不行")
    assert too_short.status_code == 422
    reason = "原告与被告之间不存在民事法律关系，起诉不符合民事诉讼法第一百二十二条的规定"
    assert action(client, filing, "refuse", reason=reason).status_code == 302
    response = client.get(f"/filings/{filing.pk}/ruling.docx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "民事裁定书" in text and reason in text and "不予受理" in text
    assert "白云鄂博矿区人民法院" in text and "二〇二六年十一月二十三日" in text
    # No ruling for a filing that was not refused.
    other = submit()
    assert client.get(f"/filings/{other.pk}/ruling.docx").status_code == 404


def test_the_counter_form_files_for_a_walk_in_once(receptionist: User) -> None:
    client = login(receptionist)
    data = apply_data(competent_court="BT-BYEB-FY", submission_key="counter-key-1")
    data.pop("receiving_court")
    response = client.post("/filings/new/", data)
    assert response.status_code == 302, response.content.decode()[:1500]
    filing = Filing.objects.get()
    assert filing.channel == "counter" and filing.status == FilingStatus.REVIEW
    assert filing.receiving_court == unit("BT-BYEB-FY")
    data["complaint_file"] = SimpleUploadedFile("起诉状.pdf", PDF)
    again = client.post("/filings/new/", data)
    assert again.status_code == 302 and Filing.objects.count() == 1


def test_revealing_a_party_id_number_is_audited(receptionist: User, division_head: User) -> None:
    filing = submit()
    party = filing.parties.order_by("id").first()
    assert party is not None
    response = login(receptionist).post(
        f"/filings/{filing.pk}/reveal/", {"party": party.pk, "field": "id_number"}
    )
    assert response.status_code == 200 and PLAINTIFF_ID in response.content.decode()
    assert AuditEntry.objects.filter(action="view_full_id_number").count() == 1
    refused = login(division_head).post(
        f"/filings/{filing.pk}/reveal/", {"party": party.pk, "field": "id_number"}
    )
    assert refused.status_code == 403 and PLAINTIFF_ID not in refused.content.decode()


def test_the_overdue_list_marks_filings_past_their_decision_day(
    receptionist: User, division_head: User
) -> None:
    import time_machine

    from youjie.filings.tests.support import NOW

    with time_machine.travel(NOW.replace(month=10, day=9), tick=False):
        late = submit()
    fresh = submit()
    body = login(division_head).get("/filings/?queue=overdue").content.decode()
    assert late.number in body and fresh.number not in body
    assert "应先行立案" in body
    home = login(receptionist).get("/").content.decode()
    assert "网上立案" in home and "超期未决" in home
