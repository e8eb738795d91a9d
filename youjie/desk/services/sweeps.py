"""Periodic desk jobs: expired transfers, closing unrated replies, reminders, overdue flags.

Each function is safe to run repeatedly: it acts only on rows still in the state it looks for
and marks what it did with an event (so a reminder is not sent twice for one deadline).

Each reads every row it may have to act on, oldest deadline first, in batches of ``BATCH``:
taking only the first ``BATCH`` candidates left the rest waiting for ever once more than that
many were pending (a court with 600 replies awaiting feedback never closed the oldest ones).
The database narrows the candidates by a calendar bound that no working-time deadline can
beat (``n`` working hours or days take at least ``n`` calendar hours, ``n - 1`` days); the
working-time rule itself is applied to each row.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from typing import TypeVar

from django.db import transaction
from django.utils import timezone

from youjie.core.models import Event
from youjie.core.timeline import event_record
from youjie.desk.choices import RUNNING_STATUSES, RequestStatus
from youjie.desk.deadlines import end_of_workday
from youjie.desk.models import ServiceRequest
from youjie.desk.policy import desk_policy
from youjie.desk.selectors import division_head_for
from youjie.desk.services.common import notify_staff, responsible_staff, transition
from youjie.desk.services.feedback import close_request
from youjie.workdays.calendar import SHANGHAI, add_work_hours, add_workdays

BATCH = 500
# The events that mark a deadline as handled (a request's timeline; ``_marked``).
OVERDUE, REMINDER = "became_overdue", "reminder_sent"
T = TypeVar("T")


def _batches(items: Sequence[T]) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), BATCH):
        yield items[start : start + BATCH]


def _returned_to(status: str) -> str:
    return "首接人" if status == RequestStatus.REGISTERED else "原承办人"


def desk_expire_transfers(*, now: datetime | None = None) -> int:
    """An unaccepted transfer returns to the first-contact owner after the configured time."""
    now = now or timezone.now()
    hours = desk_policy().transfer_acceptance_hours
    count = 0
    candidates = list(
        ServiceRequest.objects.filter(
            status=RequestStatus.AWAITING_ACCEPTANCE,
            transfer_sent_at__lte=now - timedelta(hours=hours),
        )
        .order_by("transfer_sent_at", "pk")
        .values_list("pk", "transfer_sent_at")
    )
    for pk, sent_at in candidates:
        if sent_at is None:  # not after the filter above; the column may hold it
            continue
        if add_work_hours(sent_at, hours) > now:
            break  # sent later: their time is not up either
        with transaction.atomic():
            locked = ServiceRequest.objects.select_for_update().get(pk=pk)
            if locked.status != RequestStatus.AWAITING_ACCEPTANCE:
                continue
            target = locked.transfer_user or locked.transfer_division
            locked.transfer_division = None
            locked.transfer_user = None
            locked.transfer_sent_at = None
            back = (
                RequestStatus.REGISTERED
                if locked.assignee_id is None
                else RequestStatus.IN_PROGRESS
            )
            transition(
                service_request=locked,
                to_status=back,
                actor="系统",
                verb="transfer_expired",
                reason=f"{hours}个工作小时内未签收，退回{_returned_to(back)}",
                data={"target": str(target or "")},
                update_fields=["transfer_division", "transfer_user", "transfer_sent_at"],
            )
            notify_staff(
                service_request=locked,
                user=locked.first_contact if back == RequestStatus.REGISTERED else locked.assignee,
                subject=f"诉求 {locked.number} 未被签收，已退回",
                body=locked.title,
                key=f"transfer_expired:{now:%Y%m%d%H%M}",
            )
            count += 1
    return count


def desk_close_unrated(*, now: datetime | None = None) -> int:
    """A replied request with no feedback closes when the feedback window ends."""
    now = now or timezone.now()
    window = desk_policy().feedback_window_workdays
    count = 0
    candidates = list(
        ServiceRequest.objects.filter(
            status=RequestStatus.REPLIED,
            replied_at__lte=now - timedelta(days=max(window - 1, 0)),
        )
        .order_by("replied_at", "pk")
        .values_list("pk", "replied_at")
    )
    for pk, replied_at in candidates:
        local_day = timezone.localtime(replied_at, SHANGHAI).date()
        if end_of_workday(add_workdays(local_day, window)) > now:
            break  # replied later: their window is still open too
        with transaction.atomic():
            locked = ServiceRequest.objects.select_for_update().get(pk=pk)
            if locked.status != RequestStatus.REPLIED:
                continue
            close_request(
                service_request=locked,
                actor="系统",
                verb="closed_feedback_window",
                reason=f"答复后{window}个工作日内未评价，自动办结",
            )
            count += 1
    return count


def _when(moment: datetime) -> str:
    return f"{timezone.localtime(moment, SHANGHAI):%Y-%m-%d %H:%M}"


def _marked(ids: Sequence[int]) -> set[tuple[str, str, str]]:
    """(request id, verb, key) of the reminders and overdue flags already recorded for ``ids``:
    one read per batch instead of one per request."""
    rows = Event.objects.filter(
        subject_type="desk.servicerequest",
        subject_id__in=[str(pk) for pk in ids],
        verb__in=(OVERDUE, REMINDER),
    ).values_list("subject_id", "verb", "data__key")
    return {(subject_id, verb, str(key)) for subject_id, verb, key in rows}


def desk_remind_and_flag_overdue(*, now: datetime | None = None) -> dict[str, int]:
    """Remind before a deadline; when it passes, record it and tell the division head. Every
    running request whose deadline is near or past is looked at, in batches; those already
    reminded or flagged for that deadline are passed over (``_marked``)."""
    now = now or timezone.now()
    remind_from = add_work_hours(now, desk_policy().reminder_lead_hours)
    horizon = now + timedelta(days=3)
    counts = {"reminded": 0, "overdue": 0}
    deadlines: tuple[tuple[str, str, dict[str, bool]], ...] = (
        ("completion", "completion_due", {}),
        ("first_response", "first_response_due", {"first_responded_at__isnull": True}),
    )
    for which, field, extra in deadlines:
        dues = list(
            ServiceRequest.objects.filter(
                status__in=RUNNING_STATUSES, **{f"{field}__lte": horizon}, **extra
            )
            .order_by(field, "pk")
            .values_list("pk", field)
        )
        for batch in _batches(dues):
            marked = _marked([pk for pk, _due in batch])
            # Only the requests with something to do are read whole: most of a batch was
            # handled by an earlier sweep (the benchmark's million requests, a sweep with
            # nothing new to do: 1.22 s → 0.31 s).
            pending = [
                pk for pk, due in batch if _mark_needed(pk, which, due, now, remind_from, marked)
            ]
            if not pending:
                continue
            rows = (
                ServiceRequest.objects.filter(pk__in=pending)
                .select_related("assignee", "transfer_user", "first_contact", "division", "court")
                .order_by(field, "pk")
            )
            for service_request in rows:
                # The row's own deadline: it may have moved since the ids were read.
                due = getattr(service_request, field)
                verb = _mark_needed(service_request.pk, which, due, now, remind_from, marked)
                if verb is not None:
                    _remind_or_flag(service_request, which, due, verb)
                    counts["overdue" if verb == OVERDUE else "reminded"] += 1
    return counts


def _mark_needed(
    pk: int,
    which: str,
    due: datetime,
    now: datetime,
    remind_from: datetime,
    marked: set[tuple[str, str, str]],
) -> str | None:
    """The event deadline ``which`` (``due``) of request ``pk`` still needs: ``OVERDUE`` once it
    has passed, ``REMINDER`` once it falls before ``remind_from``; None when it needs neither or
    an earlier sweep recorded it (``marked``)."""
    if due <= now:
        verb = OVERDUE
    elif due <= remind_from:
        verb = REMINDER
    else:
        return None
    return None if (str(pk), verb, f"{which}:{due.isoformat()}") in marked else verb


def _remind_or_flag(service_request: ServiceRequest, which: str, due: datetime, verb: str) -> None:
    """Record ``verb`` (``_mark_needed``) for the deadline and tell whom it concerns: the
    responsible staff member, and for an overdue deadline the division head too."""
    key = f"{which}:{due.isoformat()}"
    label = "办结" if which == "completion" else "首次回应"
    owner = responsible_staff(service_request)
    if verb == OVERDUE:
        reason, subject = f"已超过{label}期限", f"超期：{service_request.number}"
        body = f"{service_request.title} 已超过{label}期限（{_when(due)}）"
        recipients = {owner, division_head_for(service_request=service_request)}
        notice_key = f"overdue:{key}"
    else:
        reason, subject = f"临近{label}期限", f"临近期限：{service_request.number}"
        body = f"{service_request.title} 将于 {_when(due)} 到达{label}期限"
        recipients = {owner}
        notice_key = f"reminder:{key}"
    with transaction.atomic():
        event_record(
            subject=service_request,
            verb=verb,
            actor="系统",
            reason=reason,
            data={"key": key, "deadline": due.isoformat()},
        )
        for person in recipients - {None}:
            notify_staff(
                service_request=service_request,
                user=person,
                subject=subject,
                body=body,
                key=notice_key,
            )
