"""Writes of the inbound adapters: phone-system call events and WeChat messages into the desk.

Each turns what a provider sent into at most one desk request, through
``desk.services.service_request_create`` (so routing, deadlines, events and the requester's SMS
are the desk's), and remembers the provider's id so that its retries create nothing new.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from youjie.core.crypto import encrypt_text, lookup_hash
from youjie.core.errors import ValidationFailed
from youjie.courtcases.models import CourtCase
from youjie.desk import services as desk_services
from youjie.desk.choices import Channel
from youjie.desk.models import ServiceRequest
from youjie.desk.services import IntakeData
from youjie.inbound.choices import CallDirection
from youjie.inbound.models import (
    CALL_ID_MAX,
    MAX_CALL_SECONDS,
    RECORDING_REF_MAX,
    CallEvent,
    WeChatMessage,
)
from youjie.inbound.parsing import WECHAT_CONTENT_MAX, case_number_find, mobile_find
from youjie.inbound.realtime import call_incoming_push
from youjie.inbound.selectors import push_group_for
from youjie.orgs.choices import LineKind, OrgKind
from youjie.orgs.models import Line, OrgUnit, User
from youjie.people.identity import phone_hash
from youjie.people.models import Person
from youjie.people.validators import mask_mobile, normalize_mobile
from youjie.workdays.calendar import SHANGHAI
from youjie.workdays.models import YEAR_MIN

CALLBACK_MATTER_TYPE = "callback"
UNKNOWN_CALLER_NAME = "未知来电"
CALLER_MAX = 32
LANDLINE_MAX = 20
# A landline (or an extension) is kept as the phone system sent it: digits and hyphens.
_LANDLINE = re.compile(r"^[0-9][0-9-]*[0-9]$")
# PBXs often dial a leading 0 before a mobile of another area: 013812345678.
_PREFIXED_MOBILE = re.compile(r"^0(1[3-9][0-9]{9})$")
# Phone systems' clocks drift; a call "from the future" beyond this is a bad event.
FUTURE_TOLERANCE = timedelta(hours=1)
# Nor is a call from before the working-day calendar's first year: no phone system keeps
# records that old, and a moment in the first hours of year 1 cannot even be stored in UTC.
EARLIEST_CALL = datetime(YEAR_MIN, 1, 1, tzinfo=SHANGHAI)

CHANNEL_BY_LINE_KIND: dict[str, str] = {
    LineKind.FIXED: Channel.PHONE,
    LineKind.WORK_PHONE: Channel.WORK_PHONE,
    LineKind.DEPUTIES: Channel.DEPUTIES_LINE,
}


@dataclass(frozen=True)
class CallData:
    call_id: str
    caller: str
    started_at: datetime
    answered: bool
    duration_seconds: int
    recording_ref: str = ""
    direction: str = CallDirection.INBOUND


@dataclass(frozen=True)
class _Caller:
    number: str
    is_mobile: bool

    @property
    def masked(self) -> str:
        return mask_mobile(self.number)


def _caller_normalise(value: str) -> _Caller:
    """A mobile in its canonical 11 digits; a landline as-is (digits and hyphens, ≤20)."""
    raw = value.strip()
    try:
        return _Caller(normalize_mobile(raw), True)
    except ValidationError:
        pass
    prefixed = _PREFIXED_MOBILE.match(raw)
    if prefixed:
        return _Caller(prefixed.group(1), True)
    if len(raw) <= LANDLINE_MAX and _LANDLINE.match(raw):
        return _Caller(raw, False)
    raise ValidationFailed(
        "来电号码无效",
        fields={"caller": ["应为手机号，或仅含数字和连字符的固话号码（不超过20位）"]},
    )


def _call_clean(data: CallData) -> tuple[str, _Caller]:
    errors: dict[str, list[str]] = {}
    call_id = data.call_id.strip()
    if not call_id or len(call_id) > CALL_ID_MAX or not call_id.isprintable():
        errors["call_id"] = [f"呼叫编号不能为空，且不超过{CALL_ID_MAX}个字符"]
    caller: _Caller | None = None
    if len(data.caller) > CALLER_MAX:
        errors["caller"] = [f"来电号码不能超过{CALLER_MAX}个字符"]
    else:
        try:
            caller = _caller_normalise(data.caller)
        except ValidationFailed as exc:
            errors.update(exc.fields)
    if timezone.is_naive(data.started_at):
        errors["started_at"] = ["来电时间必须带时区，如 2026-11-23T09:00:00+08:00"]
    elif data.started_at < EARLIEST_CALL:
        errors["started_at"] = [f"来电时间不能早于{YEAR_MIN}年"]
    elif data.started_at > timezone.now() + FUTURE_TOLERANCE:
        errors["started_at"] = ["来电时间晚于当前时间"]
    if not 0 <= data.duration_seconds <= MAX_CALL_SECONDS:
        errors["duration_seconds"] = [f"时长应在0到{MAX_CALL_SECONDS}秒之间"]
    if len(data.recording_ref) > RECORDING_REF_MAX:
        errors["recording_ref"] = [f"录音编号不能超过{RECORDING_REF_MAX}个字符"]
    if data.direction not in CallDirection.values:
        errors["direction"] = ["方向应为 inbound 或 outbound"]
    if errors:
        raise ValidationFailed("来电事件有误", fields=errors)
    assert caller is not None
    return call_id, caller


def _known_person_name(caller: _Caller) -> str:
    """The name of the one person registered with this mobile, if exactly one is."""
    if not caller.is_mobile:
        return ""
    names = list(
        Person.objects.filter(phones__number_hash=phone_hash(caller.number))
        .distinct()
        .values_list("name", flat=True)[:2]
    )
    return names[0] if len(names) == 1 else ""


def _callback_data(*, line: Line, caller: _Caller, data: CallData) -> IntakeData:
    name = _known_person_name(caller)
    when = timezone.localtime(data.started_at, SHANGHAI)
    line_label = line.label or line.get_kind_display()
    ringing = f"，振铃{data.duration_seconds}秒" if data.duration_seconds else ""
    known = f"（已登记人员：{name}）" if name else ""
    content = (
        f"{when:%Y年%m月%d日 %H:%M}，{line_label}（{line.number}）有未接来电{ringing}。"
        f"来电号码 {caller.masked}{known}。请在时限内回拨。"
    )
    return IntakeData(
        channel=CHANNEL_BY_LINE_KIND.get(line.kind, Channel.PHONE.value),
        matter_type_code=CALLBACK_MATTER_TYPE,
        title=f"未接来电回拨：{caller.masked}",
        content=content,
        requester_name=name or UNKNOWN_CALLER_NAME,
        requester_mobile=caller.number if caller.is_mobile else "",
        line_number=line.number,
        received_at=data.started_at,
        route=True,
    )


def call_event_record(*, actor: User, line: Line, data: CallData) -> tuple[CallEvent, bool]:
    """Record a call on ``line`` (DESIGN flow 1). Returns (event, created).

    Idempotent on (line, call id): a re-post returns the first event and writes nothing. An
    inbound call pops up on the line owner's screens after the commit; a missed one becomes a
    callback request (matter type "callback": its first-response deadline is the callback
    deadline) routed by the line — to the judge for a work phone, by matter type for a unit's
    line — in the same transaction. The caller ``line`` must already be checked against the
    poster's scope (selectors.line_for_call_events).
    """
    call_id, caller = _call_clean(data)
    existing = _call_event_existing(line=line, call_id=call_id)
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            event = CallEvent.objects.create(
                line=line,
                call_id=call_id,
                direction=data.direction,
                caller_encrypted=encrypt_text(caller.number),
                caller_hash=phone_hash(caller.number) if caller.is_mobile else "",
                caller_masked=caller.masked,
                started_at=data.started_at,
                answered=data.answered,
                duration_seconds=data.duration_seconds,
                recording_ref=data.recording_ref.strip(),
                created_by=actor,
            )
            if data.direction == CallDirection.INBOUND:
                if not data.answered:
                    service_request, _created = desk_services.service_request_create(
                        actor=actor, data=_callback_data(line=line, caller=caller, data=data)
                    )
                    event.service_request = service_request
                    event.save(update_fields=["service_request"])
                transaction.on_commit(
                    functools.partial(
                        call_incoming_push, group=push_group_for(line), call_event_id=event.pk
                    ),
                    robust=True,
                )
    except IntegrityError:
        # A concurrent re-post of the same call won the race: return what it recorded.
        existing = _call_event_existing(line=line, call_id=call_id)
        if existing is None:
            raise
        return existing, False
    return event, True


def _call_event_existing(*, line: Line, call_id: str) -> CallEvent | None:
    return (
        CallEvent.objects.select_related("line", "service_request")
        .filter(line=line, call_id=call_id)
        .first()
    )


# --- WeChat official account (DESIGN flow 3) -------------------------------------------------

WECHAT_OPENID_MAX = 128
WECHAT_MSG_ID_MAX = 64
OPENID_HASH_PURPOSE = "inbound.wechat.openid"


def _receiving_court(court_code: str) -> OrgUnit:
    """The configured court (its unit code, e.g. BT-BYEB-FY, or its 法院代字, e.g. 内0206);
    unconfigured, the only court of the deployment."""
    courts = OrgUnit.objects.filter(kind=OrgKind.COURT, is_active=True)
    if court_code:
        court = courts.filter(Q(code=court_code) | Q(court_code=court_code)).order_by("id").first()
    else:
        only = list(courts[:2])
        court = only[0] if len(only) == 1 else None
    if court is None:
        raise ValidationFailed("未配置接收微信留言的法院", code="wechat_court_not_configured")
    return court


@dataclass(frozen=True)
class WeChatIntake:
    service_request: ServiceRequest
    created: bool
    mobile_given: bool


def wechat_message_record(
    *, msg_id: str, openid: str, text: str, court_code: str = ""
) -> WeChatIntake:
    """A WeChat text becomes one desk request (DESIGN flow 3); WeChat's retries create nothing.

    A case number in the text makes it a case query routed to that case's judge (when the case
    is one of the receiving court's); a mobile number in the text becomes the requester's
    number, so that they can track the request with it.
    """
    msg_id = msg_id.strip()
    openid = openid.strip()
    if not msg_id or len(msg_id) > WECHAT_MSG_ID_MAX:
        raise ValidationFailed("微信消息编号无效", fields={"msg_id": ["无效"]})
    if not openid or len(openid) > WECHAT_OPENID_MAX:
        raise ValidationFailed("微信用户标识无效", fields={"openid": ["无效"]})
    existing = _wechat_existing(msg_id)
    if existing is not None:
        return existing
    content = text.strip()[:WECHAT_CONTENT_MAX].strip()
    if not content:
        raise ValidationFailed("留言内容为空", fields={"content": ["内容不能为空"]})
    court = _receiving_court(court_code)
    case_number = case_number_find(content)
    related = ""
    if (
        case_number is not None
        and CourtCase.objects.filter(case_number=case_number.canonical, court=court).exists()
    ):
        related = case_number.canonical
    mobile = mobile_find(content)
    first_line = content.splitlines()[0][:30]
    data = IntakeData(
        channel=Channel.WECHAT,
        matter_type_code="case_query" if case_number is not None else "demand",
        title=f"微信咨询案件{case_number.canonical}" if case_number else f"微信留言：{first_line}",
        content=content,
        requester_name=f"微信用户{openid[-4:]}",
        requester_mobile=mobile,
        related_case_number=related,
        court_code=court.code,
        route=True,
    )
    try:
        with transaction.atomic():
            service_request, _created = desk_services.service_request_create(actor=None, data=data)
            WeChatMessage.objects.create(
                msg_id=msg_id,
                openid_hash=lookup_hash(openid, purpose=OPENID_HASH_PURPOSE),
                service_request=service_request,
            )
    except IntegrityError:
        # WeChat retried while the first delivery was still being written.
        existing = _wechat_existing(msg_id)
        if existing is None:
            raise
        return existing
    return WeChatIntake(service_request=service_request, created=True, mobile_given=bool(mobile))


def _wechat_existing(msg_id: str) -> WeChatIntake | None:
    earlier = WeChatMessage.objects.select_related("service_request").filter(msg_id=msg_id).first()
    if earlier is None:
        return None
    service_request = earlier.service_request
    return WeChatIntake(
        service_request=service_request,
        created=False,
        mobile_given=bool(service_request.requester_mobile_hash),
    )
