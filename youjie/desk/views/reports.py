"""The deputies' report (代表委员诉求): counts by status and the on-time rate in a period.

It aggregates only the priority requests the user may see, created in the period, using the
``(priority, status, -id)`` index; the desk dashboard proper belongs to ``analytics``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, F, Q, QuerySet

from youjie.desk.choices import RequestStatus
from youjie.desk.forms import day_start
from youjie.desk.models import ServiceRequest


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int


@dataclass(frozen=True)
class PriorityReport:
    date_from: date
    date_to: date
    total: int
    by_status: list[StatusCount]
    replied: int
    replied_on_time: int

    @property
    def on_time_rate(self) -> float | None:
        """Share of answered requests answered by their completion deadline, in per cent."""
        if not self.replied:
            return None
        return round(100 * self.replied_on_time / self.replied, 1)


def priority_report(
    requests: QuerySet[ServiceRequest], *, date_from: date, date_to: date
) -> PriorityReport:
    in_period = requests.filter(
        created_at__gte=day_start(date_from), created_at__lt=day_start(date_to + timedelta(days=1))
    ).order_by()
    counts = dict(
        in_period.values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    totals = in_period.aggregate(
        total=Count("id"),
        replied=Count("id", filter=Q(replied_at__isnull=False)),
        on_time=Count(
            "id", filter=Q(replied_at__isnull=False, replied_at__lte=F("completion_due"))
        ),
    )
    by_status = [
        StatusCount(status=value, label=label, count=counts.get(value, 0))
        for value, label in RequestStatus.choices
        if counts.get(value)
    ]
    return PriorityReport(
        date_from=date_from,
        date_to=date_to,
        total=totals["total"] or 0,
        by_status=by_status,
        replied=totals["replied"] or 0,
        replied_on_time=totals["on_time"] or 0,
    )
