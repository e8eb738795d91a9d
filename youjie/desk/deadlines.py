"""Deadlines of a request, counted on the working-day calendar (youjie.workdays).

A limit in working days ends at the close of office hours of the N-th working day after the
day of receipt (the day of receipt is not counted: 民法典 Art. 201); a limit in work hours
counts office hours only. Overdue is never stored: it is computed from these deadlines.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from youjie.desk.choices import DeadlineUnit, Priority
from youjie.desk.models import MatterType
from youjie.workdays.calendar import (
    SHANGHAI,
    add_work_hours,
    add_workdays,
    range_warning,
    work_sessions,
    workdays_between,
)


@dataclass(frozen=True)
class Deadlines:
    first_response_due: datetime
    completion_due: datetime
    warning: str


def end_of_workday(day: date) -> datetime:
    closing = work_sessions()[-1][1]
    return datetime.combine(day, closing, tzinfo=SHANGHAI)


def due_after(start: datetime, limit: int, unit: str) -> datetime:
    if unit == DeadlineUnit.WORK_HOURS:
        return add_work_hours(start, limit)
    local_day = timezone.localtime(start, SHANGHAI).date()
    return end_of_workday(add_workdays(local_day, limit))


def _priority_limit(explicit: int | None, normal: int) -> int:
    if explicit is not None:
        return explicit
    return max(1, normal // 2)


def compute_deadlines(
    *, matter_type: MatterType, priority: str, received_at: datetime
) -> Deadlines:
    first_limit = matter_type.first_response_limit
    completion_limit = matter_type.completion_limit
    if priority == Priority.PRIORITY:
        first_limit = _priority_limit(matter_type.priority_first_response_limit, first_limit)
        completion_limit = _priority_limit(matter_type.priority_completion_limit, completion_limit)
    first_due = due_after(received_at, first_limit, matter_type.first_response_unit)
    completion_due = due_after(received_at, completion_limit, matter_type.completion_unit)
    completion_due = max(completion_due, first_due)
    start_day = timezone.localtime(received_at, SHANGHAI).date()
    warning = range_warning(start_day, timezone.localtime(completion_due, SHANGHAI).date())
    return Deadlines(first_due, completion_due, warning or "")


def reopened_completion_due(
    *, matter_type: MatterType, priority: str, reopened_at: datetime
) -> datetime:
    """A reopened request's completion deadline: its matter type's completion limit counted
    afresh from the reopening, as for a request received then. Kept, the old deadline had
    passed long before (the request was answered, then rated or visited), so the work handed
    back was overdue the moment it came back, and the sweep told the judge and the division
    head so. The first response was given with the answer and is not due again."""
    return compute_deadlines(
        matter_type=matter_type, priority=priority, received_at=reopened_at
    ).completion_due


def shift_by_paused_workdays(
    due: datetime, paused_from: datetime, resumed_at: datetime
) -> datetime:
    """Move a deadline later by the working days the clock was stopped (DESIGN: paused)."""
    start = timezone.localtime(paused_from, SHANGHAI).date()
    end = timezone.localtime(resumed_at, SHANGHAI).date()
    lost = workdays_between(start, end)
    if lost <= 0:
        return due
    local_due = timezone.localtime(due, SHANGHAI)
    moved_day = add_workdays(local_due.date(), lost)
    return local_due + timedelta(days=(moved_day - local_due.date()).days)
