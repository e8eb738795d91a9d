"""Coordination requests to government departments (协调联动: 住建, 民政, 人社, 医保 …).

The matter's people send a request to a department, optionally naming its liaison, with a time
limit in working days (``YOUJIE_COORDINATION_WORKDAYS`` by default); the department's liaison
answers it. Overdue is computed from the last day (``models.coordination_overdue_q``), never
stored. Each step writes its event on the matter's timeline (and the request's own), moves the
matter's progress, and tells the other side through the outbox.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction

from youjie.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from youjie.core.timeline import event_record
from youjie.orgs.choices import OrgKind, Role
from youjie.orgs.models import OrgUnit, User
from youjie.petitions.choices import CoordinationStatus, MatterStatus
from youjie.petitions.deadlines import coordination_deadline
from youjie.petitions.models import TEXT_MAX, CoordinationRequest, PetitionMatter
from youjie.petitions.permissions import can_reply_coordination, can_request_coordination
from youjie.petitions.services.common import (
    Errors,
    add_error,
    check_not_future,
    check_order,
    clean_text,
    matter_progress_touch,
    notify_user,
    raise_if_errors,
    today,
)
from youjie.petitions.transitions import COORDINATION_TRANSITIONS

MAX_REQUESTS_PER_MATTER = 200


def coordination_status_set(
    *,
    coordination: CoordinationRequest,
    to_status: str,
    actor: User,
    verb: str,
    reason: str = "",
    data: dict[str, Any] | None = None,
    update_fields: list[str] | None = None,
) -> None:
    """The only place that changes a coordination request's ``status``
    (COORDINATION_TRANSITIONS); the event goes on the request's own timeline."""
    source = coordination.status
    COORDINATION_TRANSITIONS.check(source, to_status)
    coordination.status = to_status
    coordination.save(update_fields=sorted({"status", "updated_at", *(update_fields or [])}))
    event_record(
        subject=coordination,
        verb=verb,
        actor=actor,
        from_state=source,
        to_state=to_status,
        reason=reason,
        data=data,
    )


def default_workdays() -> int:
    return int(getattr(settings, "YOUJIE_COORDINATION_WORKDAYS", 10))


def department_liaisons(department: OrgUnit) -> list[User]:
    """The active liaisons of ``department`` (its unit or one below it)."""
    return list(
        User.objects.filter(
            is_active=True,
            user_roles__role=Role.DEPARTMENT_LIAISON,
            org_unit__path__startswith=department.path,
        )
        .distinct()
        .order_by("id")
    )


def coordination_request_send(
    *,
    actor: User,
    matter: PetitionMatter,
    department: OrgUnit,
    request_text: str,
    liaison: User | None = None,
    workdays: int | None = None,
    sent_on: date | None = None,
) -> CoordinationRequest:
    """Send a coordination request about ``matter`` to ``department`` (a government department),
    to be answered within ``workdays`` working days of ``sent_on`` (today)."""
    if not can_request_coordination(actor, matter):
        raise PermissionDenied("只有包案领导、承办人、专班成员或属地专项办可以发起协调")
    errors: Errors = {}
    sent_on = sent_on or today()
    workdays = default_workdays() if workdays is None else workdays
    if department.kind != OrgKind.DEPARTMENT or not department.is_active:
        add_error(errors, "department", "请选择政府部门（住建、民政、人社、医保等）")
    if liaison is not None and not (
        liaison.is_active
        and liaison.has_role(Role.DEPARTMENT_LIAISON)
        and liaison.org_unit is not None
        and liaison.org_unit.path.startswith(department.path)
    ):
        add_error(errors, "liaison", "所选联络员不是该部门的联络员")
    request_text = clean_text(
        errors, "request_text", "协调事项", request_text, max_length=TEXT_MAX, required=True
    )
    check_not_future(errors, "sent_on", "发出日期", sent_on)
    check_order(errors, "sent_on", "发出日期", sent_on, matter.received_on, "收到日期")
    raise_if_errors(errors, "协调函有误")
    deadline = coordination_deadline(sent_on, workdays)

    with transaction.atomic():
        locked = PetitionMatter.objects.select_for_update(of=("self",)).get(pk=matter.pk)
        if locked.status == MatterStatus.TERMINATED:
            raise InvalidTransition(f"{locked.number}已依法终结，不能再发起协调")
        if CoordinationRequest.objects.filter(matter=locked).count() >= MAX_REQUESTS_PER_MATTER:
            raise ValidationFailed(
                f"每个事项最多发起{MAX_REQUESTS_PER_MATTER}次协调", code="too_many_requests"
            )
        coordination = CoordinationRequest.objects.create(
            matter=locked,
            department=department,
            liaison=liaison,
            request_text=request_text,
            sent_on=sent_on,
            workdays=workdays,
            due_on=deadline.due,
            calendar_warning=(deadline.warning or "")[:200],
            sent_by=actor,
        )
        data = {
            "coordination": coordination.pk,
            "department": department.name,
            "due_on": deadline.due.isoformat(),
            "workdays": workdays,
        }
        event_record(
            subject=coordination, verb="sent", actor=actor, to_state=CoordinationStatus.SENT
        )
        event_record(subject=locked, verb="coordination_sent", actor=actor, data=data)
        matter_progress_touch(matter=locked)
        recipients = [liaison] if liaison is not None else department_liaisons(department)
        for recipient in recipients:
            notify_user(
                user=recipient,
                matter=locked,
                subject=f"协调函：{locked.number}",
                body=(
                    f"{actor.get_full_name() or actor.get_username()}就信访事项{locked.number}"
                    f"请{department.name}协调，请于{deadline.due:%Y年%m月%d日}前答复。"
                    "请登录有解系统“协调答复”查看。"
                ),
                key=f"coordination:{coordination.pk}",
            )
    return coordination


def coordination_request_reply(
    *,
    actor: User,
    coordination: CoordinationRequest,
    reply_text: str,
    replied_on: date | None = None,
) -> CoordinationRequest:
    """The department's liaison answers the request (once). A reply after the last day is
    accepted and marked late on the matter's timeline."""
    if not can_reply_coordination(actor, coordination):
        raise PermissionDenied("只有该部门的联络员可以答复协调函")
    errors: Errors = {}
    replied_on = replied_on or today()
    reply_text = clean_text(
        errors, "reply_text", "答复内容", reply_text, max_length=TEXT_MAX, required=True
    )
    check_not_future(errors, "replied_on", "答复日期", replied_on)
    check_order(errors, "replied_on", "答复日期", replied_on, coordination.sent_on, "发出日期")
    raise_if_errors(errors, "答复有误")

    with transaction.atomic():
        locked = (
            CoordinationRequest.objects.select_for_update(of=("self",))
            .select_related("matter", "department", "sent_by")
            .get(pk=coordination.pk)
        )
        if locked.status != CoordinationStatus.SENT:
            raise InvalidTransition(
                "该协调函已答复，不能重复答复",
                extra={"from": locked.status, "to": CoordinationStatus.REPLIED},
            )
        locked.reply_text = reply_text
        locked.replied_on = replied_on
        locked.replied_by = actor
        late = replied_on > locked.due_on
        coordination_status_set(
            coordination=locked,
            to_status=CoordinationStatus.REPLIED,
            actor=actor,
            verb="replied",
            data={"replied_on": replied_on.isoformat(), "late": late},
            update_fields=["reply_text", "replied_on", "replied_by"],
        )
        matter = locked.matter
        event_record(
            subject=matter,
            verb="coordination_replied",
            actor=actor,
            data={
                "coordination": locked.pk,
                "department": locked.department.name,
                "replied_on": replied_on.isoformat(),
                "due_on": locked.due_on.isoformat(),
                "late": late,
            },
        )
        matter_progress_touch(matter=matter)
        recipients = {locked.sent_by_id: locked.sent_by}
        if matter.handler is not None:
            recipients.setdefault(matter.handler.pk, matter.handler)
        for recipient in recipients.values():
            notify_user(
                user=recipient,
                matter=matter,
                subject=f"协调答复：{matter.number}",
                body=(
                    f"{locked.department.name}已答复信访事项{matter.number}的协调函，"
                    "请登录有解系统查看。"
                ),
                key=f"coordination_reply:{locked.pk}",
            )
    return locked


__all__ = [
    "coordination_request_reply",
    "coordination_request_send",
    "coordination_status_set",
    "department_liaisons",
]
