"""/api/v1/courtcases hearings: list, schedule, postpone, cancel, held, attendance — each with
who may call it, and the machine-readable refusals."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
import time_machine
from django.test import Client

from conftest import make_user
from youjie.courtcases.choices import HearingStatus
from youjie.courtcases.models import CourtCase, Hearing
from youjie.courtcases.tests.hearingworld import LINK, NOW, beijing, civil_case
from youjie.notifications.models import Notification
from youjie.orgs.models import User

pytestmark = pytest.mark.django_db
BASE = "/api/v1/courtcases"


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def court_case(receptionist: User, judge: User) -> CourtCase:
    return civil_case(receptionist=receptionist, judge=judge)


def client_of(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(f"{BASE}{path}", json.dumps(body), content_type="application/json")


SCHEDULE = {
    "hearing_kind": "online",
    "hearing_at": "2026-12-08T09:30:00+08:00",
    "duration_minutes": 90,
    "hearing_link": LINK,
    "other_participants": [{"role": "agent", "name": "王律师", "mobile": "13900001111"}],
}


def test_schedule_list_postpone_hold_and_attendance(
    division_head: User, judge: User, court_case: CourtCase
) -> None:
    client = client_of(division_head)
    key = quote(court_case.case_number, safe="")
    created = post(client, f"/cases/{key}/hearings", SCHEDULE)
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["hearing_kind"], body["status"], body["hearing_link"]) == (
        "online",
        "scheduled",
        LINK,
    )
    assert body["warnings"] == []
    assert [p["phone_masked"] for p in body["participants"]] == [
        "138****0001",
        "138****0002",
        "139****1111",
    ]
    assert Notification.objects.filter(subject_type="courtcases.hearing").count() == 3

    listed = client_of(judge).get(f"{BASE}/cases/{court_case.pk}/hearings").json()
    assert [item["id"] for item in listed] == [body["id"]]
    upcoming = client_of(judge).get(f"{BASE}/hearings", {"days": 7}).json()
    assert [item["case_number"] for item in upcoming["items"]] == [court_case.case_number]

    postponed = post(
        client,
        f"/hearings/{body['id']}/postpone",
        {"reason": "鉴定未完成", "new_hearing_at": "2026-12-10T09:30:00"},  # Beijing time
    )
    assert postponed.status_code == 200, postponed.content
    answer = postponed.json()
    assert answer["postponed"]["status"] == "postponed"
    assert answer["rescheduled"]["hearing_at"] == "2026-12-10T01:30:00Z"  # 09:30 Beijing
    new_id = answer["rescheduled"]["id"]

    with time_machine.travel(beijing(12, 10, 9, 31), tick=False):
        client = client_of(division_head)  # a new session: the first one has expired
        held = post(client, f"/hearings/{new_id}/held", {})
        assert held.json()["status"] == "held"
        ids = [p["id"] for p in held.json()["participants"]]
        duplicate = post(
            client,
            f"/hearings/{new_id}/attendance",
            {"attendance": [{"participant_id": ids[0], "attendance": "present"}] * 2},
        )
        assert duplicate.status_code == 422 and duplicate.json()["fields"]["attendance"]
        entries = [{"participant_id": pk, "attendance": "present"} for pk in ids]
        entries[2]["attendance"] = "absent_with_leave"
        recorded = post(client, f"/hearings/{new_id}/attendance", {"attendance": entries})
        assert recorded.status_code == 200
        assert [p["attendance"] for p in recorded.json()["participants"]] == [
            "present",
            "present",
            "absent_with_leave",
        ]


def test_refusals_are_machine_readable(
    judge: User, receptionist: User, county_officer: User, court_case: CourtCase
) -> None:
    key = quote(court_case.case_number, safe="")
    assert Client().get(f"{BASE}/hearings").status_code == 401
    bad_link = post(
        client_of(judge), f"/cases/{key}/hearings", {**SCHEDULE, "hearing_link": "http://a.cn"}
    )
    assert bad_link.status_code == 422
    assert bad_link.json()["code"] == "validation_failed"
    assert "https://" in bad_link.json()["fields"]["hearing_link"][0]

    forbidden = post(client_of(receptionist), f"/cases/{key}/hearings", SCHEDULE)
    assert (forbidden.status_code, forbidden.json()["code"]) == (403, "permission_denied")
    hidden = post(client_of(county_officer), f"/cases/{key}/hearings", SCHEDULE)
    assert (hidden.status_code, hidden.json()["code"]) == (404, "not_found")
    assert not Hearing.objects.exists()

    created = post(client_of(judge), f"/cases/{key}/hearings", SCHEDULE).json()
    criminal_judge = make_user("judge_xs", "judge", "BT-BYEB-XS", "孟刚")
    for outsider, status in ((county_officer, 404), (criminal_judge, 404), (receptionist, 403)):
        answer = post(client_of(outsider), f"/hearings/{created['id']}/cancel", {"reason": "x"})
        assert answer.status_code == status
        assert client_of(outsider).get(f"{BASE}/hearings").json()["items"] == [] or status == 403
    early = post(client_of(judge), f"/hearings/{created['id']}/held", {})
    assert (early.status_code, early.json()["code"]) == (422, "hearing_not_begun")
    cancelled = post(client_of(judge), f"/hearings/{created['id']}/cancel", {"reason": "撤诉"})
    assert cancelled.json()["status"] == HearingStatus.CANCELLED
    again = post(client_of(judge), f"/hearings/{created['id']}/cancel", {"reason": "撤诉"})
    assert (again.status_code, again.json()["code"]) == (409, "invalid_transition")
