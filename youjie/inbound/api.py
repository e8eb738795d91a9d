"""/api/v1/inbound: call events from the phone system (DESIGN flow 1).

Mounted by youjie/api/urls.py (``api.add_router("/inbound", inbound_router)``); authentication
is the NinjaAPI's. Only integration tokens post call events, and only for lines in their scope.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.responses import Status

from youjie.core.errors import PermissionDenied
from youjie.core.schemas import InputSchema
from youjie.inbound import selectors, services
from youjie.inbound.models import CALL_ID_MAX, MAX_CALL_SECONDS, RECORDING_REF_MAX, CallEvent
from youjie.orgs.models import User
from youjie.workdays.calendar import SHANGHAI

router = Router(tags=["来电与微信接入"])


class CallIn(InputSchema):
    call_id: str = Field(
        ..., min_length=1, max_length=CALL_ID_MAX, description="电话系统的呼叫编号"
    )
    line: str = Field(..., min_length=1, max_length=20, description="被叫线路号码（已登记的线路）")
    caller: str = Field(..., min_length=1, max_length=services.CALLER_MAX, description="主叫号码")
    started_at: datetime = Field(..., description="来电时间，带时区，如 2026-11-23T09:00:00+08:00")
    answered: bool
    duration_seconds: int = Field(0, ge=0, le=MAX_CALL_SECONDS)
    recording_ref: str = Field("", max_length=RECORDING_REF_MAX)
    direction: Literal["inbound", "outbound"] = "inbound"


class CallOut(Schema):
    id: int
    call_id: str
    line: str
    direction: str
    caller_masked: str
    started_at: datetime
    answered: bool
    duration_seconds: int
    recording_ref: str
    callback_request_number: str | None


def _out(event: CallEvent) -> CallOut:
    return CallOut(
        id=event.pk,
        call_id=event.call_id,
        line=event.line.number,
        direction=event.direction,
        caller_masked=event.caller_masked,
        started_at=timezone.localtime(event.started_at, SHANGHAI),
        answered=event.answered,
        duration_seconds=event.duration_seconds,
        recording_ref=event.recording_ref,
        callback_request_number=event.service_request.number if event.service_request else None,
    )


@router.post(
    "/calls",
    response={200: CallOut, 201: CallOut},
    summary="报送来电事件（同一线路同一 call_id 重复报送返回首次记录，200）",
    description=(
        "未接来电生成回拨诉求（事项类型 callback），已接来电推送来电弹屏。"
        "令牌的机构范围须包含该线路，否则 404 line_not_found。"
    ),
)
def call_create(request: HttpRequest, payload: CallIn) -> Status[CallOut]:
    user = request.user
    if not isinstance(user, User) or not user.is_service_account:
        raise PermissionDenied("来电事件只能由电话系统的接口令牌报送")
    line = selectors.line_for_call_events(user=user, number=payload.line)
    event, created = services.call_event_record(
        actor=user,
        line=line,
        data=services.CallData(
            call_id=payload.call_id,
            caller=payload.caller,
            started_at=payload.started_at,
            answered=payload.answered,
            duration_seconds=payload.duration_seconds,
            recording_ref=payload.recording_ref,
            direction=payload.direction,
        ),
    )
    return Status(201 if created else 200, _out(event))
