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
