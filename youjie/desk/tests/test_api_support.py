"""Shared helpers and fixtures of the /api/v1/desk tests (this module holds no tests).

Callers are real: an integration token made by ``api_token_create`` and sent as
``Authorization: Bearer``, or a staff session made with ``force_login``.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client
from django.test.client import Client as DjangoClient

from youjie.desk import services
from youjie.desk.models import Feedback, ServiceRequest
from youjie.desk.services import IntakeData
from youjie.notifications.models import Notification
from youjie.orgs.models import OrgUnit, User
from youjie.orgs.services import api_token_create, org_unit_create

API = "/api/v1/desk"
CASE_NUMBER = "（2026）内0206民初123号"


class Api:
    """A test client bound to one caller, speaking JSON to /api/v1/desk."""

    def __init__(self, client: DjangoClient) -> None:
        self.client = client

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return self.client.get(API + path, params or {})

    def post(self, path: str, body: Any = None, headers: dict[str, str] | None = None) -> Any:
        raw = body if isinstance(body, str) else json.dumps({} if body is None else body)
        return self.client.post(
            API + path, data=raw, content_type="application/json", headers=headers or {}
        )


def as_user(user: User) -> Api:
    client = Client()
    client.force_login(user)
    return Api(client)


def as_token(key: str) -> Api:
    return Api(Client(headers={"Authorization": f"Bearer {key}"}))


def anonymous() -> Api:
    return Api(Client())


def token_for(name: str, unit: OrgUnit) -> Api:
    _token, key = api_token_create(name=name, org_unit=unit)
    return as_token(key)


def create_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "channel": "wechat",
        "matter_type": "filing_consult",
        "title": "咨询如何网上立案",
        "content": "想了解民间借贷纠纷如何在网上立案，需要准备哪些材料。",
        "requester_name": "赵六",
        "requester_mobile": "13700005555",
    }
    body.update(overrides)
    return body


def intake(actor: Any, **overrides: Any) -> ServiceRequest:
    values: dict[str, Any] = {
        "channel": "walk_in",
        "matter_type_code": "divorce_filing",
        "title": "咨询如何起诉离婚",
        "content": "来访群众询问离婚诉讼需要准备哪些材料、诉讼费多少。",
        "requester_name": "李四",
        "requester_mobile": "13900001111",
        "route": False,
    }
    values.update(overrides)
    service_request, _created = services.service_request_create(
        actor=actor, data=IntakeData(**values)
    )
    return service_request


def feedback_token_from_sms(service_request: ServiceRequest) -> str:
    """The requester's link arrives by SMS; the token is read from there, as a requester would."""
    sms = (
        Notification.objects.filter(subject_id=str(service_request.pk), channel="sms")
        .order_by("-id")
        .first()
    )
    assert sms is not None
    match = re.search(r"/portal/feedback/([^/\s]+)/", sms.body)
    assert match is not None, sms.body
    assert Feedback.objects.filter(token=match.group(1)).exists()
    return match.group(1)


@pytest.fixture
def other_court(org_tree: None) -> OrgUnit:
    return org_unit_create(
        code="BT-SG-FY",
        name="石拐区人民法院",
        kind="court",
        region_id="150205",
        court_code="内0205",
    )


@pytest.fixture
def court_api(court: OrgUnit) -> Api:
    """The WeChat bridge of the Bayan Obo court: an integration token bound to the court."""
    return token_for("微信公众号对接", court)


@pytest.fixture
def other_court_api(other_court: OrgUnit) -> Api:
    return token_for("石拐法院微信", other_court)
