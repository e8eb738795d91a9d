"""Portal test helpers: a client posting forms with a valid guard token, and a replied request."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from youjie.desk import services as desk_services
from youjie.desk.models import ServiceRequest
from youjie.desk.tests.conftest import civil_case, matter_types, party  # noqa: F401
from youjie.portal.formguard import form_token_issue

MOBILE = "13912345678"
FORM_NAMES = {
    "portal:submit": "submit",
    "portal:track": "track",
    "portal:track_code": "track_code",
    "portal:feedback": "feedback",
    "portal:withdraw": "withdraw",
}


def guard_fields(form_name: str, *, age: float = 10.0) -> dict[str, str]:
    """A form token issued ``age`` seconds ago (the guard refuses forms back within 2 s)."""
    return {"form_token": form_token_issue(form_name, issued_at=time.time() - age), "website": ""}


def post_form(
    client: Client, url_name: str, data: dict[str, Any], *args: Any, remote_addr: str = "10.0.0.1"
) -> Any:
    payload = {**guard_fields(FORM_NAMES[url_name]), **data}
    return client.post(reverse(url_name, args=args), payload, REMOTE_ADDR=remote_addr)


def submission(**overrides: str) -> dict[str, str]:
    data = {
        "name": "赵敏",
        "mobile": "139 1234 5678",
        "matter_type": "contact_judge",
        "title": "想联系承办法官",
        "content": "我的案件已立案两周，想了解开庭时间安排，请法官联系我。",
        "case_number": "",
    }
    data.update(overrides)
    return data


def submit_request(client: Client, **overrides: str) -> ServiceRequest:
    response = post_form(client, "portal:submit", submission(**overrides))
    assert response.status_code == 302, response.content.decode()[:2000]
    return ServiceRequest.objects.order_by("-id").first()  # type: ignore[return-value]


def reply_to(
    service_request: ServiceRequest, judge: Any, body: str = "开庭时间定于12月8日上午9时。"
) -> None:
    desk_services.service_request_accept(actor=judge, service_request=service_request)
    desk_services.service_request_reply(actor=judge, service_request=service_request, body=body)


@pytest.fixture(autouse=True)
def _portal_defaults(settings: Any) -> None:
    settings.YOUJIE_PORTAL_RATE_LIMITS = {}
    settings.YOUJIE_NOTIFY_TRANSPORTS = {}
    # The demo tree has two courts since the 青山区 court came (cross-domain filing): the portal
    # serves the Bayan Obo court, as a deployment names its own.
    settings.YOUJIE_PORTAL_COURT_CODE = "BT-BYEB-FY"
