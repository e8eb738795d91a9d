"""Chinese working-day calendar and statutory deadlines.

``from youjie.workdays import is_workday, add_workdays, statutory_deadline`` works; the names are
resolved lazily from ``youjie.workdays.calendar`` so that importing this package (as Django does
while loading apps) imports no models.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from youjie.workdays.calendar import (
        add_work_hours,
        add_workdays,
        calendar_warning,
        deadline_info,
        is_workday,
        statutory_deadline,
        statutory_deadline_months,
        workdays_between,
        year_status,
    )

__all__ = [
    "add_work_hours",
    "add_workdays",
    "calendar_warning",
    "deadline_info",
    "is_workday",
    "statutory_deadline",
    "statutory_deadline_months",
    "workdays_between",
    "year_status",
]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from youjie.workdays import calendar

        return getattr(calendar, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
