"""Formatting of figures and changes: per cent for counts, percentage points for rates."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from youjie.analytics.figures import (
    Counts,
    FigureRow,
    count_change,
    format_rate,
    points_change,
    score_change,
)
from youjie.analytics.periods import Period, preset_period


def test_count_change_is_a_per_cent_of_last_year():
    assert count_change(7, 3) == "+133.3%"
    assert count_change(90, 100) == "-10.0%"
    assert count_change(5, 5) == "持平"
    assert count_change(5, 0) == "—"


def test_rate_change_is_in_percentage_points():
    # 85.5% against 82.3%: +3.2 points, not +3.9%.
    assert points_change(Fraction(855, 1000), Fraction(823, 1000)) == "+3.2个百分点"
    assert points_change(Fraction(1, 2), Fraction(1, 1)) == "-50.0个百分点"
    assert points_change(Fraction(2, 3), Fraction(4, 6)) == "持平"
    assert points_change(None, Fraction(1, 2)) == "—"


def test_rounding_is_half_up():
    assert format_rate(Fraction(1, 2000)) == "0.1%"  # 0.05 → 0.1
    assert format_rate(Fraction(1, 8)) == "12.5%"
    assert format_rate(None) == "—"
    assert score_change(Fraction(9, 2), Fraction(4, 1)) == "+0.50分"


def test_rows_add_up():
    total = Counts()
    total.add(Counts(received=2, response_on_time=1, response_decided=2, visits={"resolved": 1}))
    total.add(Counts(received=3, response_on_time=2, response_decided=2, visits={"resolved": 2}))
    row = FigureRow(key="total", label="合计", current=total)
    assert (total.received, total.visits) == (5, {"resolved": 3})
    assert row.response_rate == "75.0%"
    assert row.satisfaction_mean == "—"


def test_same_period_last_year_handles_29_february():
    period = Period(start=date(2024, 2, 1), end=date(2024, 2, 29))
    assert period.previous_year() == Period(start=date(2023, 2, 1), end=date(2023, 2, 28))


def test_presets_run_to_today():
    today = date(2026, 11, 28)
    assert preset_period("month", today) == Period(date(2026, 11, 1), today)
    assert preset_period("quarter", today) == Period(date(2026, 10, 1), today)
    assert preset_period("year", today) == Period(date(2026, 1, 1), today)
