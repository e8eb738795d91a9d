"""/api/v1/petitions/letters, /meetings, /bulletins: the city office drafts and sends a letter
once per Idempotency-Key, the county office reads only its own and replies; a meeting's minutes
and tasks; the day's bulletin, refused for a future date. Every endpoint answers another county
404 and a refusal with its code, writing nothing."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from youjie.orgs.models import User
from youjie.petitions.models import DailyBulletin, MeetingTask, PetitionMatter, SupervisionLetter

from .conftest import NOW, assign, make_matter

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
API = "/api/v1/petitions"


@pytest.fixture(autouse=True)
def _settings(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.YOUJIE_OTP_ENFORCED = False
    settings.YOUJIE_PETITIONS_REVIEW_START = "2026-11-23"


def as_user(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client: Client, url: str, body: dict[str, Any], **headers: str) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json", headers=headers)


@pytest.fixture
def shiguai(city_officer: User, lead_official: User) -> PetitionMatter:
    return assign(city_officer, make_matter(city_officer, region_code="150205"), lead=lead_official)


def letter_body(matter: PetitionMatter, **overrides: Any) -> dict[str, Any]:
    body = {
        "recipient_unit": "150205-ZXB",
        "matter_ids": [matter.pk],
        "requirements": "请逐案核查，落实包案责任。",
        "due_on": (NOW.date() + timedelta(days=10)).isoformat(),
        "send": True,
    }
    body.update(overrides)
    return body


def test_letters_over_the_api(city_officer, county_officer, byeb_county_officer, shiguai):
    city = as_user(city_officer)
    created = post(city, f"{API}/letters", letter_body(shiguai), **{"Idempotency-Key": "letter-1"})
    assert created.status_code == 201, created.content
    letter = created.json()
    assert letter["number"] == "包政法专督〔2026〕1号" and letter["status"] == "sent"
    assert letter["document"]["download_url"] == f"/documents/{letter['document']['id']}/download/"
    replayed = post(city, f"{API}/letters", letter_body(shiguai), **{"Idempotency-Key": "letter-1"})
    assert replayed.status_code == 200 and replayed["Idempotent-Replayed"] == "true"
    reused = post(
        city,
        f"{API}/letters",
        letter_body(shiguai, title="另一份"),
        **{"Idempotency-Key": "letter-1"},
    )
    assert reused.status_code == 409
    assert SupervisionLetter.objects.count() == 1

    county = as_user(county_officer)
    assert [item["id"] for item in county.get(f"{API}/letters").json()["items"]] == [letter["id"]]
    other = as_user(byeb_county_officer)
    assert other.get(f"{API}/letters").json()["items"] == []
    for call in (
        other.get(f"{API}/letters/{letter['id']}"),
        post(other, f"{API}/letters/{letter['id']}/reply", {"reply_text": "答复"}),
        post(other, f"{API}/letters/{letter['id']}/send", {}),
    ):
        assert (call.status_code, call.json()["code"]) == (404, "not_found")
    not_sender = post(county, f"{API}/letters/{letter['id']}/send", {"expected_status": "sent"})
    assert not_sender.status_code == 403
    replied = post(county, f"{API}/letters/{letter['id']}/reply", {"reply_text": "已落实"})
    assert replied.status_code == 200 and replied.json()["status"] == "replied"
    twice = post(county, f"{API}/letters/{letter['id']}/reply", {"reply_text": "再次"})
    assert (twice.status_code, twice.json()["code"]) == (409, "invalid_transition")


def test_letter_refusals_carry_their_code_and_write_nothing(city_officer, county_officer, shiguai):
    city = as_user(city_officer)
    unknown_unit = post(city, f"{API}/letters", letter_body(shiguai, recipient_unit="NOPE"))
    assert unknown_unit.status_code == 422
    assert unknown_unit.json()["fields"] == {"recipient_unit": ["受函单位不存在"]}
    hidden = post(city, f"{API}/letters", letter_body(shiguai, matter_ids=[shiguai.pk, 987654]))
    assert hidden.status_code == 422
    assert "编号为987654的事项不存在或无权查看" in hidden.json()["fields"]["matters"]
    too_many = post(city, f"{API}/letters", letter_body(shiguai, matter_ids=list(range(1, 60))))
    assert too_many.status_code == 422
    county = post(
        as_user(county_officer), f"{API}/letters", letter_body(shiguai, recipient_unit="150205-ZFW")
    )
    assert (county.status_code, county.json()["code"]) == (422, "letter_prefix_missing")
    assert not SupervisionLetter.objects.exists()


def test_meetings_and_tasks_over_the_api(city_officer, county_officer, lead_official, shiguai):
    city = as_user(city_officer)
    created = post(
        city,
        f"{API}/meetings",
        {"title": "调度会", "held_on": NOW.date().isoformat(), "chair": "city_officer"},
        **{"Idempotency-Key": "meeting-1"},
    )
    assert created.status_code == 201, created.content
    meeting = created.json()
    minute = post(
        city, f"{API}/meetings/{meeting['id']}/minutes", {"matter_id": shiguai.pk, "minute": "研究"}
    )
    assert minute.status_code == 200 and minute.json()["minutes"][0]["matter_id"] == shiguai.pk
    task = post(
        city,
        f"{API}/meetings/{meeting['id']}/tasks",
        {
            "matter_id": shiguai.pk,
            "description": "约见信访人",
            "owner": "lead",
            "due_on": (NOW.date() + timedelta(days=2)).isoformat(),
        },
    )
    assert task.status_code == 201, task.content
    task_id = task.json()["tasks"][0]["id"]
    nobody = post(
        city,
        f"{API}/meetings/{meeting['id']}/tasks",
        {"matter_id": shiguai.pk, "description": "x", "owner": "nobody", "due_on": "2026-11-30"},
    )
    assert nobody.status_code == 422 and nobody.json()["fields"] == {"owner": ["责任人不存在"]}
    county = as_user(county_officer)
    assert county.get(f"{API}/meetings/{meeting['id']}").status_code == 404
    done = post(as_user(lead_official), f"{API}/meeting-tasks/{task_id}/done", {"note": "已约见"})
    assert done.status_code == 200 and done.json()["status"] == "done"
    assert MeetingTask.objects.get().done_by == lead_official
    review = post(city, f"{API}/meetings/review", {})
    assert review.status_code == 201 and review.json()["kind"] == "three_day"
    assert post(city, f"{API}/meetings/review", {}).status_code == 200
    not_due = post(city, f"{API}/meetings/review", {"day": "2026-11-20"})
    assert (not_due.status_code, not_due.json()["code"]) == (422, "review_not_due")


def test_bulletins_over_the_api(
    city_officer, county_officer, lead_official, department_liaison, shiguai
):
    city = as_user(city_officer)
    future = post(city, f"{API}/bulletins", {"day": (NOW.date() + timedelta(days=1)).isoformat()})
    assert (future.status_code, future.json()["code"]) == (422, "bulletin_future")
    refused = post(as_user(county_officer), f"{API}/bulletins", {})
    assert refused.status_code == 403
    assert not DailyBulletin.objects.exists()
    issued = post(city, f"{API}/bulletins", {})
    assert issued.status_code == 201, issued.content
    body = issued.json()
    assert body["number"] == "包政法通〔2026〕1号"
    assert body["figures"]["totals"]["total"] == 1
    assert post(city, f"{API}/bulletins", {}).status_code == 200
    county = as_user(county_officer)
    assert [item["id"] for item in county.get(f"{API}/bulletins").json()["items"]] == [body["id"]]
    # Addressed to the political-legal units: their staff read it, a department's liaison not.
    assert as_user(lead_official).get(f"{API}/bulletins/{body['id']}").status_code == 200
    hidden = as_user(department_liaison).get(f"{API}/bulletins/{body['id']}")
    assert (hidden.status_code, hidden.json()["code"]) == (404, "not_found")
