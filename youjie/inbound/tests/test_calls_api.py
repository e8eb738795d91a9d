"""POST /api/v1/inbound/calls: call events from the phone system (DESIGN flow 1, API side)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from youjie.core.crypto import decrypt_text
from youjie.core.errors import NotFound, PermissionDenied
from youjie.core.models import AuditEntry, Event
from youjie.desk import selectors as desk_selectors
from youjie.desk.models import ServiceRequest
from youjie.inbound import selectors
from youjie.inbound.models import CallEvent
from youjie.orgs.models import Line, OrgUnit
from youjie.people.identity import phone_hash

from .conftest import MONDAY_9AM

SHANGHAI = ZoneInfo("Asia/Shanghai")
URL = "/api/v1/inbound/calls"
pytestmark = pytest.mark.django_db


def post(
    token: str | None, body: dict[str, Any] | str, client: Client | None = None, **headers: Any
):
    client = client or Client()
    if token is not None:
        headers.setdefault("HTTP_AUTHORIZATION", f"Bearer {token}")
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(URL, data=data, content_type="application/json", **headers)


def call(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "call_id": "pbx-0001",
        "line": "13904720001",
        "caller": "13812345678",
        "started_at": MONDAY_9AM.isoformat(),
        "answered": False,
        "duration_seconds": 25,
        "recording_ref": "",
    }
    body.update(overrides)
    return body


def verbs(service_request: ServiceRequest) -> list[str]:
    return [event.verb for event in desk_selectors.service_request_timeline(service_request)]


def test_missed_call_becomes_a_callback_in_the_judges_queue(
    judge, judge_line, party, matter_types, phone_token, django_assert_max_num_queries
):
    response = post(phone_token, call())
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["caller_masked"] == "138****5678" and body["answered"] is False
    request = ServiceRequest.objects.get()
    assert body["callback_request_number"] == request.number
    assert request.matter_type.code == "callback" and request.channel == "work_phone"
    assert request.title == "未接来电回拨：138****5678"
    assert "2026年11月23日 09:00" in request.content and "13812345678" not in request.content
    assert request.requester == party and request.requester_name == "张三"
    assert request.requester_mobile_masked == "138****5678"
    assert request.line == judge_line
    assert request.status == "awaiting_acceptance" and request.transfer_user == judge
    assert request.routing_rule == "line"
    # The callback deadline: 2 work hours from the call.
    assert request.first_response_due == datetime(2026, 11, 23, 11, 0, tzinfo=SHANGHAI)
    assert verbs(request) == ["registered", "routed"]
    routed = Event.objects.get(subject_id=str(request.pk), verb="routed")
    assert routed.data["rule"] == "line" and routed.from_state == "registered"
    event = CallEvent.objects.get()
    assert event.service_request == request and event.line == judge_line
    assert event.caller_hash == phone_hash("13812345678")
    assert decrypt_text(event.caller_encrypted) == "13812345678"
    assert event.caller_encrypted != "13812345678"
    list(desk_selectors.my_queue(user=judge))
    with django_assert_max_num_queries(3):
        queue = list(desk_selectors.my_queue(user=judge))
    assert [item.number for item in queue] == [request.number]

    again = post(phone_token, call(answered=True, duration_seconds=300))
    assert again.status_code == 200
    assert again.json() == body
    assert CallEvent.objects.count() == 1 and ServiceRequest.objects.count() == 1


def test_answered_call_is_recorded_and_pops_up_after_commit(
    judge, judge_line, matter_types, phone_token, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = post(
            phone_token, call(answered=True, duration_seconds=95, recording_ref="rec/1")
        )
    assert response.status_code == 201
    assert response.json()["callback_request_number"] is None
    assert len(callbacks) == 1
    assert ServiceRequest.objects.count() == 0
    event = CallEvent.objects.get()
    assert (event.answered, event.duration_seconds, event.recording_ref) == (True, 95, "rec/1")
    with django_capture_on_commit_callbacks() as replayed:
        assert post(phone_token, call(answered=True)).status_code == 200
    assert replayed == []


def test_outbound_call_is_only_recorded(
    judge_line, matter_types, phone_token, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = post(phone_token, call(direction="outbound", answered=False))
    assert response.status_code == 201 and response.json()["direction"] == "outbound"
    assert callbacks == [] and ServiceRequest.objects.count() == 0


def test_missed_landline_on_the_fixed_line_goes_to_its_unit_by_matter_type(
    receptionist, judge, fixed_line, matter_types, phone_token
):
    response = post(phone_token, call(line="0472-8510389", caller="0472-5551234", call_id="x-9"))
    assert response.status_code == 201, response.content
    request = ServiceRequest.objects.get()
    assert request.channel == "phone" and request.requester_name == "未知来电"
    assert request.requester_mobile_masked == "" and request.requester is None
    assert request.routing_rule == "matter_type"
    assert request.transfer_division == OrgUnit.objects.get(code="BT-BYEB-LAT")
    event = CallEvent.objects.get()
    assert event.caller_hash == "" and event.caller_masked == "047*****1234"
    # Reception calls back: the full landline is shown once, audited.
    number = selectors.callback_number_reveal(user=receptionist, service_request_id=request.pk)
    assert number == "0472-5551234"
    assert (
        AuditEntry.objects.filter(action="reveal_callback_number", actor=receptionist).count() == 1
    )
    with pytest.raises(NotFound):
        selectors.callback_number_reveal(user=judge, service_request_id=request.pk)


def test_reveal_needs_a_role_with_full_personal_data(
    division_head, fixed_line, matter_types, phone_token
):
    post(phone_token, call(line="0472-8510389", caller="0472-5551234"))
    request = ServiceRequest.objects.get()
    request.division = OrgUnit.objects.get(code="BT-BYEB-MS")
    request.save(update_fields=["division"])
    with pytest.raises(PermissionDenied):
        selectors.callback_number_reveal(user=division_head, service_request_id=request.pk)


def test_deputies_line_gets_its_channel_and_priority(org_tree, matter_types, phone_token):
    Line.objects.create(
        number="0472-8510000",
        kind="deputies",
        label="代表委员专线",
        owner_unit=OrgUnit.objects.get(code="BT-BYEB-LAT"),
    )
    response = post(phone_token, call(line="0472-8510000", caller="+86 139-0000-1111"))
    assert response.status_code == 201, response.content
    request = ServiceRequest.objects.get()
    assert request.channel == "deputies_line" and request.priority == "priority"
    assert request.requester_mobile_masked == "139****1111"


def test_pbx_prefixed_mobile_is_recognised(judge_line, party, matter_types, phone_token):
    assert post(phone_token, call(caller="013812345678")).status_code == 201
    assert CallEvent.objects.get().caller_hash == phone_hash("13812345678")
    assert ServiceRequest.objects.get().requester == party


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"started_at": "2026-11-23T09:00:00"}, "started_at"),
        ({"started_at": "2026-13-01T09:00:00+08:00"}, "started_at"),
        ({"started_at": "2099-01-01T09:00:00+08:00"}, "started_at"),
        ({"caller": "abc"}, "caller"),
        ({"caller": "1" * 33}, "caller"),
        ({"caller": "0472-5551234-1234567890"}, "caller"),
        ({"duration_seconds": -1}, "duration_seconds"),
        ({"duration_seconds": 86401}, "duration_seconds"),
        ({"call_id": "x" * 65}, "call_id"),
        ({"call_id": ""}, "call_id"),
        ({"line": "1" * 21}, "line"),
        ({"recording_ref": "r" * 201}, "recording_ref"),
        ({"answered": None}, "answered"),
        ({"direction": "sideways"}, "direction"),
    ],
)
def test_bad_input_is_422_and_writes_nothing(
    judge_line, matter_types, phone_token, overrides, field
):
    response = post(phone_token, call(**overrides))
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == "validation_failed"
    assert field in body["fields"], body
    assert CallEvent.objects.count() == 0 and ServiceRequest.objects.count() == 0


def test_malformed_json_is_refused(judge_line, phone_token):
    response = post(phone_token, "{not json")
    assert response.status_code == 400  # ninja's ParseError, mapped by the project API
    assert CallEvent.objects.count() == 0


def test_missing_or_bad_token_is_401(judge_line, matter_types):
    assert post(None, call()).status_code == 401
    assert post("yj_not-a-real-token", call()).status_code == 401
    assert CallEvent.objects.count() == 0


def test_token_in_the_api_key_header_works(judge_line, matter_types, phone_token):
    response = post(None, call(answered=True), HTTP_X_API_KEY=phone_token)
    assert response.status_code == 201


def test_token_of_another_court_gets_404(judge_line, matter_types, other_court_token):
    response = post(other_court_token, call())
    assert response.status_code == 404
    assert response.json()["code"] == "line_not_found"
    assert CallEvent.objects.count() == 0 and ServiceRequest.objects.count() == 0


def test_unknown_or_inactive_line_is_404(judge_line, matter_types, phone_token):
    assert post(phone_token, call(line="13900000000")).json()["code"] == "line_not_found"
    Line.objects.filter(pk=judge_line.pk).update(is_active=False)
    assert post(phone_token, call()).status_code == 404


def test_staff_sessions_cannot_post_call_events(receptionist, judge_line, matter_types):
    client = Client()
    client.force_login(receptionist)
    response = post(None, call(), client=client)
    assert response.status_code == 403
    assert CallEvent.objects.count() == 0


def test_openapi_documents_the_call_endpoint(receptionist):
    client = Client()
    client.force_login(receptionist)
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/inbound/calls"]["post"]
    assert set(operation["responses"]) >= {"200", "201"}
