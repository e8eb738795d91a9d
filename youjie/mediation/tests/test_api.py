"""/api/v1/mediation: list, detail, delegate, accept, schedule a session, agree, fail — with the
Idempotency-Key on the creating POSTs, the error codes, and a negative-permission test for
every operation."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from youjie.filings.choices import FilingStatus
from youjie.mediation.models import Mediation, MediationSession
from youjie.mediation.tests.support import SUBMITTER_MOBILE, accepted, delegate, make_filing
from youjie.notifications.models import Notification

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
BASE = "/api/v1/mediation/mediations"


def api(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client: Client, url: str, body: dict[str, Any], **headers: str) -> Any:
    return client.post(url, body, content_type="application/json", headers=headers)


def delegate_body(filing_id: int, mediator: str = "mediator") -> dict[str, Any]:
    return {
        "filing_id": filing_id,
        "mode": "delegated",
        "organisation": "150206-TJW",
        "mediator": mediator,
        "note": "当事人同意",
    }


SESSION = {
    "kind": "online",
    "scheduled_at": "2026-09-30T14:30:00+08:00",
    "video_url": "https://meeting.tencent.com/dm/AbCd1234",
}


def test_the_whole_path_through_the_api(receptionist, mediator):
    filing = make_filing()
    court = api(receptionist)
    created = post(court, BASE, delegate_body(filing.pk), **{"Idempotency-Key": "d-1"})
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["status"] == "assigned" and body["number"] == "（2026）内0206民诉前调1号"
    assert [party["phone_masked"] for party in body["parties"]] == ["139****1234", "137****5678"]
    assert SUBMITTER_MOBILE not in created.content.decode()
    replay = post(court, BASE, delegate_body(filing.pk), **{"Idempotency-Key": "d-1"})
    assert replay.status_code == 200 and replay["Idempotent-Replayed"] == "true"
    reused = post(
        court, BASE, {**delegate_body(filing.pk), "note": "另一内容"}, **{"Idempotency-Key": "d-1"}
    )
    assert reused.status_code == 409 and reused.json()["code"] == "idempotency_key_reused"
    assert Mediation.objects.count() == 1

    mediation_id = body["id"]
    own = api(mediator)
    accepted_body = post(
        own, f"{BASE}/{mediation_id}/accept", {"expected_status": "assigned"}
    ).json()
    assert accepted_body["status"] == "accepted" and accepted_body["due_on"] == "2026-10-29"
    session = post(own, f"{BASE}/{mediation_id}/sessions", SESSION, **{"Idempotency-Key": "s-1"})
    assert session.status_code == 201
    again = post(own, f"{BASE}/{mediation_id}/sessions", SESSION, **{"Idempotency-Key": "s-1"})
    assert again.status_code == 200 and MediationSession.objects.count() == 1
    assert Notification.objects.filter(dedupe_key__contains="session_scheduled").count() == 2

    failed = post(own, f"{BASE}/{mediation_id}/fail", {"reason": "被告拒绝调解"})
    assert failed.status_code == 200
    detail = failed.json()
    assert detail["status"] == "failed" and detail["filing_status"] == FilingStatus.REVIEW
    assert [event["verb"] for event in detail["timeline"]] == [
        "delegated",
        "accepted",
        "session_scheduled",
        "failed",
    ]
    listed = own.get(BASE).json()
    assert [item["id"] for item in listed["items"]] == [mediation_id]


def test_agree_through_the_api(receptionist, mediator):
    mediation = accepted(receptionist, mediator)
    response = post(
        api(mediator),
        f"{BASE}/{mediation.pk}/agree",
        {
            "agreement": "被告分两期归还借款",
            "agreed_on": "2026-09-29",
            "expected_status": "accepted",
        },
    )
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "agreed"
    assert {clock["label"]: clock["due_on"] for clock in body["clocks"]}[
        "申请司法确认"
    ] == "2026-10-29"


def test_delegation_without_consent_is_a_422_with_its_code(receptionist, mediator):
    filing = make_filing(consent=False)
    response = post(api(receptionist), BASE, delegate_body(filing.pk))
    assert response.status_code == 422
    assert response.json()["code"] == "mediation_consent_missing"
    assert not Mediation.objects.exists()


def test_a_stale_call_is_refused(receptionist, mediator):
    mediation = accepted(receptionist, mediator)
    response = post(api(mediator), f"{BASE}/{mediation.pk}/accept", {"expected_status": "assigned"})
    assert response.status_code == 422 and response.json()["code"] == "stale"


def test_the_list_reads_a_bounded_number_of_statements(
    receptionist, mediator, django_assert_max_num_queries
):
    for serial in range(1, 6):
        delegate(receptionist, mediator, serial=serial)
    client = api(receptionist)
    with django_assert_max_num_queries(6):
        assert len(client.get(BASE).json()["items"]) == 5


# --- negative permissions: one per operation -------------------------------------------------


def test_list_is_empty_for_those_outside(receptionist, mediator, city_officer, other_mediator):
    delegate(receptionist, mediator)
    for outsider in (city_officer, other_mediator):
        assert api(outsider).get(BASE).json()["items"] == []
    assert Client().get(BASE).status_code == 401


def test_detail_is_a_404_outside(receptionist, mediator, other_mediator, qingshan_receptionist):
    mediation = delegate(receptionist, mediator)
    for outsider in (other_mediator, qingshan_receptionist):
        response = api(outsider).get(f"{BASE}/{mediation.pk}")
        assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_delegate_by_another_court_or_a_mediator_is_a_404(
    qingshan_receptionist, mediator, city_officer
):
    filing = make_filing()
    for outsider in (qingshan_receptionist, mediator, city_officer):
        response = post(api(outsider), BASE, delegate_body(filing.pk))
        assert response.status_code == 404, outsider
    filing.refresh_from_db()
    assert filing.status == FilingStatus.REVIEW and not Mediation.objects.exists()


def test_accept_by_the_court_is_a_403(receptionist, mediator):
    mediation = delegate(receptionist, mediator)
    response = post(api(receptionist), f"{BASE}/{mediation.pk}/accept", {})
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"


def test_schedule_by_the_court_is_a_403_and_by_another_mediator_a_404(
    receptionist, mediator, other_mediator
):
    mediation = accepted(receptionist, mediator)
    assert post(api(receptionist), f"{BASE}/{mediation.pk}/sessions", SESSION).status_code == 403
    assert post(api(other_mediator), f"{BASE}/{mediation.pk}/sessions", SESSION).status_code == 404
    assert not MediationSession.objects.exists()


def test_agree_by_the_court_is_a_403(receptionist, mediator):
    mediation = accepted(receptionist, mediator)
    response = post(
        api(receptionist),
        f"{BASE}/{mediation.pk}/agree",
        {"agreement": "协议", "agreed_on": "2026-09-29"},
    )
    assert response.status_code == 403


def test_fail_by_another_mediator_is_a_404(receptionist, mediator, other_mediator):
    mediation = accepted(receptionist, mediator)
    response = post(api(other_mediator), f"{BASE}/{mediation.pk}/fail", {"reason": "x"})
    assert response.status_code == 404
    mediation.refresh_from_db()
    assert mediation.status == "accepted"
