"""Periodic desk jobs: expired transfers, closing unrated replies, reminders, overdue flags.

Each function is safe to run repeatedly: it acts only on rows still in the state it looks for
and marks what it did with an event (so a reminder is not sent twice for one deadline).
"""

from __future__ import annotations

from datetime import datetime, timedelta

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


def _returned_to(status: str) -> str:
    return "首接人" if status == RequestStatus.REGISTERED else "原承办人"


def desk_expire_transfers(*, now: datetime | None = None) -> int:
    """An unaccepted transfer returns to the first-contact owner after the configured time."""
    now = now or timezone.now()
    hours = desk_policy().transfer_acceptance_hours
    count = 0
    candidates = ServiceRequest.objects.filter(
        status=RequestStatus.AWAITING_ACCEPTANCE, transfer_sent_at__isnull=False
    ).values_list("pk", "transfer_sent_at")[:BATCH]
    for pk, sent_at in list(candidates):
        if sent_at is None or add_work_hours(sent_at, hours) > now:
            continue
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
    candidates = ServiceRequest.objects.filter(
        status=RequestStatus.REPLIED, replied_at__isnull=False
    ).values_list("pk", "replied_at")[:BATCH]
    for pk, replied_at in list(candidates):
        local_day = timezone.localtime(replied_at, SHANGHAI).date()
        if end_of_workday(add_workdays(local_day, window)) > now:
            continue
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


def _already(service_request: ServiceRequest, verb: str, key: str) -> bool:
    return Event.objects.filter(
        subject_type="desk.servicerequest",
        subject_id=str(service_request.pk),
        verb=verb,
        data__key=key,
    ).exists()


def desk_remind_and_flag_overdue(*, now: datetime | None = None) -> dict[str, int]:
    """Remind before a deadline; when it passes, record it and tell the division head."""
    now = now or timezone.now()
    lead = desk_policy().reminder_lead_hours
    horizon = now + timedelta(days=3)
    reminded = flagged = 0
    rows = ServiceRequest.objects.filter(
        status__in=RUNNING_STATUSES, completion_due__lte=horizon
    ).select_related("assignee", "transfer_user", "first_contact", "division", "court")[:BATCH]
    first_rows = ServiceRequest.objects.filter(
        status__in=RUNNING_STATUSES,
        first_responded_at__isnull=True,
        first_response_due__lte=horizon,
    ).select_related("assignee", "transfer_user", "first_contact", "division", "court")[:BATCH]
    checks: list[tuple[ServiceRequest, str, datetime]] = [
        *((row, "completion", row.completion_due) for row in rows),
        *((row, "first_response", row.first_response_due) for row in first_rows),
    ]
    for service_request, which, due in checks:
        owner = responsible_staff(service_request)
        key = f"{which}:{due.isoformat()}"
        label = "办结" if which == "completion" else "首次回应"
        if due <= now:
            if _already(service_request, "became_overdue", key):
                continue
            with transaction.atomic():
                event_record(
                    subject=service_request,
                    verb="became_overdue",
                    actor="系统",
                    reason=f"已超过{label}期限",
                    data={"key": key, "deadline": due.isoformat()},
                )
                recipients = {owner, division_head_for(service_request=service_request)}
                for person in recipients - {None}:
                    notify_staff(
                        service_request=service_request,
                        user=person,
                        subject=f"超期：{service_request.number}",
                        body=f"{service_request.title} 已超过{label}期限（{_when(due)}）",
                        key=f"overdue:{key}",
                    )
            flagged += 1
        elif add_work_hours(now, lead) >= due:
            if _already(service_request, "reminder_sent", key):
                continue
            with transaction.atomic():
                event_record(
                    subject=service_request,
                    verb="reminder_sent",
                    actor="系统",
                    reason=f"临近{label}期限",
                    data={"key": key, "deadline": due.isoformat()},
                )
                notify_staff(
                    service_request=service_request,
                    user=owner,
                    subject=f"临近期限：{service_request.number}",
                    body=f"{service_request.title} 将于 {_when(due)} 到达{label}期限",
                    key=f"reminder:{key}",
                )
            reminded += 1
    return {"reminded": reminded, "overdue": flagged}
