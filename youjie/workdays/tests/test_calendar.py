"""Counting rules against the 2026 State Council schedule (DOMAIN.md §0, §12)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from youjie.workdays import add_workdays, is_workday, statutory_deadline
from youjie.workdays.calendar import (
    add_months,
    add_work_hours,
    calendar_warning,
    day_info,
    deadline_info,
    first_workday_on_or_after,
    statutory_deadline_months,
    workdays_between,
    year_status,
)
from youjie.workdays.choices import DateClass, DeadlineUnit, YearStatus

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_2026_national_day_and_mid_autumn_break():
    for day in range(1, 8):
        assert not is_workday(date(2026, 10, day))
    assert not is_workday(date(2026, 9, 25))  # 中秋
    assert is_workday(date(2026, 9, 20))  # Sunday, make-up workday
    assert is_workday(date(2026, 10, 10))  # Saturday, make-up workday
    assert is_workday(date(2026, 10, 8))
    assert not is_workday(date(2026, 10, 11))  # an ordinary Sunday


def test_2026_spring_festival_and_make_up_days():
    assert is_workday(date(2026, 2, 14))  # Saturday, make-up workday
    assert all(not is_workday(date(2026, 2, day)) for day in range(15, 24))
    assert is_workday(date(2026, 2, 28))


def test_add_workdays_counts_from_the_day_after_start():
    assert add_workdays(date(2026, 9, 25), 15) == date(2026, 10, 22)
    assert add_workdays(date(2026, 9, 30), 1) == date(2026, 10, 8)
    # The start day never counts, even when it is a working day.
    assert add_workdays(date(2026, 10, 8), 1) == date(2026, 10, 9)
    assert add_workdays(date(2026, 10, 9), 1) == date(2026, 10, 10)  # make-up Saturday
    assert add_workdays(date(2026, 10, 8), 0) == date(2026, 10, 8)
    with pytest.raises(ValueError):
        add_workdays(date(2026, 10, 8), -1)


def test_statutory_deadline_rolls_off_holidays_and_weekends():
    # Last day 10-01 is in the National Day break: ends on the first working day after it.
    assert statutory_deadline(date(2026, 9, 24), 7) == date(2026, 10, 8)
    # Saturday rolls to Monday.
    assert statutory_deadline(date(2026, 3, 6), 1) == date(2026, 3, 9)
    # Sunday rolls to Monday.
    assert statutory_deadline(date(2026, 3, 1), 14) == date(2026, 3, 16)
    # A make-up Sunday is a working day: no roll.
    assert statutory_deadline(date(2026, 9, 13), 7) == date(2026, 9, 20)
    # An ordinary working day stays.
    assert statutory_deadline(date(2026, 3, 2), 15) == date(2026, 3, 17)
    assert first_workday_on_or_after(date(2026, 10, 1)) == date(2026, 10, 8)


def test_statutory_deadline_months_uses_the_month_end():
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    # 2024-02-29 is a Thursday and a working day.
    assert statutory_deadline_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    # 2027-02-28 is a Sunday (2027 is counted by weekends only): rolls to Monday.
    assert statutory_deadline_months(date(2027, 1, 31), 1) == date(2027, 3, 1)
    # Six months from 2026-04-01 lands on 10-01, inside the National Day break.
    assert statutory_deadline_months(date(2026, 4, 1), 6) == date(2026, 10, 8)


def test_workdays_between_counts_the_half_open_interval():
    assert workdays_between(date(2026, 9, 30), date(2026, 10, 8)) == 1
    assert workdays_between(date(2026, 9, 25), date(2026, 10, 22)) == 15
    assert workdays_between(date(2026, 10, 8), date(2026, 10, 8)) == 0
    assert workdays_between(date(2026, 10, 9), date(2026, 10, 8)) == 0
    # 2026 has 248 working days (chinesecalendar 1.11.0, DOMAIN.md §12).
    assert workdays_between(date(2025, 12, 31), date(2026, 12, 31)) == 248


def test_year_status_and_the_weekends_only_warning():
    assert year_status(2026) == YearStatus.PACKAGE
    assert year_status(2004) == YearStatus.PACKAGE
    assert year_status(2031) == YearStatus.WEEKENDS_ONLY
    assert year_status(2003) == YearStatus.WEEKENDS_ONLY
    assert calendar_warning(date(2026, 10, 1)) is None
    assert calendar_warning(date(2031, 5, 1)) == "注意：2031年节假日安排尚未录入，按周末计算"
    assert (
        calendar_warning(date(2032, 1, 1), date(2031, 5, 1), date(2026, 1, 1))
        == "注意：2031年、2032年节假日安排尚未录入，按周末计算"
    )
    # Outside the package's range the weekend rule applies and nothing raises.
    assert not is_workday(date(2031, 1, 4))  # Saturday
    assert is_workday(date(2031, 1, 1))  # a Wednesday: no holiday data for 2031
    assert statutory_deadline(date(2031, 1, 1), 3) == date(2031, 1, 6)


def test_deadline_info_warns_for_every_year_the_period_touches():
    info = deadline_info(date(2026, 12, 30), 5, unit=DeadlineUnit.WORKDAYS)
    assert info.deadline == date(2027, 1, 6)
    assert info.warning == "注意：2027年节假日安排尚未录入，按周末计算"
    info = deadline_info(date(2026, 9, 24), 7, unit="calendar_days")
    assert info.deadline == date(2026, 10, 8)
    assert info.warning is None
    assert info.as_dict()["unit"] == "calendar_days"


def test_day_info_classifies_dates():
    assert day_info(date(2026, 10, 1)).date_class == DateClass.HOLIDAY
    assert day_info(date(2026, 10, 1)).name == "国庆节"
    assert day_info(date(2026, 10, 10)).date_class == DateClass.MAKEUP_WORKDAY
    assert day_info(date(2026, 10, 11)).date_class == DateClass.WEEKEND
    assert day_info(date(2026, 10, 12)).date_class == DateClass.WORKDAY
    assert day_info(date(2031, 10, 1)).source == YearStatus.WEEKENDS_ONLY


def test_datetimes_are_refused_where_a_date_is_meant():
    with pytest.raises(TypeError):
        is_workday(datetime(2026, 10, 1, 9, 0, tzinfo=SHANGHAI))


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def test_add_work_hours_skips_nights_lunch_and_days_off():
    assert add_work_hours(at(2026, 10, 12, 8, 30), 0) == at(2026, 10, 12, 8, 30)
    # A result on the end of a session stays there.
    assert add_work_hours(at(2026, 10, 12, 8, 30), 3) == at(2026, 10, 12, 11, 30)
    assert add_work_hours(at(2026, 10, 12, 8, 0), 1) == at(2026, 10, 12, 9, 30)
    assert add_work_hours(at(2026, 10, 12, 12, 30), 1) == at(2026, 10, 12, 15, 0)
    assert add_work_hours(at(2026, 10, 12, 11, 0), 2) == at(2026, 10, 12, 15, 0)
    assert add_work_hours(at(2026, 10, 12, 16, 30), 2) == at(2026, 10, 13, 9, 30)
    # Friday afternoon into the make-up Sunday 2026-09-20.
    assert add_work_hours(at(2026, 9, 18, 16, 30), 2) == at(2026, 9, 20, 9, 30)
    # Across the National Day break.
    assert add_work_hours(at(2026, 9, 30, 17, 0), 1) == at(2026, 10, 8, 9, 0)
    # 7 working hours a day.
    assert add_work_hours(at(2026, 10, 12, 8, 30), 14) == at(2026, 10, 13, 17, 30)


def test_add_work_hours_keeps_the_callers_zone_and_refuses_naive_input():
    start = datetime(2026, 10, 12, 0, 30, tzinfo=UTC)  # 08:30 in Shanghai
    result = add_work_hours(start, 1)
    assert result.tzinfo is UTC
    assert result == at(2026, 10, 12, 9, 30)
    with pytest.raises(ValueError):
        add_work_hours(datetime(2026, 10, 12, 8, 30), 1)  # naive on purpose
    with pytest.raises(ValueError):
        add_work_hours(at(2026, 10, 12, 8, 30), -1)


def test_work_hours_come_from_settings_at_call_time(settings):
    settings.YOUJIE_WORK_HOURS = (("09:00", "17:00"),)
    assert add_work_hours(at(2026, 10, 12, 9, 0), 8) == at(2026, 10, 12, 17, 0)
    assert add_work_hours(at(2026, 10, 12, 16, 0), 2) == at(2026, 10, 13, 10, 0)


def test_long_periods_stay_fast():
    start = date(2026, 1, 1)
    end = add_workdays(start, 3650)
    assert workdays_between(start, end) == 3650
    assert end - start > timedelta(days=3650)
