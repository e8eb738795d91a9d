"""The pages of work records, coordination and aid: the records section of the matter page and
its forms (who sees which), refusals shown in Chinese with nothing written, the liaison's
coordination page (their department's requests only, 404 for others), the aid list and its
masked, audited .xlsx export."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from youjie.core.models import AuditEntry
from youjie.courtcases.models import CourtCase
from youjie.orgs.models import OrgUnit
from youjie.petitions import services
from youjie.petitions.choices import AidStatus, CoordinationStatus
from youjie.petitions.models import (
    Aid,
    AidWageBase,
    CoordinationRequest,
    PetitionMatter,
    WorkRecord,
)

from .conftest import assign, make_matter, make_person, unit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def matter(city_officer, lead_official, case_handler) -> PetitionMatter:
    person = make_person(city_officer, "张三")
    case = CourtCase.objects.create(
        case_number="（2025）内0206民初88号",
        year=2025,
        court_code="内0206",
        type_code="民初",
        sequence=88,
        court=OrgUnit.objects.get(code="BT-BYEB-FY"),
    )
    return assign(
        city_officer,
        make_matter(city_officer, petitioner=person, court_cases=[case]),
        lead=lead_official,
        handler=case_handler,
    )


def detail_url(matter: PetitionMatter) -> str:
    return reverse("petitions:detail", args=[matter.pk])


def test_the_matter_page_shows_the_records_section_and_the_forms_each_may_use(
    matter, lead_official, court_leader, settings
):
    settings.YOUJIE_OTP_ENFORCED = False  # the court leader reaches the page
    page = client_for(lead_official).get(detail_url(matter))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="records"' in html and 'id="work-records"' in html
    assert "每案必见：包案领导尚未与 张三 见面" in html
    for name in ("work_record", "coordination", "aid"):
        assert f'id="action-{name}"' in html
    # A unit leader sees the matter (指导 responsibility) but works through the assigned people.
    page = client_for(court_leader).get(detail_url(matter))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="work-records"' in html and 'id="action-work_record"' not in html


def test_recording_a_meeting_through_the_page(matter, lead_official, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    person = matter.petitioners.get()
    response = client_for(lead_official).post(
        reverse("petitions:work_record_create", args=[matter.pk]),
        {
            "kind": "appointment",
            "held_on": "2026-11-20",
            "place": "旗委政法委接待室",
            "lead_official_present": "on",
            "petitioners_met": [str(person.pk)],
            "findings": "听取诉求，核对借贷事实。",
            "law_explanation": "说明再审程序。",
            "attitude": "accepts",
            "attachments": [SimpleUploadedFile("笔录.pdf", PDF)],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    record = WorkRecord.objects.get()
    assert record.lead_official == lead_official and record.attachments.count() == 1
    html = client_for(lead_official).get(detail_url(matter)).content.decode()
    assert "每案必见：包案领导已与全部信访人见面" in html
    assert "笔录.pdf" in html and "登记工作记录" in html
    download = client_for(lead_official).get(
        reverse(
            "petitions:work_record_file",
            args=[matter.pk, record.pk, record.attachments.get().pk],
        )
    )
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]


def test_a_refused_record_shows_the_message_and_writes_nothing(matter, lead_official):
    response = client_for(lead_official).post(
        reverse("petitions:work_record_create", args=[matter.pk]),
        {"kind": "appointment", "held_on": "2027-01-01", "findings": ""},
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "请填写工作情况及核查结论" in html
    assert "登记工作记录：请检查填写内容" in html
    assert not WorkRecord.objects.exists()
    # A service refusal: the date lies after today (the form's range allows it).
    response = client_for(lead_official).post(
        reverse("petitions:work_record_create", args=[matter.pk]),
        {"kind": "file_review", "held_on": "2026-12-30", "findings": "查阅卷宗"},
    )
    assert response.status_code == 422
    assert "日期不能晚于今天" in response.content.decode()
    assert not WorkRecord.objects.exists()


def test_outsiders_get_a_404_or_403_and_nothing_is_written(
    matter, byeb_county_officer, judge, department_liaison
):
    url = reverse("petitions:work_record_create", args=[matter.pk])
    data = {"kind": "file_review", "held_on": "2026-11-20", "findings": "查阅卷宗"}
    assert client_for(byeb_county_officer).post(url, data).status_code == 404
    assert client_for(judge).post(url, data).status_code == 404
    assert client_for(department_liaison).post(url, data).status_code == 404
    assert not WorkRecord.objects.exists()


def test_coordination_from_the_matter_page_to_the_liaisons_reply(
    matter, case_handler, department_liaison, county_officer
):
    response = client_for(case_handler).post(
        reverse("petitions:coordination_create", args=[matter.pk]),
        {
            "department": str(unit("BT-ZJJ").pk),
            "request_text": "请核实房屋网签备案情况。",
            "workdays": "10",
        },
    )
    assert response.status_code == 302
    request = CoordinationRequest.objects.get()
    other = services.coordination_request_send(
        actor=case_handler, matter=matter, department=unit("BT-MZJ"), request_text="请核实低保"
    )
    liaison = client_for(department_liaison)
    # The liaison's home page counts their department's open request; the coordination page
    # lists it and not the other department's.
    home = liaison.get(reverse("home")).content.decode()
    assert "待答复的协调请求 1 件" in home
    page = liaison.get(reverse("petitions:coordination"))
    html = page.content.decode()
    assert page.status_code == 200
    assert f'id="coordination-{request.pk}"' in html
    assert f'id="coordination-{other.pk}"' not in html
    assert "提交答复" in html
    # Replying to another department's request: 404, nothing written.
    reply = reverse("petitions:coordination_reply", args=[other.pk])
    assert liaison.post(reply, {"reply_text": "答复"}).status_code == 404
    # An empty reply is refused in Chinese; a good one is recorded.
    url = reverse("petitions:coordination_reply", args=[request.pk])
    refused = liaison.post(url, {"reply_text": ""})
    assert refused.status_code == 422 and "请填写答复内容" in refused.content.decode()
    assert liaison.post(url, {"reply_text": "已查明，将于本月办结网签。"}).status_code == 302
    request.refresh_from_db()
    other.refresh_from_db()
    assert request.status == CoordinationStatus.REPLIED
    assert other.status == CoordinationStatus.SENT
    # The matter's county office sees both on its coordination page, but may not reply.
    html = client_for(county_officer).get(reverse("petitions:coordination")).content.decode()
    assert f'id="coordination-{other.pk}"' in html and "提交答复" not in html
    assert (
        client_for(county_officer)
        .post(reverse("petitions:coordination_reply", args=[other.pk]), {"reply_text": "x"})
        .status_code
        == 403
    )


def test_aid_through_the_page_the_list_and_the_masked_audited_export(
    matter, case_handler, county_officer, lead_official
):
    AidWageBase.objects.create(year=2025, monthly_wage=Decimal("8000.00"), source="测试")
    person = matter.petitioners.get()
    case = matter.court_cases.get()
    response = client_for(case_handler).post(
        reverse("petitions:aid_create", args=[matter.pk]),
        {
            "kind": "judicial",
            "person": str(person.pk),
            "court_case": str(case.pk),
            "amount": "300000.00",
            "reason": "因案致贫",
            "applied_on": "2026-11-20",
        },
    )
    # Above the cap (288,000.00) without the court's award: refused, nothing written.
    assert response.status_code == 422
    assert "须填写应判赔或判决未执行金额" in response.content.decode()
    assert not Aid.objects.exists()
    response = client_for(case_handler).post(
        reverse("petitions:aid_create", args=[matter.pk]),
        {
            "kind": "judicial",
            "person": str(person.pk),
            "court_case": str(case.pk),
            "amount": "100000.005",
            "reason": "因案致贫",
            "applied_on": "2026-11-20",
        },
    )
    assert response.status_code == 422
    assert "申请金额（元）应为金额，最多保留两位小数" in response.content.decode()
    aid = services.aid_apply(
        actor=case_handler,
        matter=matter,
        person=person,
        kind="judicial",
        court_case=case,
        amount=Decimal("20000.00"),
        reason="因案致贫",
        applied_on=date(2026, 11, 20),
    )
    # The handler sees the aid but no decision form; the county office approves.
    html = client_for(case_handler).get(detail_url(matter)).content.decode()
    assert f'id="aid-{aid.pk}"' in html and f'id="action-aid{aid.pk}-approve"' not in html
    assert "救助上限 288,000.00 元" in html
    officer = client_for(county_officer)
    html = officer.get(detail_url(matter)).content.decode()
    assert f'id="action-aid{aid.pk}-approve"' in html
    approve = reverse("petitions:aid_action", args=[matter.pk, aid.pk, "approve"])
    assert client_for(case_handler).post(approve, {}).status_code == 403
    response = officer.post(
        approve, {"approved_amount": "20000.00", "opinion": "同意", "decided_on": "2026-11-23"}
    )
    assert response.status_code == 302
    aid.refresh_from_db()
    assert aid.status == AidStatus.APPROVED
    # The aid list and its export: office officers only, persons masked, each export audited.
    assert client_for(lead_official).get(reverse("petitions:aid_list")).status_code == 403
    listing = officer.get(reverse("petitions:aid_list"), {"status": "approved"})
    assert listing.status_code == 200 and matter.number in listing.content.decode()
    bad = officer.get(reverse("petitions:aid_list"), {"status": "nonsense"})
    assert bad.status_code == 422
    export = officer.get(reverse("petitions:aid_export"), {"kind": "judicial"})
    assert export.status_code == 200
    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(export.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[3][0] == matter.number and rows[3][1] == "张三"
    assert rows[3][6] == 20000 and rows[3][7] == 288000
    entry = AuditEntry.objects.get(action="export_aid_list")
    assert entry.actor == county_officer and "1条" in entry.purpose


def test_the_lists_cost_the_same_queries_for_more_rows(
    matter, case_handler, department_liaison, county_officer
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(client: Client, url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    def add(count: int) -> None:
        for index in range(count):
            services.coordination_request_send(
                actor=case_handler,
                matter=matter,
                department=unit("BT-ZJJ"),
                request_text=f"{index}",
            )
            services.aid_apply(
                actor=case_handler,
                matter=matter,
                person=matter.petitioners.get(),
                kind="temporary",
                amount=Decimal("100.00"),
                reason="困难",
            )

    liaison, officer = client_for(department_liaison), client_for(county_officer)
    add(1)
    few = (
        queries(liaison, reverse("petitions:coordination")),
        queries(officer, reverse("petitions:aid_list")),
        queries(officer, detail_url(matter)),
    )
    add(4)
    many = (
        queries(liaison, reverse("petitions:coordination")),
        queries(officer, reverse("petitions:aid_list")),
        queries(officer, detail_url(matter)),
    )
    assert few == many
