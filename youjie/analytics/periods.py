"""Reporting periods: a range of local (Asia/Shanghai) dates and the same dates a year earlier."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A period longer than this is refused: figures are for management periods, not for all time.
MAX_PERIOD_DAYS = 3 * 366
EARLIEST = date(2000, 1, 1)
LATEST = date(2099, 12, 31)

PRESETS: dict[str, str] = {"month": "本月", "quarter": "本季度", "year": "本年"}


def _shift_year(day: date, years: int) -> date:
    """The same calendar date ``years`` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class Period:
    """From ``start`` to ``end``, both included, in local dates."""

    start: date
    end: date

    @property
    def label(self) -> str:
        return f"{self.start:%Y-%m-%d} 至 {self.end:%Y-%m-%d}"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def bounds(self) -> tuple[datetime, datetime]:
        """[first instant, first instant after) as aware datetimes (local midnights)."""
        lower = datetime.combine(self.start, time.min, tzinfo=SHANGHAI)
        upper = datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=SHANGHAI)
        return lower, upper

    def previous_year(self) -> Period:
        """同期: the same dates one year earlier (the comparison base)."""
        return Period(start=_shift_year(self.start, -1), end=_shift_year(self.end, -1))


def next_month(day: date) -> date:
    """The first day of the month after ``day``'s."""
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def preset_period(preset: str, today: date) -> Period:
    """本月 / 本季度 / 本年 up to and including today, so that last year's base covers the same
    number of days (a month in progress compared with the whole of last year's month would not
    be a like-for-like comparison)."""
    if preset == "quarter":
        start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    elif preset == "year":
        start = date(today.year, 1, 1)
    else:
        start = today.replace(day=1)
    return Period(start=start, end=today)


# --- the court figures' periods --------------------------------------------------------------

# Court figures are read over longer spans (a year to date, several years for a trend) than the
# desk's; a period longer than five years is refused all the same.
COURT_MAX_YEARS = 5
COURT_PRESETS: dict[str, str] = {"year": "本年至今", "last_quarter": "上一季度"}


class PeriodRefused(ValueError):
    """A period the court figures refuse, with a machine-readable code and a Chinese message."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def court_period(start: date, end: date) -> Period:
    """The period from ``start`` to ``end`` if the court figures accept it, else PeriodRefused:
    ``period_reversed`` (end before start), ``period_out_of_range`` (outside 2000–2099) or
    ``period_too_long`` (longer than five years: ``end`` on or after the same date five years
    after ``start``; 2021-01-01 to 2025-12-31 is five years and accepted)."""
    if end < start:
        raise PeriodRefused("period_reversed", "结束日期不能早于开始日期")
    if start < EARLIEST or end > LATEST:
        message = f"日期应在 {EARLIEST:%Y} 年至 {LATEST:%Y} 年之间"
        raise PeriodRefused("period_out_of_range", message)
    if end >= _shift_year(start, COURT_MAX_YEARS):
        raise PeriodRefused("period_too_long", f"统计期间不能超过 {COURT_MAX_YEARS} 年")
    return Period(start=start, end=end)


def court_preset_period(preset: str, today: date) -> Period:
    """本年至今 (1 January to today) or 上一季度 (the last whole calendar quarter)."""
    if preset == "last_quarter":
        first_month = 3 * ((today.month - 1) // 3) + 1  # this quarter's first month
        this_quarter = date(today.year, first_month, 1)
        end = this_quarter - timedelta(days=1)
        return Period(start=date(end.year, end.month - 2, 1), end=end)
    return Period(start=date(today.year, 1, 1), end=today)
