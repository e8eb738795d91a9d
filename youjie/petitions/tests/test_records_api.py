"""/api/v1/petitions for work records, coordination and aid: each endpoint answers in scope,
refuses bad input with a 4xx and a machine-readable code (nothing written), replays an
Idempotency-Key, and gives a 404 (never the record) outside the caller's scope."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from youjie.courtcases.models import CourtCase
from youjie.orgs.models import OrgUnit
from youjie.petitions import services
from youjie.petitions.models import (
    Aid,
    AidWageBase,
    CoordinationRequest,
    PetitionMatter,
    WorkRecord,
)

from .conftest import assign, make_matter, make_person, unit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

API = "/api/v1/petitions"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client: Client, url: str, body: dict[str, Any], **headers: str) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json", headers=headers)


@pytest.fixture
def matter(city_officer, lead_official, case_handler) -> PetitionMatter:
    case = CourtCase.objects.create(
        case_number="（2025）内0206民初77号",
        year=2025,
        court_code="内0206",
        type_code="民初",
        sequence=77,
        court=OrgUnit.objects.get(code="BT-BYEB-FY"),
    )
    return assign(
        city_officer,
        make_matter(city_officer, petitioner=make_person(city_officer, "张三"), court_cases=[case]),
        lead=lead_official,
        handler=case_handler,
    )


def test_work_records_over_the_api(matter, lead_official, case_handler, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    person = matter.petitioners.get()
    client = client_for(lead_official)
    listing = client.get(f"{API}/matters/{matter.pk}/work-records").json()
    assert listing == {"items": [], "not_met": [{"person_id": person.pk, "name": "张三"}]}
    body = {
        "kind": "appointment",
        "held_on": "2026-11-20",
        "participant_usernames": [case_handler.username],
        "lead_official_present": True,
        "petitioner_ids": [person.pk],
        "findings": "当面听取诉求",
        "attitude": "mostly_accepts",
    }
    url = f"{API}/matters/{matter.pk}/work-records"
    first = post(client, url, body, **{"Idempotency-Key": "wr-1"})
    assert first.status_code == 201, first.content
    again = post(client, url, body, **{"Idempotency-Key": "wr-1"})
    assert again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    assert WorkRecord.objects.count() == 1
    record = first.json()
    assert record["lead_official_present"] is True
    assert sorted(record["participants"]) == sorted(["周平", "吴刚"])
    assert client.get(url).json()["not_met"] == []
    upload = client.post(
        f"{url}/{record['id']}/attachments", {"file": SimpleUploadedFile("a.pdf", PDF)}
    )
    assert upload.status_code == 201 and upload.json()["attachments"][0]["name"] == "a.pdf"
    bad = client.post(
        f"{url}/{record['id']}/attachments", {"file": SimpleUploadedFile("a.exe", b"MZ")}
    )
    assert bad.status_code == 422 and bad.json()["code"] == "validation_failed"
    refused = post(client, url, {**body, "petitioner_ids": [999_999]})
    assert refused.status_code == 422 and "petitioner_ids" in refused.json()["fields"]
    refused = post(client, url, {**body, "findings": ""})
    assert refused.status_code == 422 and refused.json()["fields"]["findings"]
    assert WorkRecord.objects.count() == 1
    not_met = client.get(f"{API}/petitioners-not-met").json()
    assert not_met["items"] == []


def test_coordination_over_the_api(matter, case_handler, department_liaison):
    client = client_for(case_handler)
    url = f"{API}/matters/{matter.pk}/coordination"
    created = post(client, url, {"department": "BT-ZJJ", "request_text": "请核实", "workdays": 5})
    assert created.status_code == 201, created.content
    item = created.json()
    assert (item["department"], item["status"], item["due_on"]) == ("BT-ZJJ", "sent", "2026-11-30")
    assert post(client, url, {"department": "BT-BYEB-FY", "request_text": "x"}).status_code == 422
    assert (
        post(client, url, {"department": "BT-ZJJ", "request_text": "x", "workdays": 61}).status_code
        == 422
    )
    liaison = client_for(department_liaison)
    listed = liaison.get(f"{API}/coordination").json()["items"]
    assert [entry["id"] for entry in listed] == [item["id"]]
    reply_url = f"{API}/coordination/{item['id']}/reply"
    assert post(client, reply_url, {"reply_text": "答复"}).status_code == 403
    replied = post(liaison, reply_url, {"reply_text": "已核实"})
    assert replied.status_code == 200 and replied.json()["status"] == "replied"
    again = post(liaison, reply_url, {"reply_text": "再答复"})
    assert again.status_code == 409 and again.json()["code"] == "invalid_transition"


def test_aid_over_the_api(matter, case_handler, county_officer, city_officer):
    AidWageBase.objects.create(year=2025, monthly_wage=Decimal("8000.00"), source="测试")
    person = matter.petitioners.get()
    client = client_for(case_handler)
    url = f"{API}/matters/{matter.pk}/aid"
    body = {
        "kind": "judicial",
        "person_id": person.pk,
        "court_case": "（2025）内0206民初77号",
        "amount": "288000.01",
        "awardable_amount": "300000.00",
        "reason": "因案致贫",
        "applied_on": "2026-11-20",
    }
    refused = post(client, url, {**body, "amount": "1.005"})
    assert refused.status_code == 422 and "amount" in refused.json()["fields"]
    created = post(client, url, body, **{"Idempotency-Key": "aid-1"})
    assert created.status_code == 201, created.content
    aid = created.json()
    assert (aid["cap_amount"], aid["wage_year"]) == ("288000.00", 2025)
    assert aid["clocks"][0]["due_on"] == "2026-12-04"
    assert "10个工作日" in aid["clocks"][0]["label"]
    assert post(client, url, body, **{"Idempotency-Key": "aid-1"}).status_code == 200
    duplicate = post(client, url, body)
    assert duplicate.status_code == 422 and duplicate.json()["code"] == "aid_duplicate"
    assert Aid.objects.count() == 1
    approve = f"{API}/aid/{aid['id']}/approve"
    over = post(
        client_for(county_officer), approve, {"approved_amount": "288000.01", "opinion": "同意"}
    )
    assert over.status_code == 422 and over.json()["code"] == "above_cap"
    special = post(
        client_for(city_officer),
        f"{API}/aid/{aid['id']}/cap-approval",
        {"amount": "290000.00", "opinion": "特批"},
    )
    assert special.status_code == 200
    approved = post(
        client_for(county_officer), approve, {"approved_amount": "288000.01", "opinion": "同意"}
    )
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    funds = post(client_for(county_officer), f"{API}/aid/{aid['id']}/funds-arrived", {})
    assert funds.json()["clocks"][1]["due_on"] == "2026-11-25"
    paid = post(client_for(county_officer), f"{API}/aid/{aid['id']}/pay", {})
    assert paid.json()["status"] == "paid"
    assert [a["kind"] for a in paid.json()["approvals"]] == ["cap_exceeded", "approved"]
    listed = client_for(county_officer).get(f"{API}/aid", {"status": "paid"}).json()
    assert [item["id"] for item in listed["items"]] == [aid["id"]]


def test_every_endpoint_is_a_404_outside_the_scope(
    matter, case_handler, byeb_county_officer, judge, department_liaison
):
    record = services.work_record_create(
        actor=case_handler,
        matter=matter,
        kind="file_review",
        held_on=matter.received_on,
        findings="查阅卷宗",
    )
    ours = services.coordination_request_send(
        actor=case_handler, matter=matter, department=unit("BT-ZJJ"), request_text="请核实"
    )
    theirs = services.coordination_request_send(
        actor=case_handler, matter=matter, department=unit("BT-MZJ"), request_text="请核实"
    )
    aid = services.aid_apply(
        actor=case_handler,
        matter=matter,
        person=matter.petitioners.get(),
        kind="subsistence",
        amount=Decimal("500.00"),
        reason="生活困难",
    )
    gets = [
        f"{API}/matters/{matter.pk}/work-records",
        f"{API}/coordination/{theirs.pk}",
        f"{API}/aid/{aid.pk}",
    ]
    posts: list[tuple[str, dict[str, Any]]] = [
        (
            f"{API}/matters/{matter.pk}/work-records",
            {"kind": "hearing", "held_on": "2026-11-20", "findings": "x"},
        ),
        (f"{API}/matters/{matter.pk}/coordination", {"department": "BT-ZJJ", "request_text": "x"}),
        (f"{API}/coordination/{theirs.pk}/reply", {"reply_text": "x"}),
        (
            f"{API}/matters/{matter.pk}/aid",
            {"kind": "temporary", "person_id": 1, "amount": "1.00", "reason": "x"},
        ),
        (f"{API}/aid/{aid.pk}/approve", {"approved_amount": "1.00", "opinion": "x"}),
        (f"{API}/aid/{aid.pk}/cap-approval", {"amount": "1.00", "opinion": "x"}),
        (f"{API}/aid/{aid.pk}/refuse", {"opinion": "x"}),
        (f"{API}/aid/{aid.pk}/funds-arrived", {}),
        (f"{API}/aid/{aid.pk}/pay", {}),
    ]
    for outsider in (byeb_county_officer, judge, department_liaison):
        client = client_for(outsider)
        for url in gets:
            assert client.get(url).status_code == 404, (outsider, url)
        for url, body in posts:
            assert post(client, url, body).status_code == 404, (outsider, url)
        upload = client.post(
            f"{API}/matters/{matter.pk}/work-records/{record.pk}/attachments",
            {"file": SimpleUploadedFile("a.pdf", PDF)},
        )
        assert upload.status_code == 404
        assert client.get(f"{API}/petitioners-not-met").json()["items"] == []
        assert client.get(f"{API}/aid").json()["items"] == []
    # The liaison sees their own department's request and nothing else.
    liaison = client_for(department_liaison)
    assert liaison.get(f"{API}/coordination/{ours.pk}").status_code == 200
    assert [i["id"] for i in liaison.get(f"{API}/coordination").json()["items"]] == [ours.pk]
    assert not client_for(judge).get(f"{API}/coordination").json()["items"]
    assert WorkRecord.objects.count() == 1 and CoordinationRequest.objects.count() == 2
    assert Aid.objects.get().status == "applied"
