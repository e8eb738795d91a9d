"""Issue 12, item 3: case details go to the parties of the case only.

The request page says whether its requester is a verified party of the linked case (person
record, ID number or phone matched to the case's parties); a reply to an unverified requester
needs the replier's explicit confirmation with a reason, recorded on the request's timeline.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from youjie.core.errors import ValidationFailed
from youjie.core.models import Event
from youjie.courtcases.models import CourtCase
from youjie.desk import services
from youjie.desk.models import ServiceRequest
from youjie.orgs.models import User

from .test_api_support import CASE_NUMBER, as_user, intake

PARTY_MOBILE = "13812345678"  # the conftest party 张三's phone
STRANGER_MOBILE = "13900001111"


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _accepted(receptionist: User, judge: User, mobile: str) -> ServiceRequest:
    service_request = intake(
        receptionist,
        matter_type_code="contact_judge",
        related_case_number=CASE_NUMBER,
        requester_mobile=mobile,
        route=True,
    )
    services.service_request_accept(actor=judge, service_request=service_request)
    service_request.refresh_from_db()
    return service_request


def _page(client: Client, service_request: ServiceRequest) -> str:
    response = client.get(reverse("desk:detail", args=[service_request.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _post_reply(client: Client, service_request: ServiceRequest, **data: Any) -> Any:
    service_request.refresh_from_db()
    data.setdefault("expected_status", service_request.status)
    data.setdefault("body", "您好，该案定于下周三开庭。")
    return client.post(reverse("desk:action", args=[service_request.pk, "reply"]), data)


def test_the_page_says_the_requester_is_not_a_verified_party_and_the_reply_needs_a_reason(
    receptionist: User, judge: User, civil_case: CourtCase, matter_types: None
) -> None:
    service_request = _accepted(receptionist, judge, STRANGER_MOBILE)
    client = _client(judge)
    page = _page(client, service_request)
    assert "未核实" in page and 'name="confirm_unverified"' in page
    refused = _post_reply(client, service_request)
    assert refused.status_code == 422
    assert "请填写向未核实诉求人答复的理由" in refused.content.decode()
    assert not service_request.replies.exists()
    answered = _post_reply(
        client, service_request, confirm_unverified="on", unverified_reason="诉求人为原告近亲属"
    )
    assert answered.status_code == 302
    assert service_request.replies.count() == 1
    event = Event.objects.get(verb="reply_to_unverified_confirmed")
    assert event.subject_id == str(service_request.pk) and event.reason == "诉求人为原告近亲属"


def test_a_party_matched_by_phone_is_verified_and_needs_no_confirmation(
    receptionist: User, judge: User, civil_case: CourtCase, matter_types: None
) -> None:
    service_request = _accepted(receptionist, judge, PARTY_MOBILE)
    client = _client(judge)
    page = _page(client, service_request)
    assert "已核实" in page and "原告张三" in page
    assert 'name="confirm_unverified"' not in page
    assert _post_reply(client, service_request).status_code == 302
    assert not Event.objects.filter(verb="reply_to_unverified_confirmed").exists()


def test_the_service_and_the_api_refuse_an_unconfirmed_reply(
    receptionist: User, judge: User, civil_case: CourtCase, matter_types: None
) -> None:
    service_request = _accepted(receptionist, judge, STRANGER_MOBILE)
    with pytest.raises(ValidationFailed) as excinfo:
        services.service_request_reply(
            actor=judge, service_request=service_request, body="该案下周开庭。"
        )
    assert excinfo.value.code == "unverified_requester"
    api = as_user(judge)
    path = f"/requests/{service_request.pk}/reply"
    body = {"body": "该案下周开庭。", "expected_status": "in_progress"}
    refused = api.post(path, body)
    assert refused.status_code == 422 and "confirm_unverified" in refused.json()["fields"]
    too_long = api.post(path, {**body, "confirm_unverified": True, "unverified_reason": "理" * 201})
    assert too_long.status_code == 422
    answered = api.post(path, {**body, "confirm_unverified": True, "unverified_reason": "代理人"})
    assert answered.status_code == 200
    assert Event.objects.filter(verb="reply_to_unverified_confirmed").count() == 1
