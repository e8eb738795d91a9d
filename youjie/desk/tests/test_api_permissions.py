"""Negative permissions for every /api/v1/desk endpoint.

No credentials → 401. Outside the caller's scope (a token bound to another court, the county
office officer) → 404 on fetch and act, empty lists, nothing written. Inside the scope but not
allowed to act → 403 with a code.
"""

# ruff: noqa: F811  (shared fixtures are imported from test_api_support and used by name)

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from youjie.core.models import Event
from youjie.desk import services
from youjie.desk.models import ClockChange, Feedback, ReturnVisit, ServiceRequest
from youjie.notifications.models import Notification

from .test_api_support import (  # noqa: F401
    CASE_NUMBER,
    Api,
    anonymous,
    as_token,
    as_user,
    court_api,
    create_body,
    intake,
    other_court,
    other_court_api,
)

pytestmark = pytest.mark.django_db


@dataclass
class World:
    open_request: ServiceRequest  # in progress with judge 李敏, a pause pending approval
    closed_request: (
        ServiceRequest  # a complaint answered on the spot, rated, awaiting a return visit
    )
    change: ClockChange
    visit: ReturnVisit


@pytest.fixture
def world(receptionist, judge, civil_case, matter_types) -> World:
    open_request = intake(
        receptionist, matter_type_code="contact_judge", related_case_number=CASE_NUMBER, route=True
    )
    services.service_request_accept(actor=judge, service_request=open_request)
    change = services.clock_change_request(
        actor=judge, service_request=open_request, kind="pause", reason="等待当事人补充材料"
    )
    closed_request = intake(
        receptionist, matter_type_code="complaint", requester_mobile="13900002222"
    )
    services.service_request_reply(
        actor=receptionist, service_request=closed_request, body="已当场解释。", on_the_spot=True
    )
    token = Feedback.objects.get(service_request=closed_request).token
    services.feedback_submit(token=token, satisfaction=2, comment="不太满意")
    visit = ReturnVisit.objects.get(service_request=closed_request)
    return World(
        open_request=open_request, closed_request=closed_request, change=change, visit=visit
    )


def endpoints(world: World) -> list[tuple[str, str, Any]]:
    """(method, path, body) of every endpoint that needs a caller."""
    rid = world.open_request.pk
    deadline = (timezone.now() + timedelta(days=2)).isoformat()
    return [
        ("get", "/requests", None),
        ("get", "/search?q=法官", None),
        ("get", f"/requests/{rid}", None),
        ("get", f"/requests/by-number/{world.open_request.number}", None),
        ("post", "/requests", create_body()),
        ("post", f"/requests/{rid}/route", {"division_code": "BT-BYEB-LAT", "reason": "转立案庭"}),
        ("post", f"/requests/{rid}/accept", {}),
        ("post", f"/requests/{rid}/decline", {"reason": "不属本庭"}),
        ("post", f"/requests/{rid}/reply", {"body": "答复内容"}),
        ("post", f"/requests/{rid}/interim-reply", {"body": "正在办理"}),
        (
            "post",
            f"/requests/{rid}/clock-changes",
            {"kind": "extension", "reason": "复杂", "extra_workdays": 3},
        ),
        ("post", f"/requests/{rid}/clock-changes/{world.change.pk}/decide", {"approve": True}),
        ("post", f"/requests/{rid}/resume", {"reason": "材料已到"}),
        ("post", f"/requests/{rid}/supervise", {"reason": "请尽快办理", "new_deadline": deadline}),
        (
            "post",
            f"/requests/{rid}/merge",
            {"into_number": world.closed_request.number, "reason": "重复"},
        ),
        ("post", f"/requests/{rid}/withdraw", {"reason": "诉求人撤回"}),
        ("post", f"/requests/{rid}/send-checklist", {}),
        ("get", "/return-visits", None),
        ("post", f"/return-visits/{world.visit.pk}", {"result": "resolved", "action": "none"}),
    ]


def call(api: Api, method: str, path: str, body: Any) -> Any:
    return api.get(path) if method == "get" else api.post(path, body)


def snapshot() -> tuple[Any, ...]:
    return (
        list(ServiceRequest.objects.order_by("id").values_list("id", "status", "completion_due")),
        Event.objects.count(),
        Notification.objects.count(),
        list(ClockChange.objects.values_list("status", flat=True)),
        list(ReturnVisit.objects.values_list("status", flat=True)),
    )


def test_no_credentials_is_401_everywhere(world):
    before = snapshot()
    for method, path, body in endpoints(world):
        for api in (anonymous(), as_token("yj_not-a-real-token"), as_token("garbage")):
            response = call(api, method, path, body)
            assert response.status_code == 401, (method, path, response.content)
            assert response.json()["code"] == "unauthenticated"
    assert snapshot() == before


@pytest.mark.parametrize("caller", ["other_court_token", "county_officer"])
def test_outside_scope_is_404_on_fetch_and_act_and_lists_are_empty(
    world, caller, request, other_court_api, county_officer
):
    api = other_court_api if caller == "other_court_token" else as_user(county_officer)
    before = snapshot()
    for method, path, body in endpoints(world):
        if path == "/requests" and method == "post":
            continue
        response = call(api, method, path, body)
        if method == "get" and path.split("?")[0] in ("/requests", "/search", "/return-visits"):
            assert response.status_code == 200, (path, response.content)
            assert response.json()["items"] == [], path
        else:
            assert response.status_code == 404, (method, path, response.content)
            assert response.json()["code"] == "not_found"
    assert snapshot() == before


def test_who_may_create(world, other_court_api, county_officer, administrator, judge, settings):
    settings.YOUJIE_OTP_ENFORCED = False
    assert as_user(county_officer).post("/requests", create_body()).status_code == 403
    denied = as_user(administrator).post("/requests", create_body())
    assert denied.status_code == 403 and denied.json()["code"] == "permission_denied"
    # Another court's integration creates in its own court, out of this court's sight.
    created = other_court_api.post("/requests", create_body())
    assert created.status_code == 201
    assert created.json()["court"] == "石拐区人民法院"
    assert as_user(judge).post("/requests", create_body(channel="work_phone")).status_code == 201


def test_inside_scope_without_the_right_is_403(
    world, court_api, receptionist, judge, other_judge, division_head
):
    rid = world.open_request.pk
    before = snapshot()
    # The court's integration may read, but not act as staff.
    assert court_api.get(f"/requests/{rid}").status_code == 200
    for method, path, body in endpoints(world)[5:17]:
        response = call(court_api, method, path, body)
        assert response.status_code == 403, (path, response.content)
        assert response.json()["code"] == "permission_denied"
    visit = court_api.post(
        f"/return-visits/{world.visit.pk}", {"result": "resolved", "action": "none"}
    )
    assert visit.status_code == 403 and visit.json()["code"] == "permission_denied"
    reception = as_user(receptionist)
    deadline = (timezone.now() + timedelta(days=2)).isoformat()
    supervise = reception.post(
        f"/requests/{rid}/supervise", {"reason": "督办", "new_deadline": deadline}
    )
    assert supervise.status_code == 403 and supervise.json()["code"] == "permission_denied"
    decide = as_user(judge).post(
        f"/requests/{rid}/clock-changes/{world.change.pk}/decide", {"approve": True}
    )
    assert decide.status_code == 403
    # A colleague in the same division who is not on the request cannot see it at all.
    assert as_user(other_judge).get(f"/requests/{rid}").status_code == 404
    # A request answered at reception never reached the division: its head cannot see the visit.
    assert (
        as_user(division_head)
        .post(f"/return-visits/{world.visit.pk}", {"result": "resolved", "action": "none"})
        .status_code
        == 404
    )
    assert snapshot() == before


def test_public_endpoints(world, matter_types):
    types = anonymous().get("/matter-types")
    assert types.status_code == 200
    divorce = next(item for item in types.json() if item["code"] == "divorce_filing")
    assert divorce["checklist"]["version"] == 1 and "结婚证" in divorce["checklist"]["materials"]
    assert divorce["completion_limit"] == 1 and divorce["completion_unit"] == "workdays"
    before = snapshot()
    assert anonymous().post("/feedback/no-such-token", {"satisfaction": 5}).status_code == 404
    assert anonymous().post("/feedback/" + "x" * 65, {"satisfaction": 5}).status_code == 404
    used = Feedback.objects.get(service_request=world.closed_request).token
    again = anonymous().post(f"/feedback/{used}", {"satisfaction": 5})
    assert again.status_code == 422 and again.json()["code"] == "already_rated"
    assert anonymous().post(f"/feedback/{used}", {"satisfaction": 6}).status_code == 422
    assert (
        anonymous()
        .post(f"/feedback/{used}", {"satisfaction": 3, "comment": "长" * 1001})
        .status_code
        == 422
    )
    assert snapshot() == before
