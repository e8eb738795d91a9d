"""Properties of the counting functions over package years, their edges and weekend-only years."""

from __future__ import annotations

from calendar import monthrange
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from youjie.workdays.calendar import (
    add_months,
    add_workdays,
    first_workday_on_or_after,
    is_workday,
    statutory_deadline,
    statutory_deadline_months,
    workdays_between,
)

pytestmark = pytest.mark.django_db

# 2003 and 2027–2029 are weekends-only; 2004–2026 come from the package.
starts = st.dates(min_value=date(2003, 6, 1), max_value=date(2029, 6, 30))
PROPERTY_SETTINGS = settings(max_examples=150, deadline=None)


@PROPERTY_SETTINGS
@given(start=starts, days=st.integers(min_value=1, max_value=400))
def test_add_workdays_lands_on_the_nth_working_day(start, days):
    result = add_workdays(start, days)
    assert result > start
    assert is_workday(result)
    assert workdays_between(start, result) == days
    # No earlier date already had n working days.
    assert workdays_between(start, result - timedelta(days=1)) == days - 1


@PROPERTY_SETTINGS
@given(start=starts, days=st.integers(min_value=0, max_value=200), more=st.integers(1, 30))
def test_add_workdays_is_strictly_monotone(start, days, more):
    assert add_workdays(start, days) < add_workdays(start, days + more)


@PROPERTY_SETTINGS
@given(start=starts, days=st.integers(min_value=0, max_value=400))
def test_statutory_deadline_is_the_first_working_day_from_start_plus_days(start, days):
    result = statutory_deadline(start, days)
    last_day = start + timedelta(days=days)
    assert is_workday(result)
    assert result >= last_day
    day = last_day
    while day < result:
        assert not is_workday(day)
        day += timedelta(days=1)


@PROPERTY_SETTINGS
@given(start=starts, months=st.integers(min_value=0, max_value=36))
def test_month_periods_end_on_the_same_day_or_the_month_end(start, months):
    end = add_months(start, months)
    assert (end.year - start.year) * 12 + end.month - start.month == months
    assert end.day == min(start.day, monthrange(end.year, end.month)[1])
    assert statutory_deadline_months(start, months) == first_workday_on_or_after(end)


@PROPERTY_SETTINGS
@given(start=starts, end=starts)
def test_workdays_between_matches_a_day_by_day_count(start, end):
    if (end - start).days > 800:
        end = start + timedelta(days=800)
    expected = 0
    day = start + timedelta(days=1)
    while day <= end:
        expected += is_workday(day)
        day += timedelta(days=1)
    assert workdays_between(start, end) == expected
