"""Reads of the inbound adapters: which line a poster may report on, and the screen-pop."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from youjie.core.audit import audit_record
from youjie.core.crypto import decrypt_text
from youjie.core.errors import NotFound, PermissionDenied
from youjie.core.viewers import Viewer
from youjie.desk.models import ServiceRequest
from youjie.desk.permissions import is_desk_staff
from youjie.desk.selectors import CallerCard, caller_card
from youjie.inbound.models import CallEvent
from youjie.orgs.models import Line, User
from youjie.orgs.scoping import access, can_see, user_scope
from youjie.people.permissions import can_view_full_personal_data

LINE_NOT_FOUND = "线路不存在"


def line_for_call_events(*, user: Viewer, number: str) -> Line:
    """The active line ``number`` if ``user``'s scope covers the line's unit, else 404.

    An integration token is bound to an org unit; it may report calls on that unit's lines
    only, so a token of another court learns nothing about this court's lines.
    """
    line = (
        Line.objects.select_related("owner_unit", "owner_user")
        .filter(number=number.strip()[:20], is_active=True)
        .first()
    )
    scope = user_scope(user)
    covered = line is not None and (
        scope.everything or any(line.owner_unit.path.startswith(path) for path in scope.unit_paths)
    )
    if line is None or not covered:
        raise NotFound(LINE_NOT_FOUND, code="line_not_found")
    return line


def staff_groups(user: Viewer | None) -> list[str]:
    """The groups a desk staff member's screen-pop joins: their own, and their unit's (none for
    anybody else, nor for a socket without a user)."""
    if user is None or not is_desk_staff(user) or not user.is_active or user.is_service_account:
        return []
    groups = [f"user.{user.pk}"]
    if user.org_unit_id is not None:
        groups.append(f"unit.{user.org_unit_id}")
    return groups


def screen_pop_groups(*, user: Viewer | None, session: Any) -> list[str]:
    """The groups a screen-pop socket joins, or [] when the connection is refused.

    Desk staff only (no service accounts, no anonymous users), and a role that needs a second
    factor must have passed it in this session — the rule the pages enforce
    (youjie.orgs.middleware), since the socket does not go through that middleware.
    """
    if user is None:
        return []
    groups = staff_groups(user)
    if groups and not _second_factor_passed(user, session):
        return []
    return groups


def _second_factor_passed(user: Viewer, session: Any) -> bool:
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.models import Device

    from youjie.orgs.middleware import requires_second_factor

    if not requires_second_factor(user):
        return True
    persistent_id = session.get(DEVICE_ID_SESSION_KEY) if session is not None else None
    if not persistent_id:
        return False
    device = Device.from_persistent_id(str(persistent_id))
    return bool(device is not None and device.user_id == user.pk and device.confirmed)


def push_group_for(line: Line) -> str:
    """A work phone pops up on its judge's screens; a unit's line on every screen of the unit."""
    if line.owner_user_id is not None:
        return f"user.{line.owner_user_id}"
    return f"unit.{line.owner_unit_id}"


@dataclass
class ScreenPop:
    call_event: CallEvent
    card: CallerCard | None
    callback_request: ServiceRequest | None


def screen_pop_get(*, user_id: int, call_event_id: int) -> ScreenPop | None:
    """What ``user_id`` is shown for a call: None unless the call came on a line of theirs.

    The user is re-read for every call (a deactivated account or a removed role stops the
    pop-ups at once), and the caller card is scoped by that user: only the persons, requests
    and cases they may see (DESIGN "Who sees what").
    """
    user = User.objects.select_related("org_unit").filter(pk=user_id, is_active=True).first()
    if user is None:
        return None
    event = (
        CallEvent.objects.select_related("line", "service_request").filter(pk=call_event_id).first()
    )
    if event is None or push_group_for(event.line) not in staff_groups(user):
        return None
    card = None
    if event.caller_hash:
        card = caller_card(user=user, mobile=decrypt_text(event.caller_encrypted))
    callback = event.service_request
    if callback is not None and not can_see(callback, user):
        callback = None
    return ScreenPop(call_event=event, card=card, callback_request=callback)


def callback_number_reveal(*, user: User, service_request_id: int) -> str:
    """The full number to call back for a missed-call request (audited, like person_reveal).

    The request must be visible to the user and their role one that may see full personal
    data; a landline caller's number exists nowhere else in full.
    """
    service_request = access(ServiceRequest.objects.all(), user, pk=service_request_id)
    if not can_view_full_personal_data(user):
        raise PermissionDenied("您的角色无权查看完整的来电号码")
    event = CallEvent.objects.filter(service_request=service_request).first()
    if event is None:
        raise NotFound("该诉求没有来电记录")
    audit_record(
        actor=user,
        action="reveal_callback_number",
        subject=event,
        fields=["caller"],
        purpose=f"回拨 {service_request.number}",
    )
    return decrypt_text(event.caller_encrypted)
