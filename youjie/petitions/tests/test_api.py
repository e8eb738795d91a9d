"""/api/v1/petitions: reads scoped as the pages are, creates done once per Idempotency-Key, and a
negative-permission test for every endpoint (a county officer gets 404 for another county's
matter; a caller who may see but not act gets 403; nothing is written)."""

# ruff: noqa: F811  (the shared fixtures are imported from .support and used by name)

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from youjie.orgs.models import User
from youjie.petitions import services
from youjie.petitions.models import Campaign, CampaignMatter, PetitionMatter

from .conftest import make_matter
from .support import World, no_otp, world  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen", "no_otp")]
API = "/api/v1/petitions"


def as_user(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client: Client, url: str, body: dict[str, Any], **headers: str) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json", headers=headers)


def ids(response: Any) -> set[int]:
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["items"]}


# --- reads ------------------------------------------------------------------------------------


def test_lists_and_gets_are_scoped(county_officer, city_officer, lead_official, world):
    county = as_user(county_officer)
    assert ids(county.get(f"{API}/matters")) == {world.shiguai.pk}
    assert county.get(f"{API}/matters/{world.shiguai.pk}").status_code == 200
    outside = county.get(f"{API}/matters/{world.bayan_obo.pk}")
    missing = county.get(f"{API}/matters/999999")
    assert (outside.status_code, outside.json()["code"]) == (404, "not_found")
    assert outside.json() == missing.json()
    assert ids(as_user(city_officer).get(f"{API}/matters")) == {
        world.shiguai.pk,
        world.bayan_obo.pk,
    }
    assert ids(as_user(lead_official).get(f"{API}/matters")) == {world.bayan_obo.pk}


def test_the_detail_carries_masked_petitioners_clocks_and_campaigns(city_officer, world):
    body = as_user(city_officer).get(f"{API}/matters/{world.shiguai.pk}").json()
    assert body["number"] == world.shiguai.number
    assert body["petitioners"][0]["id_number_masked"] == "150205********0019"
    assert "150205198001010019" not in json.dumps(body)
    assert body["clock"]["article"].startswith("《信访工作条例》第二十三条")
    assert body["campaigns"][0]["campaign_id"] == world.campaign.pk
    assert [event["verb"] for event in body["events"]][:2] == ["registered", "assigned"]


def test_a_liaison_lists_nothing_and_gets_404(department_liaison, world):
    liaison = as_user(department_liaison)
    assert ids(liaison.get(f"{API}/matters")) == set()
    assert liaison.get(f"{API}/matters/{world.shiguai.pk}").status_code == 404
    assert ids(liaison.get(f"{API}/campaigns")) == set()
    assert liaison.get(f"{API}/campaigns/{world.campaign.pk}").status_code == 404
    assert liaison.get(f"{API}/campaigns/{world.campaign.pk}/progress").status_code == 404


def test_campaign_progress_counts_only_what_the_caller_sees(county_officer, city_officer, world):
    city = as_user(city_officer).get(f"{API}/campaigns/{world.campaign.pk}/progress").json()
    assert city["totals"]["total"] == 2
    assert {row["key"] for row in city["by_region"]} == {"150205", "150206"}
    county = as_user(county_officer).get(f"{API}/campaigns/{world.campaign.pk}/progress").json()
    assert county["totals"]["total"] == 1
    assert [row["key"] for row in county["by_region"]] == ["150205"]
    assert county["burndown"]["remaining"][0] == 1


# --- creates ----------------------------------------------------------------------------------


def _matter_body(**overrides: Any) -> dict[str, Any]:
    body = {
        "title": "不服刑事判决申诉",
        "region": "150205",
        "category": "court_judgment",
        "origin": "letter",
        "core_demand": "要求再审",
        "received_on": "2026-11-20",
        "labels": ["bone"],
        "new_petitioners": [{"name": "钱七"}],
    }
    body.update(overrides)
    return body


def test_a_create_with_an_idempotency_key_is_done_once(county_officer, world):
    client = as_user(county_officer)
    first = post(client, f"{API}/matters", _matter_body(), **{"Idempotency-Key": "k-1"})
    assert first.status_code == 201, first.content
    assert first.json()["labels"] == ["骨头案"]
    again = post(client, f"{API}/matters", _matter_body(), **{"Idempotency-Key": "k-1"})
    assert again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert PetitionMatter.objects.filter(title="不服刑事判决申诉").count() == 1
    other = post(
        client, f"{API}/matters", _matter_body(title="另一件"), **{"Idempotency-Key": "k-1"}
    )
    assert (other.status_code, other.json()["code"]) == (409, "idempotency_key_reused")


def test_a_county_officer_cannot_register_in_another_county(county_officer, world):
    before = PetitionMatter.objects.count()
    response = post(as_user(county_officer), f"{API}/matters", _matter_body(region="150206"))
    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")
    assert PetitionMatter.objects.count() == before


def test_only_the_city_office_creates_campaigns(county_officer, city_officer, world):
    body = {
        "name": "回头看",
        "kind": "look_back",
        "starts_on": "2026-12-01",
        "ends_on": "2027-02-28",
    }
    refused = post(as_user(county_officer), f"{API}/campaigns", body)
    assert refused.status_code == 403
    created = post(as_user(city_officer), f"{API}/campaigns", body, **{"Idempotency-Key": "c-1"})
    assert created.status_code == 201
    replay = post(as_user(city_officer), f"{API}/campaigns", body, **{"Idempotency-Key": "c-1"})
    assert replay.status_code == 200 and replay.json()["id"] == created.json()["id"]
    assert Campaign.objects.filter(name="回头看").count() == 1


# --- actions ----------------------------------------------------------------------------------


def test_assign_is_404_outside_the_scope_and_403_for_who_may_only_see(
    county_officer, lead_official, city_officer, world
):
    body = {"handler": "handler"}
    outside = post(as_user(county_officer), f"{API}/matters/{world.bayan_obo.pk}/assign", body)
    assert outside.status_code == 404
    lead = post(as_user(lead_official), f"{API}/matters/{world.bayan_obo.pk}/assign", body)
    assert (lead.status_code, lead.json()["code"]) == (403, "permission_denied")
    done = post(
        as_user(city_officer),
        f"{API}/matters/{world.shiguai.pk}/assign",
        {
            "expected_status": "in_progress",
            "handler": "handler",
            "task_force": [
                {"username": "handler", "role": "head"},
                {"name": "刘调解", "unit_code": "150206-TJW", "duty": "调解"},
            ],
        },
    )
    assert done.status_code == 200, done.content
    assert [m["name"] for m in done.json()["task_force"]] == ["周平", "刘调解"]
    stale = post(
        as_user(city_officer),
        f"{API}/matters/{world.shiguai.pk}/assign",
        {"expected_status": "registered", "handler": "handler"},
    )
    assert (stale.status_code, stale.json()["code"]) == (422, "stale")


def test_resolve_needs_its_evidence_and_is_scoped(county_officer, lead_official, world):
    url = f"{API}/matters/{world.bayan_obo.pk}/resolve"
    body = {"outcome_type": "solved", "summary": "达成和解", "resolved_on": "2026-11-20"}
    assert post(as_user(county_officer), url, body).status_code == 404
    lead = as_user(lead_official)
    missing = post(lead, url, body)
    assert (missing.status_code, missing.json()["code"]) == (422, "evidence_missing")
    assert "调解/和解协议" in missing.json()["message"]
    assert PetitionMatter.objects.get(pk=world.bayan_obo.pk).status == "in_progress"
    evidence = [{"kind": "agreement", "description": "和解协议", "dated_on": "2026-11-19"}]
    done = post(lead, url, {**body, "evidence": evidence})
    assert done.status_code == 200 and done.json()["status"] == "resolved"
    assert done.json()["campaigns"][0]["follow_up_due_on"] is not None


def test_adding_matters_refuses_one_without_a_lead_official_and_writes_nothing(
    city_officer, county_officer, world
):
    bare = make_matter(city_officer, region_code="150205", title="尚未包案的事项")
    campaign = services.campaign_create(
        actor=city_officer,
        name="第二个行动",
        kind="other",
        issuing_office=world.campaign.issuing_office,
        starts_on=world.campaign.starts_on,
        ends_on=world.campaign.ends_on,
    )
    url = f"{API}/campaigns/{campaign.pk}/matters"
    # The county office does not see the city's new campaign (404), and may not take matters
    # into the one it sees through its own matter (403).
    county = as_user(county_officer)
    assert post(county, url, {"matter_ids": [world.shiguai.pk]}).status_code == 404
    seen = f"{API}/campaigns/{world.campaign.pk}/matters"
    forbidden = post(county, seen, {"matter_ids": [world.shiguai.pk]})
    assert (forbidden.status_code, forbidden.json()["code"]) == (403, "permission_denied")
    refused = post(as_user(city_officer), url, {"matter_ids": [world.shiguai.pk, bare.pk]})
    assert (refused.status_code, refused.json()["code"]) == (422, "campaign_admission_refused")
    assert "尚未明确包案领导和责任单位" in refused.json()["message"]
    assert not CampaignMatter.objects.filter(campaign=campaign).exists()
    added = post(as_user(city_officer), url, {"matter_ids": [world.shiguai.pk]})
    assert added.status_code == 200 and added.json()["added"] == 1
