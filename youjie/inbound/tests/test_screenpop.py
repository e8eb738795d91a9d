"""DESIGN flow 1 end to end over the real consumer: a call pops up on the judge's screen.

Transactional tests: the push is sent on commit. pytest-asyncio is not installed, so each
scenario is one coroutine run by asgiref's async_to_sync; HTTP calls inside it go through
sync_to_async, which runs them in the test's own thread (and database connection).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.auth import AuthMiddlewareStack
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.conf import settings as django_settings
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from youjie.core.models import Event
from youjie.desk import selectors as desk_selectors
from youjie.desk import services as desk_services
from youjie.desk.models import ServiceRequest
from youjie.desk.services import IntakeData
from youjie.inbound.consumers import CLOSE_FORBIDDEN
from youjie.inbound.models import CallEvent
from youjie.inbound.routing import websocket_urlpatterns
from youjie.inbound.screenpop import screen_pop_payload

from .conftest import MONDAY_9AM

SHANGHAI = ZoneInfo("Asia/Shanghai")
PATH = "/ws/desk/calls/"
pytestmark = pytest.mark.django_db(transaction=True)


def run(scenario: Callable[[], Awaitable[None]]) -> None:
    async_to_sync(scenario)()


def socket_for(user: Any) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(URLRouter(websocket_urlpatterns), PATH)
    communicator.scope["user"] = user
    return communicator


def session_socket(client: Client) -> WebsocketCommunicator:
    """Through the real middleware stack: the session cookie decides who is connected."""
    name = django_settings.SESSION_COOKIE_NAME
    cookie = f"{name}={client.cookies[name].value}"
    return WebsocketCommunicator(
        AuthMiddlewareStack(URLRouter(websocket_urlpatterns)),
        PATH,
        headers=[(b"cookie", cookie.encode("ascii"))],
    )


def post_call(token: str, **overrides: Any) -> Any:
    body = {
        "call_id": "pbx-1",
        "line": "13904720001",
        "caller": "13812345678",
        "started_at": MONDAY_9AM.isoformat(),
        "answered": True,
        "duration_seconds": 60,
    }
    body.update(overrides)
    return Client().post(
        "/api/v1/inbound/calls",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def test_flow_1_judge_sees_the_caller_then_gets_a_callback_item(
    receptionist, judge, other_judge, judge_line, civil_case, party, matter_types, phone_token
):
    earlier, _ = desk_services.service_request_create(
        actor=receptionist,
        data=IntakeData(
            channel="walk_in",
            matter_type_code="case_query",
            title="询问开庭时间",
            content="张三来访询问开庭时间。",
            requester_name="张三",
            requester_mobile="13812345678",
            related_case_number="（2026）内0206民初123号",
            received_at=MONDAY_9AM,
        ),
    )

    async def scenario() -> None:
        judge_socket = socket_for(judge)
        other_socket = socket_for(other_judge)
        assert (await judge_socket.connect())[0] and (await other_socket.connect())[0]

        answered = await sync_to_async(post_call)(phone_token)
        assert answered.status_code == 201
        pop = await judge_socket.receive_json_from(timeout=5)
        assert pop["type"] == "call.incoming" and pop["answered"] is True
        assert pop["caller_masked"] == "138****5678" and "13812345678" not in json.dumps(pop)
        assert [person["name"] for person in pop["persons"]] == ["张三"]
        assert pop["persons"][0]["url"] == f"/people/{party.pk}/"
        assert [item["number"] for item in pop["open_requests"]] == [earlier.number]
        assert pop["open_requests"][0]["title"] == "询问开庭时间"
        assert pop["open_requests"][0]["url"] == f"/desk/{earlier.pk}/"
        assert [case["case_number"] for case in pop["cases"]] == ["（2026）内0206民初123号"]
        assert pop["cases"][0]["url"] == f"/cases/{civil_case.pk}/"
        assert pop["callback_request"] is None
        assert "张三" in pop["html"] and "（2026）内0206民初123号" in pop["html"]
        assert await other_socket.receive_nothing(timeout=0.2)

        missed = await sync_to_async(post_call)(phone_token, call_id="pbx-2", answered=False)
        assert missed.status_code == 201
        pop = await judge_socket.receive_json_from(timeout=5)
        number = missed.json()["callback_request_number"]
        assert pop["answered"] is False and pop["callback_request"]["number"] == number
        assert number in [item["number"] for item in pop["open_requests"]]

        replay = await sync_to_async(post_call)(phone_token, call_id="pbx-2", answered=False)
        assert replay.status_code == 200 and replay.json()["callback_request_number"] == number
        assert await judge_socket.receive_nothing(timeout=0.2)
        assert await other_socket.receive_nothing(timeout=0.2)
        await judge_socket.disconnect()
        await other_socket.disconnect()

    run(scenario)
    callback = ServiceRequest.objects.get(matter_type__code="callback")
    assert ServiceRequest.objects.count() == 2 and CallEvent.objects.count() == 2
    assert callback in desk_selectors.my_queue(user=judge)
    assert callback not in desk_selectors.my_queue(user=other_judge)
    assert callback.first_response_due == datetime(2026, 11, 23, 11, 0, tzinfo=SHANGHAI)
    events = list(
        Event.objects.filter(subject_type="desk.servicerequest", subject_id=str(callback.pk))
    )
    assert [event.verb for event in events] == ["registered", "routed"]
    assert events[1].data["rule"] == "line" and events[1].to_state == "awaiting_acceptance"


def test_a_unit_line_pops_up_for_the_unit_with_each_users_own_scope(
    receptionist, judge, fixed_line, civil_case, matter_types, phone_token
):
    async def scenario() -> None:
        reception_socket = socket_for(receptionist)
        judge_socket = socket_for(judge)
        assert (await reception_socket.connect())[0] and (await judge_socket.connect())[0]
        response = await sync_to_async(post_call)(phone_token, line="0472-8510389", answered=False)
        assert response.status_code == 201
        pop = await reception_socket.receive_json_from(timeout=5)
        # Reception sees the whole court: the party and the case.
        assert [person["name"] for person in pop["persons"]] == ["张三"]
        assert pop["callback_request"]["number"] == response.json()["callback_request_number"]
        assert await judge_socket.receive_nothing(timeout=0.2)
        await reception_socket.disconnect()
        await judge_socket.disconnect()

    run(scenario)


@pytest.mark.django_db
def test_card_is_scoped_to_the_recipient_with_bounded_queries(
    judge,
    other_judge,
    judge_line,
    civil_case,
    matter_types,
    phone_token,
    django_assert_max_num_queries,
):
    """The card is the recipient's: a judge the line passes to does not see the first's case."""
    post_call(phone_token, answered=False)
    event = CallEvent.objects.get()
    with django_assert_max_num_queries(12):
        pop = screen_pop_payload(user_id=judge.pk, call_event_id=event.pk)
    assert pop is not None and len(pop["cases"]) == 1 and len(pop["open_requests"]) == 1
    judge_line.owner_user = other_judge
    judge_line.save(update_fields=["owner_user"])
    pop = screen_pop_payload(user_id=other_judge.pk, call_event_id=event.pk)
    assert pop is not None
    # The party and the case are the first judge's; the callback came on the (now their) line.
    assert pop["persons"] == [] and pop["cases"] == []
    assert [item["title"] for item in pop["open_requests"]] == ["未接来电回拨：138****5678"]
    assert screen_pop_payload(user_id=judge.pk, call_event_id=event.pk) is None
    assert screen_pop_payload(user_id=judge.pk, call_event_id=10**9) is None


def test_anonymous_and_service_accounts_are_refused(org_tree, phone_token):
    from django.contrib.auth.models import AnonymousUser

    from youjie.orgs.models import User

    service_user = User.objects.get(is_service_account=True)

    async def scenario() -> None:
        for user in (AnonymousUser(), service_user):
            socket = socket_for(user)
            connected, _ = await socket.connect()
            assert connected
            closed = await socket.receive_output(timeout=1)
            assert closed == {"type": "websocket.close", "code": CLOSE_FORBIDDEN}
            await socket.disconnect()

    run(scenario)


def test_session_login_connects_and_client_messages_are_ignored(judge, settings):
    client = Client()
    client.force_login(judge)

    async def scenario() -> None:
        socket = session_socket(client)
        assert (await socket.connect())[0]
        await socket.send_to(text_data="{not json")
        await socket.send_json_to({"type": "call.incoming", "call_event_id": 1})
        assert await socket.receive_nothing(timeout=0.2)
        await socket.disconnect()

    run(scenario)


def test_court_leader_needs_the_second_factor_in_the_session(court_leader, settings):
    settings.YOUJIE_OTP_ENFORCED = True
    client = Client()
    client.force_login(court_leader)

    async def refused() -> None:
        socket = session_socket(client)
        assert (await socket.connect())[0]
        assert (await socket.receive_output(timeout=1))["code"] == CLOSE_FORBIDDEN

    run(refused)

    device = TOTPDevice.objects.create(user=court_leader, name="验证器", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()

    async def accepted() -> None:
        socket = session_socket(client)
        assert (await socket.connect())[0]
        assert await socket.receive_nothing(timeout=0.2)
        await socket.disconnect()

    run(accepted)
