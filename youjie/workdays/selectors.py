"""Reads for the calendar pages and the API."""

from __future__ import annotations

import calendar as stdlib_calendar
from dataclasses import dataclass
from datetime import date, datetime

from youjie.workdays.calendar import DayInfo, day_info, warning_for_years, year_data
from youjie.workdays.choices import YearStatus
from youjie.workdays.models import YEAR_MAX, YEAR_MIN, CalendarYear

WEEKDAY_LABELS = ("一", "二", "三", "四", "五", "六", "日")
FIRST_LISTED_YEAR = 2004  # the first year the bundled chinesecalendar package knows


@dataclass(frozen=True)
class YearSummary:
    year: int
    status: YearStatus
    source: str
    holiday_count: int
    workday_count: int
    entered_by: str
    updated_at: datetime | None

    @property
    def status_label(self) -> str:
        return str(self.status.label)


@dataclass(frozen=True)
class YearSchedule:
    year: int
    status: YearStatus
    source: str
    holidays: list[tuple[date, str]]
    workdays: list[tuple[date, str]]
    warning: str | None

    @property
    def status_label(self) -> str:
        return str(self.status.label)


@dataclass(frozen=True)
class MonthGrid:
    year: int
    month: int
    weeks: list[list[DayInfo | None]]


def calendar_year_records(years: range) -> dict[int, CalendarYear]:
    queryset = CalendarYear.objects.filter(year__gte=years.start, year__lt=years.stop)
    return {record.year: record for record in queryset.select_related("entered_by")}


def year_summaries(*, first_year: int, last_year: int) -> list[YearSummary]:
    """One row per year, newest first; administrator years outside the range are included."""
    records = calendar_year_records(range(YEAR_MIN, YEAR_MAX + 1))
    years = set(range(first_year, last_year + 1)) | set(records)
    rows: list[YearSummary] = []
    for year in sorted(years, reverse=True):
        data = year_data(year)
        record = records.get(year)
        rows.append(
            YearSummary(
                year=year,
                status=data.status,
                source=data.source,
                holiday_count=len(data.holidays),
                workday_count=len(data.workdays),
                entered_by=str(record.entered_by) if record and record.entered_by else "",
                updated_at=record.updated_at if record else None,
            )
        )
    return rows


def year_schedule(year: int) -> YearSchedule:
    data = year_data(year)
    return YearSchedule(
        year=year,
        status=data.status,
        source=data.source,
        holidays=sorted(data.holidays.items()),
        workdays=sorted(data.workdays.items()),
        warning=warning_for_years([year]),
    )


def year_month_grids(year: int) -> list[MonthGrid]:
    """Twelve Monday-first month grids; cells outside the month are None."""
    grid_calendar = stdlib_calendar.Calendar(firstweekday=0)
    months: list[MonthGrid] = []
    for month in range(1, 13):
        weeks = [
            [day_info(day) if day.month == month else None for day in week]
            for week in grid_calendar.monthdatescalendar(year, month)
        ]
        months.append(MonthGrid(year=year, month=month, weeks=weeks))
    return months
