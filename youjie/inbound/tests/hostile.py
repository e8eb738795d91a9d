"""Inbound's cases for the hostile-input sweeps (tests/hostile/cases.py says what goes here):
the WeChat callback (swept by a test of its own, its body being XML), a call and a WeChat
message in the admin, and a phone line the API's call events name."""

from __future__ import annotations

from django.utils import timezone

from tests.hostile.cases import ApiWorld, HostileCases, World
from youjie.inbound.models import CallEvent, WeChatMessage
from youjie.orgs.models import Line, OrgUnit

WECHAT_TOKEN = "hostile-sweep-token"


def admin_rows(world: World) -> None:
    CallEvent.objects.create(
        line=world.line,  # orgs'
        call_id="hostile-call-1",
        direction="inbound",
        caller_encrypted="x",
        caller_hash="0" * 64,
        caller_masked="138****5678",
        started_at=timezone.now(),
        answered=True,
        service_request=world.routed,
    )
    WeChatMessage.objects.create(
        msg_id="hostile-msg-1", openid_hash="0" * 64, service_request=world.routed
    )


def api_build(world: ApiWorld) -> None:
    line = Line.objects.create(
        number="0472-8510389",
        kind="fixed",
        label="诉事速办服务专线",
        owner_unit=OrgUnit.objects.get(code="BT-BYEB-LAT"),
    )
    world.hints.update(
        call_id="pbx-0001",
        line=line.number,
        caller="13812345678",
        started_at=timezone.now().isoformat(),
        answered=False,
        duration_seconds=25,
    )


CASES = HostileCases(
    page_settings={"YOUJIE_WECHAT_TOKEN": WECHAT_TOKEN},  # the callback reads its input, not 404
    query_names=("echostr", "signature", "timestamp", "nonce"),  # the callback's signature
    posts_tested_elsewhere={
        "inbound:wechat": "tests/test_hostile_pages.py::test_wechat_callback_refuses_hostile_bodies"
    },
    admin_rows=admin_rows,
    api_build=api_build,
)
