"""Routing, acceptance, replies, clock changes, supervision, merge and withdrawal."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from youjie.core.errors import Conflict, InvalidTransition, PermissionDenied, ValidationFailed
from youjie.core.timeline import event_record
from youjie.courtcases.selectors import case_party_match
from youjie.desk.choices import (
    ApprovalStatus,
    ReplyKind,
    RequestStatus,
    RoutingRule,
)
from youjie.desk.deadlines import shift_by_paused_workdays
from youjie.desk.models import (
    CONTENT_MAX,
    ClockChange,
    Feedback,
    Reply,
    ServiceRequest,
    Supervision,
)
from youjie.desk.permissions import (
    can_accept,
    can_act_on,
    can_approve_clock_change,
    can_supervise,
)
from youjie.desk.policy import desk_policy
from youjie.desk.selectors import case_query_verification, division_head_for
from youjie.desk.services.common import (
    notify_requester,
    notify_staff,
    portal_link,
    reindex,
    responsible_staff,
    transition,
)
from youjie.desk.transitions import CLOCK_CHANGE_TRANSITIONS
from youjie.orgs.models import OrgUnit, User

REASON_MAX = 1000


def _reason(reason: str, *, required: bool = True) -> str:
    reason = reason.strip()
    if required and not reason:
        raise ValidationFailed("请填写理由", fields={"reason": ["理由不能为空"]})
    if len(reason) > REASON_MAX:
        raise ValidationFailed("理由过长", fields={"reason": [f"不能超过{REASON_MAX}字"]})
    return reason


def _lock(service_request: ServiceRequest) -> ServiceRequest:
    """Re-read the row inside the transaction (row lock on PostgreSQL) so stale forms fail."""
    return (
        ServiceRequest.objects.select_for_update(of=("self",))
        .select_related("matter_type", "division", "assignee", "court")
        .get(pk=service_request.pk)
    )


def _check_version(service_request: ServiceRequest, expected_status: str | None) -> None:
    if expected_status is not None and service_request.status != expected_status:
        raise ValidationFailed(
            "该诉求已被他人处理，页面内容已过期，请刷新后重试",
            code="stale",
            extra={"status": service_request.status},
        )


def routing_assign(
    *, service_request: ServiceRequest, division: OrgUnit | None, user: User | None, rule: str
) -> dict[str, str]:
    """Point the request at a division or judge for acceptance, on the object only; returns
    the data of the routed/transferred event. Intake uses it before its INSERT (a request
    routed on registration is inserted routed), ``_route_to`` before its UPDATE."""
    if division is None and user is not None:
        division = user.org_unit
    service_request.transfer_division = division
    service_request.transfer_user = user
    service_request.transfer_sent_at = timezone.now()
    service_request.routing_rule = rule
    return {
        "rule": rule,
        "division": division.name if division else "",
        "user": user.get_full_name() if user else "",
    }


def routing_notify(*, service_request: ServiceRequest, user: User | None) -> None:
    """Tell the user a request was routed to that it awaits their acceptance."""
    if user is not None:
        notify_staff(
            service_request=service_request,
            user=user,
            subject=f"待签收诉求 {service_request.number}",
            body=f"{service_request.title}（{service_request.requester_name}），请及时签收办理。",
            key=f"routed:{service_request.transfer_sent_at:%Y%m%d%H%M%S}",
        )


def _route_to(
    *,
    service_request: ServiceRequest,
    actor: User,
    division: OrgUnit | None,
    user: User | None,
    rule: str,
    reason: str,
) -> None:
    """Send to a division or judge for acceptance; the first-contact owner stays accountable."""
    verb = "routed" if service_request.status == RequestStatus.REGISTERED else "transferred"
    data = routing_assign(service_request=service_request, division=division, user=user, rule=rule)
    transition(
        service_request=service_request,
        to_status=RequestStatus.AWAITING_ACCEPTANCE,
        actor=actor,
        verb=verb,
        reason=reason,
        data=data,
        update_fields=["transfer_division", "transfer_user", "transfer_sent_at", "routing_rule"],
    )
    routing_notify(service_request=service_request, user=user)


def service_request_route(
    *,
    actor: User,
    service_request: ServiceRequest,
    division: OrgUnit | None = None,
    user: User | None = None,
    reason: str = "",
    expected_status: str | None = None,
) -> ServiceRequest:
    """分派 / 转办: manual routing from registered, or transfer from in progress."""
    if division is None and user is None:
        raise ValidationFailed("请选择承办庭室或承办人", fields={"division": ["必须选择"]})
    with transaction.atomic():
        locked = _lock(service_request)
        _check_version(locked, expected_status)
        if not can_act_on(actor, locked):
            raise PermissionDenied()
        if locked.first_contact_id is None and locked.status == RequestStatus.REGISTERED:
            # Whoever first takes up an unowned request (portal, WeChat) becomes its owner.
            locked.first_contact = actor
            locked.save(update_fields=["first_contact"])
        _route_to(
            service_request=locked,
            actor=actor,
            division=division,
            user=user,
            rule=RoutingRule.MANUAL,
            reason=_reason(reason, required=locked.status != RequestStatus.REGISTERED),
        )
    return locked


def service_request_accept(
    *, actor: User, service_request: ServiceRequest, expected_status: str | None = None
) -> ServiceRequest:
    """签收: the receiving judge or division takes the request; the clock keeps running."""
    with transaction.atomic():
        locked = _lock(service_request)
        _check_version(locked, expected_status)
        if not can_accept(actor, locked):
            raise PermissionDenied("只有被分派的庭室或承办人可以签收")
        locked.assignee = actor
        locked.division = locked.transfer_division or actor.org_unit
        locked.transfer_division = None
        locked.transfer_user = None
        locked.transfer_sent_at = None
        transition(
            service_request=locked,
            to_status=RequestStatus.IN_PROGRESS,
            actor=actor,
            verb="accepted",
            data={
                "assignee": actor.get_full_name(),
                "division": locked.division.name if locked.division else "",
            },
            update_fields=[
                "assignee",
                "division",
                "transfer_division",
                "transfer_user",
                "transfer_sent_at",
            ],
        )
    return locked


def service_request_decline(
    *, actor: User, service_request: ServiceRequest, reason: str, expected_status: str | None = None
) -> ServiceRequest:
    """退回: the receiving side declines with a reason; back to the first-contact owner."""
    with transaction.atomic():
        locked = _lock(service_request)
        _check_version(locked, expected_status)
        if not can_accept(actor, locked):
            raise PermissionDenied("只有被分派的庭室或承办人可以退回")
        reason = _reason(reason)
        locked.transfer_division = None
        locked.transfer_user = None
        locked.transfer_sent_at = None
        # An unaccepted routing returns to the first-contact owner (registered); a transfer from
        # an assignee returns to that assignee, who still holds it (in progress).
        back_to = (
            RequestStatus.REGISTERED if locked.assignee_id is None else RequestStatus.IN_PROGRESS
        )
        transition(
            service_request=locked,
            to_status=back_to,
            actor=actor,
            verb="declined",
            reason=reason,
            update_fields=["transfer_division", "transfer_user", "transfer_sent_at"],
        )
        notify_staff(
            service_request=locked,
            user=locked.assignee or locked.first_contact,
            subject=f"诉求 {locked.number} 被退回",
            body=f"退回理由：{reason}",
            key=f"declined:{timezone.now():%Y%m%d%H%M%S}",
        )
    return locked


def _feedback_link(service_request: ServiceRequest, token: str) -> str:
    base = desk_policy().public_base_url.rstrip("/")
    return f"{base}/portal/feedback/{token}/"


UNVERIFIED_REASON_MAX = 200
UNVERIFIED_CONFIRM_MESSAGE = (
    "诉求人未核实为关联案件的当事人，答复可能向非当事人透露案件情况；"
    "确需答复的，请勾选确认并填写理由"
)


def requester_is_verified_party(service_request: ServiceRequest) -> bool:
    """True when the request names no case, or its requester matched one of the case's parties
    (person record, ID number or phone: ``courtcases.selectors.case_party_match``), or passed
    the 案件查询 party check (``services.case_query``)."""
    if service_request.related_case_id is None:
        return True
    if case_query_verification(service_request=service_request) is not None:
        return True
    match = case_party_match(
        court_case_id=service_request.related_case_id,
        person_id=service_request.requester_id,
        mobile_hash=service_request.requester_mobile_hash,
    )
    return match is not None


def _unverified_reason(*, confirmed: bool, reason: str) -> str:
    """A reply about a case to a requester not shown to be its party needs the replier's
    explicit confirmation and a reason (issue 12, item 3: case details only to parties)."""
    reason = " ".join(reason.split())
    errors: dict[str, list[str]] = {}
    if not confirmed:
        errors["confirm_unverified"] = ["请确认：诉求人未核实为当事人，仍向其答复案件情况"]
    if not reason:
        errors["unverified_reason"] = ["请填写向未核实诉求人答复的理由"]
    elif len(reason) > UNVERIFIED_REASON_MAX:
        errors["unverified_reason"] = [f"理由不能超过{UNVERIFIED_REASON_MAX}字"]
    if errors:
        raise ValidationFailed(
            UNVERIFIED_CONFIRM_MESSAGE, code="unverified_requester", fields=errors
        )
    return reason


def service_request_reply(
    *,
    actor: User,
    service_request: ServiceRequest,
    body: str,
    on_the_spot: bool = False,
    expected_status: str | None = None,
    confirm_unverified: bool = False,
    unverified_reason: str = "",
) -> Reply:
    """答复: the answer reaches the requester, with the feedback link (件件有回音).

    On a request linked to a case whose requester is not a verified party, the replier must
    confirm (``confirm_unverified``) with ``unverified_reason``; the confirmation is recorded
    as a ``reply_to_unverified_confirmed`` event beside the reply.
    """
    body = body.strip()
    if not body:
        raise ValidationFailed("答复内容不能为空", fields={"body": ["不能为空"]})
    if len(body) > CONTENT_MAX:
        raise ValidationFailed("答复内容过长", fields={"body": [f"不能超过{CONTENT_MAX}字"]})
    with transaction.atomic():
        locked = _lock(service_request)
        _check_version(locked, expected_status)
        if not can_act_on(actor, locked):
            raise PermissionDenied()
        if on_the_spot and locked.status != RequestStatus.REGISTERED:
            raise InvalidTransition("只有刚登记的诉求可以当场答复")
        confirmed_reason = ""
        # An on-the-spot answer is given at registration by the person speaking with the
        # requester (who can check an ID card at the counter); it carries no judge's case details.
        if not on_the_spot and not requester_is_verified_party(locked):
            confirmed_reason = _unverified_reason(
                confirmed=confirm_unverified, reason=unverified_reason
            )
        now = timezone.now()
        reply = Reply.objects.create(
            service_request=locked,
            author=actor,
            body=body,
            kind=ReplyKind.ON_THE_SPOT if on_the_spot else ReplyKind.ANSWER,
        )
        locked.replied_at = now
        if locked.first_responded_at is None:
            locked.first_responded_at = now
        if locked.assignee_id is None:
            locked.assignee = actor
        token = secrets.token_urlsafe(24)
        Feedback.objects.update_or_create(
            service_request=locked,
            defaults={
                "token": token,
                "satisfaction": None,
                "comment": "",
                "disputed": False,
                "submitted_at": None,
            },
        )
        transition(
            service_request=locked,
            to_status=RequestStatus.REPLIED,
            actor=actor,
            verb="replied_on_the_spot" if on_the_spot else "replied",
            data={"reply_id": reply.pk},
            update_fields=["replied_at", "first_responded_at", "assignee"],
        )
        if confirmed_reason:
            event_record(
                subject=locked,
                verb="reply_to_unverified_confirmed",
                actor=actor,
                reason=confirmed_reason,
                data={"reply_id": reply.pk, "related_case_id": locked.related_case_id},
            )
        if locked.is_supervised:
            Supervision.objects.filter(service_request=locked, resolved_at__isnull=True).update(
                resolved_at=now
            )
            locked.is_supervised = False
            locked.save(update_fields=["is_supervised"])
        reindex(service_request=locked)
        notify_requester(
            service_request=locked,
            template="desk.replied",
            fields={
                "number": locked.number,
                "reply": body,  # an excerpt where it fits; the link's page shows it whole
                "feedback_url": _feedback_link(locked, token),
            },
            key=f"replied:{reply.pk}",
        )
    return reply


def service_request_interim_reply(
    *, actor: User, service_request: ServiceRequest, body: str, expected_status: str | None = None
) -> Reply:
    """阶段性回复: counts as the first response (回音) without ending the work."""
    body = body.strip()
    if not body or len(body) > CONTENT_MAX:
        raise ValidationFailed("回复内容不能为空且不超过5000字", fields={"body": ["内容无效"]})
    with transaction.atomic():
        locked = _lock(service_request)
        _check_version(locked, expected_status)
        if not can_act_on(actor, locked):
            raise PermissionDenied()
        if locked.status not in (
            RequestStatus.IN_PROGRESS,
            RequestStatus.PAUSED,
            RequestStatus.AWAITING_ACCEPTANCE,
        ):
            raise InvalidTransition("当前状态不能阶段性回复")
        reply = Reply.objects.create(
            service_request=locked, author=actor, body=body, kind=ReplyKind.INTERIM
        )
        fields = []
        if locked.first_responded_at is None:
            locked.first_responded_at = timezone.now()
            fields.append("first_responded_at")
        if fields:
            locked.save(update_fields=fields)
        event_record(subject=locked, verb="interim_reply", actor=actor, data={"reply_id": reply.pk})
        reindex(service_request=locked)
        notify_requester(
            service_request=locked,
            template="desk.interim_reply",
            fields={
                "number": locked.number,
                "progress": body,  # an excerpt; the tracking page shows it whole
                "track_url": portal_link("/portal/track/"),
            },
            key=f"interim:{reply.pk}",
        )
    return reply


def clock_change_request(
    *,
    actor: User,
    service_request: ServiceRequest,
    kind: str,
    reason: str,
    extra_workdays: int = 0,
    expected_status: str | None = None,
) -> ClockChange:
    """Ask to pause the clock or extend the deadline; takes effect on approval."""
    reason = _reason(reason)
    if kind not in ClockChange.Kind.values:
        raise ValidationFailed("未知的申请类型", fields={"kind": ["应为 pause 或 extension"]})
    if kind == ClockChange.Kind.EXTENSION and not 1 <= extra_workdays <= 60:
        raise ValidationFailed("延长工作日应在1至60之间", fields={"extra_workdays": ["取值无效"]})
    with transaction.atomic():
        locked = _lock(service_request)
        _check_version(locked, expected_status)
        if not can_act_on(actor, locked):
            raise PermissionDenied()
        if locked.status != RequestStatus.IN_PROGRESS:
            raise InvalidTransition("只有办理中的诉求可以申请中止计时或延期")
        if ClockChange.objects.filter(
            service_request=locked, status=ApprovalStatus.PENDING
        ).exists():
            raise Conflict("已有待审批的申请")
        change = ClockChange.objects.create(
            service_request=locked,
            kind=kind,
            reason=reason,
            extra_workdays=extra_workdays if kind == ClockChange.Kind.EXTENSION else 0,
            requested_by=actor,
        )
        event_record(
            subject=locked,
            verb=f"{kind}_requested",
            actor=actor,
            reason=reason,
            data={"extra_workdays": change.extra_workdays},
        )
    return change


def _clock_change_decided(
    *, change: ClockChange, to_status: str, actor: User, note: str, at: datetime
) -> None:
    """The only place that changes a clock change's ``status`` (the map in
    ``desk.transitions``); the events are the request's, written by ``clock_change_decide``."""
    if not CLOCK_CHANGE_TRANSITIONS.can(change.status, to_status):
        raise ValidationFailed("该申请已审批", code="stale")
    change.status = to_status
    change.decided_by = actor
    change.decided_at = at
    change.decision_note = note.strip()[:500]
    change.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])


def clock_change_decide(
    *, actor: User, change: ClockChange, approve: bool, note: str = ""
) -> ClockChange:
    with transaction.atomic():
        change = ClockChange.objects.select_for_update().get(pk=change.pk)
        locked = _lock(change.service_request)
        if not can_approve_clock_change(actor, locked):
            raise PermissionDenied("只有庭长或院领导可以审批")
        now = timezone.now()
        _clock_change_decided(
            change=change,
            to_status=ApprovalStatus.APPROVED if approve else ApprovalStatus.REJECTED,
            actor=actor,
            note=note,
            at=now,
        )
        if not approve:
            event_record(
                subject=locked,
                verb=f"{change.kind}_rejected",
                actor=actor,
                reason=change.decision_note,
            )
            return change
        if change.kind == ClockChange.Kind.PAUSE:
            if locked.status != RequestStatus.IN_PROGRESS:
                raise InvalidTransition("诉求已不在办理中，不能中止计时")
            locked.paused_at = now
            transition(
                service_request=locked,
                to_status=RequestStatus.PAUSED,
                actor=actor,
                verb="paused",
                reason=change.reason,
                data={"approved_by": actor.get_full_name()},
                update_fields=["paused_at"],
            )
        else:
            previous = locked.completion_due
            from youjie.desk.deadlines import end_of_workday
            from youjie.workdays.calendar import SHANGHAI, add_workdays

            local = timezone.localtime(previous, SHANGHAI)
            locked.completion_due = end_of_workday(
                add_workdays(local.date(), change.extra_workdays)
            )
            locked.save(update_fields=["completion_due", "updated_at"])
            event_record(
                subject=locked,
                verb="extended",
                actor=actor,
                reason=change.reason,
                data={
                    "from": previous.isoformat(),
                    "to": locked.completion_due.isoformat(),
                    "extra_workdays": change.extra_workdays,
                },
            )
    return change


def service_request_resume(
    *,
    actor: User,
    service_request: ServiceRequest,
    reason: str = "",
    expected_status: str | None = None,
) -> ServiceRequest:
    """恢复计时: deadlines move later by the working days the clock was stopped."""
    with transaction.atomic():
        locked = _lock(service_request)
        _check_version(locked, expected_status)
        if not can_act_on(actor, locked):
            raise PermissionDenied()
        if locked.status != RequestStatus.PAUSED or locked.paused_at is None:
            raise InvalidTransition("该诉求未中止计时")
        now = timezone.now()
        old_first, old_completion = locked.first_response_due, locked.completion_due
        locked.completion_due = shift_by_paused_workdays(
            locked.completion_due, locked.paused_at, now
        )
        if locked.first_responded_at is None:
            locked.first_response_due = shift_by_paused_workdays(
                locked.first_response_due, locked.paused_at, now
            )
        paused_from = locked.paused_at
        locked.paused_at = None
        transition(
            service_request=locked,
            to_status=RequestStatus.IN_PROGRESS,
            actor=actor,
            verb="resumed",
            reason=reason.strip()[:1000],
            data={
                "paused_from": paused_from.isoformat(),
                "completion_due": [old_completion.isoformat(), locked.completion_due.isoformat()],
                "first_response_due": [
                    old_first.isoformat(),
                    locked.first_response_due.isoformat(),
                ],
            },
            update_fields=["completion_due", "first_response_due", "paused_at"],
        )
    return locked


def service_request_supervise(
    *,
    actor: User,
    service_request: ServiceRequest,
    reason: str,
    new_deadline: datetime,
    expected_status: str | None = None,
) -> Supervision:
    """督办: a new deadline and an event; the request stays in its state."""
    reason = _reason(reason)
    if timezone.is_naive(new_deadline):
        raise ValidationFailed("督办期限必须带时区", fields={"new_deadline": ["时间格式无效"]})
    if new_deadline <= timezone.now():
        raise ValidationFailed("督办期限必须晚于当前时间", fields={"new_deadline": ["期限已过"]})
    if new_deadline > timezone.now() + timedelta(days=365):
        raise ValidationFailed("督办期限不能超过一年", fields={"new_deadline": ["期限过远"]})
    with transaction.atomic():
        locked = _lock(service_request)
        _check_version(locked, expected_status)
        if not can_supervise(actor, locked):
            raise PermissionDenied("只有庭长或院领导可以督办")
        if locked.status not in (
            RequestStatus.REGISTERED,
            RequestStatus.AWAITING_ACCEPTANCE,
            RequestStatus.IN_PROGRESS,
            RequestStatus.PAUSED,
        ):
            raise InvalidTransition("已答复或已结束的诉求不能督办")
        supervision = Supervision.objects.create(
            service_request=locked,
            supervisor=actor,
            reason=reason,
            new_deadline=new_deadline,
            previous_deadline=locked.completion_due,
        )
        previous = locked.completion_due
        locked.completion_due = new_deadline
        locked.is_supervised = True
        locked.save(update_fields=["completion_due", "is_supervised", "updated_at"])
        event_record(
            subject=locked,
            verb="supervised",
            actor=actor,
            reason=reason,
            data={"from": previous.isoformat(), "to": new_deadline.isoformat()},
        )
        # The judge the request waits on and the division head (unless they supervised it
        # themselves); the receptionist who registered it is no longer the one to act.
        body = (
            f"{reason.rstrip('。.；;，, ')}。"
            f"督办期限：{timezone.localtime(new_deadline):%Y-%m-%d %H:%M}"
        )
        head = division_head_for(service_request=locked)
        for person in {responsible_staff(locked), head} - {None, actor}:
            notify_staff(
                service_request=locked,
                user=person,
                subject=f"督办：{locked.number}",
                body=body,
                key=f"supervised:{supervision.pk}",
            )
    return supervision


def service_request_merge(
    *,
    actor: User,
    service_request: ServiceRequest,
    into: ServiceRequest,
    reason: str,
    expected_status: str | None = None,
) -> ServiceRequest:
    """并案: a duplicate is ended and points to the request that carries the answer."""
    reason = _reason(reason)
    if into.pk == service_request.pk:
        raise ValidationFailed("不能并入自身", fields={"into": ["不能并入自身"]})
    with transaction.atomic():
        locked = _lock(service_request)
        _check_version(locked, expected_status)
        if not can_act_on(actor, locked):
            raise PermissionDenied()
        target = ServiceRequest.objects.select_for_update().get(pk=into.pk)
        if target.status in (RequestStatus.MERGED, RequestStatus.WITHDRAWN):
            raise ValidationFailed("目标诉求已结束，不能并入", fields={"into": ["目标无效"]})
        locked.merged_into = target
        transition(
            service_request=locked,
            to_status=RequestStatus.MERGED,
            actor=actor,
            verb="merged",
            reason=reason,
            data={"into": target.number},
            update_fields=["merged_into"],
        )
        event_record(
            subject=target,
            verb="merged_from",
            actor=actor,
            reason=reason,
            data={"from": locked.number},
        )
    return locked


def service_request_withdraw(
    *,
    actor: User | str,
    service_request: ServiceRequest,
    reason: str,
    expected_status: str | None = None,
) -> ServiceRequest:
    """撤回: the requester withdraws, recorded by staff (``actor`` the user, who must be allowed
    to act on the request) or through the portal (``actor`` a label: "诉求人")."""
    reason = _reason(reason)
    with transaction.atomic():
        locked = _lock(service_request)
        _check_version(locked, expected_status)
        if isinstance(actor, User) and not can_act_on(actor, locked):
            raise PermissionDenied()
        transition(
            service_request=locked,
            to_status=RequestStatus.WITHDRAWN,
            actor=actor,
            verb="withdrawn",
            reason=reason,
        )
    return locked
