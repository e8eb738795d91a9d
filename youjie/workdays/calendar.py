"""The Chinese working-day calendar and the statutory counting of time limits.

Which dates are working days, for a given year, comes from the first source that knows it:

1. an administrator-entered schedule in the database (``CalendarYear``/``CalendarDay``), typed in
   from the State Council General Office's yearly notice (国务院办公厅关于部分节假日安排的通知);
   it replaces everything else for its year;
2. the bundled ``chinesecalendar`` package (1.11.0 knows 2004–2026);
3. nothing: Monday–Friday work, Saturday/Sunday off. Such a year is "weekends only" and every
   page or API response that shows a deadline touching it must show ``calendar_warning()``.

Counting rules (DOMAIN.md §0):

- 民法典 Art. 201 / 民事诉讼法 Art. 85: the start day is not counted; counting begins the next day.
- 民法典 Art. 202: a period in months ends on the same-numbered day of the final month, or on that
  month's last day when it has no such day.
- 民法典 Art. 203 / 民事诉讼法 Art. 85: when the last day is a statutory day off (法定休假日, which
  in court practice includes weekends) the period ends on the first working day after it.
- Periods in 工作日 count working days only, again without the start day.

Per-year data is cached in the process. Administrator years are reloaded when the service that
saves them calls ``clear_calendar_cache()``, and at the latest after
``settings.YOUJIE_WORKDAYS_CACHE_SECONDS`` (default 300) so that other worker processes follow.
The database is read lazily, so this module imports no models at import time.
"""

from __future__ import annotations

import threading
import time as monotonic_clock
from calendar import monthrange
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import chinese_calendar
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from youjie.workdays.choices import DateClass, DayKind, DeadlineUnit, YearStatus

SHANGHAI = ZoneInfo("Asia/Shanghai")
ONE_DAY = timedelta(days=1)
# Office hours of a court or a government department (民法典 Art. 203 ¶2 "业务时间").
DEFAULT_WORK_HOURS: tuple[tuple[str, str], ...] = (("08:30", "12:00"), ("14:00", "17:30"))
DEFAULT_CACHE_SECONDS = 300
MAX_DAYS = 3650


@dataclass(frozen=True)
class YearData:
    """One year's exceptions to the Monday–Friday week and where they come from."""

    year: int
    status: YearStatus
    holidays: Mapping[date, str] = field(default_factory=dict)
    workdays: Mapping[date, str] = field(default_factory=dict)
    source: str = ""

    # Listed holidays on a weekday, and listed make-up days on a Saturday or Sunday: the only
    # dates where this year differs from the Monday–Friday week (a listed Saturday off or a
    # listed Tuesday at work changes nothing). Derived in __post_init__.
    extra_days_off: frozenset[date] = field(init=False)
    extra_workdays: frozenset[date] = field(init=False)

    def __post_init__(self) -> None:
        off = frozenset(day for day in self.holidays if day.weekday() < 5)
        work = frozenset(day for day in self.workdays if day.weekday() >= 5)
        object.__setattr__(self, "extra_days_off", off)
        object.__setattr__(self, "extra_workdays", work)

    def is_workday(self, day: date) -> bool:
        if day in self.workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays


@dataclass(frozen=True)
class DayInfo:
    date: date
    is_workday: bool
    date_class: DateClass
    name: str
    source: YearStatus


@dataclass(frozen=True)
class DeadlineInfo:
    start: date
    days: int
    unit: DeadlineUnit
    deadline: date
    warning: str | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "days": self.days,
            "unit": self.unit.value,
            "deadline": self.deadline,
            "warning": self.warning,
        }


# --- data sources -------------------------------------------------------------------------


@lru_cache(maxsize=256)
def _package_year(year: int) -> YearData | None:
    """The bundled package's data for ``year``, or None when it has none (never raises)."""
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return None
    holidays = {
        day: _package_name(value)
        for day, value in chinese_calendar.holidays.items()
        if day.year == year
    }
    workdays = {
        day: _package_name(value)
        for day, value in chinese_calendar.workdays.items()
        if day.year == year
    }
    return YearData(year=year, status=YearStatus.PACKAGE, holidays=holidays, workdays=workdays)


def _package_name(value: object) -> str:
    try:
        return str(chinese_calendar.Holiday(value).chinese)
    except ValueError:
        return str(value)


class _AdminYears:
    """In-process cache of every administrator-entered year, loaded with two queries."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._data: dict[int, YearData] | None = None
        self._loaded_at = 0.0
        self.version = 0

    def get(self) -> dict[int, YearData]:
        data = self._data
        ttl = float(getattr(settings, "YOUJIE_WORKDAYS_CACHE_SECONDS", DEFAULT_CACHE_SECONDS))
        if data is not None and monotonic_clock.monotonic() - self._loaded_at < ttl:
            return data
        with self._lock:
            version = self.version
            loaded = _load_admin_years()
            if version == self.version:
                self._data = loaded
                self._loaded_at = monotonic_clock.monotonic()
            return loaded

    def clear(self) -> None:
        with self._lock:
            self.version += 1
            self._data = None


def _load_admin_years() -> dict[int, YearData]:
    # Imported here so that this module can be imported before the app registry is ready.
    from youjie.workdays.models import CalendarDay, CalendarYear

    years = dict(CalendarYear.objects.values_list("year", "source"))
    holidays: dict[int, dict[date, str]] = {year: {} for year in years}
    workdays: dict[int, dict[date, str]] = {year: {} for year in years}
    rows = CalendarDay.objects.values_list("calendar_year_id", "date", "kind", "name")
    for year, day, kind, name in rows:
        target = holidays if kind == DayKind.HOLIDAY else workdays
        target.setdefault(year, {})[day] = name
    return {
        year: YearData(
            year=year,
            status=YearStatus.ADMIN,
            holidays=holidays[year],
            workdays=workdays[year],
            source=source,
        )
        for year, source in years.items()
    }


_admin_years = _AdminYears()


def clear_calendar_cache() -> None:
    """Forget cached administrator years; called by the services after every change."""
    _admin_years.clear()


def year_data(year: int) -> YearData:
    """The effective schedule of ``year`` from the first source that knows it."""
    admin = _admin_years.get().get(year)
    if admin is not None:
        return admin
    package = _package_year(year)
    if package is not None:
        return package
    return YearData(year=year, status=YearStatus.WEEKENDS_ONLY)


def package_year(year: int) -> YearData | None:
    """The bundled package's schedule for ``year`` (ignoring overrides), or None."""
    return _package_year(year)


# --- single dates ------------------------------------------------------------------------


def _as_date(day: date) -> date:
    if isinstance(day, datetime):
        # Which calendar day a datetime falls on depends on its zone; make the caller decide.
        raise TypeError("pass a date; convert a datetime with timezone.localdate() first")
    return day


def is_workday(day: date) -> bool:
    """Whether ``day`` is a working day (调休 make-up Saturdays and Sundays included)."""
    day = _as_date(day)
    return year_data(day.year).is_workday(day)


def day_info(day: date) -> DayInfo:
    day = _as_date(day)
    data = year_data(day.year)
    weekend = day.weekday() >= 5
    if day in data.workdays:
        date_class = DateClass.MAKEUP_WORKDAY if weekend else DateClass.WORKDAY
        name = data.workdays[day]
    elif day in data.holidays:
        date_class = DateClass.HOLIDAY
        name = data.holidays[day]
    else:
        date_class = DateClass.WEEKEND if weekend else DateClass.WORKDAY
        name = ""
    return DayInfo(
        date=day,
        is_workday=data.is_workday(day),
        date_class=date_class,
        name=name,
        source=data.status,
    )


def year_status(year: int) -> YearStatus:
    return year_data(year).status


def weekends_only_years(years: Iterable[int]) -> list[int]:
    return sorted({year for year in years if year_status(year) == YearStatus.WEEKENDS_ONLY})


def warning_for_years(years: Iterable[int]) -> str | None:
    missing = weekends_only_years(years)
    if not missing:
        return None
    listed = "、".join(f"{year}年" for year in missing)
    return f"注意：{listed}节假日安排尚未录入，按周末计算"


def calendar_warning(*dates: date) -> str | None:
    """The Chinese warning to show if any of the dates' years is counted by weekends only."""
    return warning_for_years(day.year for day in dates)


def range_warning(start: date, end: date) -> str | None:
    """The warning for every year a period from ``start`` to ``end`` touches."""
    low, high = sorted((start.year, end.year))
    return warning_for_years(range(low, high + 1))


def first_workday_on_or_after(day: date) -> date:
    day = _as_date(day)
    while not is_workday(day):
        day += ONE_DAY
    return day


# --- periods -----------------------------------------------------------------------------


def _check_count(value: int, what: str) -> None:
    if value < 0:
        raise ValueError(f"{what} must be >= 0, got {value}")


def add_workdays(start: date, days: int) -> date:
    """The ``days``-th working day after ``start``.

    The first working day after ``start`` is day 1; ``start`` itself never counts, even when it
    is a working day (民法典 Art. 201, 民事诉讼法 Art. 85). ``days == 0`` returns ``start``.
    """
    start = _as_date(start)
    _check_count(days, "days")
    current = start
    remaining = days
    while remaining > 0:
        current += ONE_DAY
        if is_workday(current):
            remaining -= 1
    return current


def statutory_deadline(start: date, days: int) -> date:
    """The last day of a period of ``days`` calendar days starting on ``start``.

    The start day is not counted (民法典 Art. 201, 民事诉讼法 Art. 85), so the last day is
    ``start + days``. If that is not a working day the period ends on the first working day
    after it (民法典 Art. 203, 民事诉讼法 Art. 85).
    """
    start = _as_date(start)
    _check_count(days, "days")
    return first_workday_on_or_after(start + timedelta(days=days))


def add_months(start: date, months: int) -> date:
    """Same-numbered day ``months`` later, or that month's last day (民法典 Art. 202)."""
    _check_count(months, "months")
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, monthrange(year, month)[1]))


def statutory_deadline_months(start: date, months: int) -> date:
    """The last day of a period of ``months`` months (民法典 Art. 202), rolled per Art. 203."""
    start = _as_date(start)
    return first_workday_on_or_after(add_months(start, months))


def _weekday_count(first: date, last: date) -> int:
    """Mondays–Fridays in [first, last]."""
    span = (last - first).days + 1
    weeks, rest = divmod(span, 7)
    start_weekday = first.weekday()
    return weeks * 5 + sum(1 for offset in range(rest) if (start_weekday + offset) % 7 < 5)


def workdays_between(start: date, end: date) -> int:
    """Working days in (start, end]; 0 when ``end <= start``. Used to measure paused clocks."""
    start, end = _as_date(start), _as_date(end)
    total = 0
    first = start + ONE_DAY
    while first <= end:
        last = min(end, date(first.year, 12, 31))
        data = year_data(first.year)
        total += _weekday_count(first, last)
        total -= sum(1 for day in data.extra_days_off if first <= day <= last)
        total += sum(1 for day in data.extra_workdays if first <= day <= last)
        first = last + ONE_DAY
    return total


def deadline_info(start: date, days: int, *, unit: DeadlineUnit | str) -> DeadlineInfo:
    """A deadline and the warning to show with it, for pages and the API."""
    unit = DeadlineUnit(unit)
    if unit == DeadlineUnit.WORKDAYS:
        deadline = add_workdays(start, days)
    else:
        deadline = statutory_deadline(start, days)
    return DeadlineInfo(
        start=start,
        days=days,
        unit=unit,
        deadline=deadline,
        warning=range_warning(start, deadline),
    )


# --- working hours -----------------------------------------------------------------------


def _parse_clock(value: object) -> time:
    if isinstance(value, time):
        return value
    if isinstance(value, str):
        try:
            return time.fromisoformat(value)
        except ValueError:
            pass
    raise ImproperlyConfigured(f"YOUJIE_WORK_HOURS: {value!r} is not a time like '08:30'")


def work_sessions() -> tuple[tuple[time, time], ...]:
    """Office hours, read from ``settings.YOUJIE_WORK_HOURS`` at call time."""
    raw = getattr(settings, "YOUJIE_WORK_HOURS", DEFAULT_WORK_HOURS)
    sessions = tuple((_parse_clock(begin), _parse_clock(end)) for begin, end in raw)
    previous_end = time.min
    for begin, end in sessions:
        if not previous_end <= begin < end:
            raise ImproperlyConfigured("YOUJIE_WORK_HOURS must be ordered, non-empty sessions")
        previous_end = end
    if not sessions:
        raise ImproperlyConfigured("YOUJIE_WORK_HOURS must list at least one session")
    return sessions


def add_work_hours(start: datetime, hours: int) -> datetime:
    """The moment ``hours`` office hours after ``start`` (Asia/Shanghai office hours).

    Time outside office hours and on days off does not count. A result that lands exactly on
    the end of a session stays there (12:00, not 14:00). The result is in ``start``'s zone.
    """
    if start.tzinfo is None or start.utcoffset() is None:
        raise ValueError("add_work_hours needs a timezone-aware datetime")
    _check_count(hours, "hours")
    if hours == 0:
        return start
    sessions = work_sessions()
    remaining = timedelta(hours=hours)
    cursor = start.astimezone(SHANGHAI)
    day = cursor.date()
    while True:
        if is_workday(day):
            for begin, end in sessions:
                session_end = datetime.combine(day, end, tzinfo=SHANGHAI)
                if cursor >= session_end:
                    continue
                begin_at = max(cursor, datetime.combine(day, begin, tzinfo=SHANGHAI))
                available = session_end - begin_at
                if remaining <= available:
                    return (begin_at + remaining).astimezone(start.tzinfo)
                remaining -= available
        day += ONE_DAY
        cursor = datetime.combine(day, time.min, tzinfo=SHANGHAI)
