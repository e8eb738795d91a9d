"""The court figures' arithmetic on hand-set counts: DOMAIN.md's test vector M1, the change in
percentage points, division by zero, the periods (a year earlier, 29 February, five years), the
trial time limits and the setting of what 一审服判息诉率 subtracts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from urllib.parse import parse_qs

import pytest
from django.core.exceptions import ImproperlyConfigured

from youjie.analytics.checks import acceptance_rate_subtract_check
from youjie.analytics.court_figures import (
    CourtCounts,
    Filters,
    change_points,
    drill_query,
    rate,
    values,
)
from youjie.analytics.periods import Period, PeriodRefused, court_period, court_preset_period
from youjie.analytics.policy import acceptance_rate_subtracts
from youjie.courtcases.deadlines import add_months, first_filing_within_limit, limit_due

# M1 (DOMAIN.md §9, the published court): 受理 109 (旧存 10, 新收 99), 结案 93, 上诉 4
# give 结案率 85.32 % and 一审服判息诉率 95.70 % (all 93 closed cases are first-instance).
M1 = CourtCounts(carried_over=10, new=99, closed=93, first_instance_closed=93, appealed=4,
                 not_accepted=4)  # fmt: skip


def test_m1_vector() -> None:
    assert M1.received == 109
    assert M1.closure_rate == Decimal("85.32")
    assert M1.acceptance_rate == Decimal("95.70")
    assert M1.appeal_rate == Decimal("4.30")  # the two sum to 100 %
    assert M1.closed_to_new_ratio == Decimal("93.94")
    shown = values(M1)
    assert shown["closure_rate"] == "85.32"
    assert shown["acceptance_rate"] == "95.70"
    assert shown["received"] == 109 and isinstance(shown["received"], int)


def test_change_in_points_is_the_difference_of_the_shown_rates() -> None:
    # Last year: 89 first-instance cases closed, 13 appealed: 76 ÷ 89 = 85.39 %.
    last_year = CourtCounts(carried_over=11, new=89, closed=89, first_instance_closed=89,
                            appealed=13, not_accepted=13)  # fmt: skip
    assert last_year.acceptance_rate == Decimal("85.39")
    changes = change_points(M1, last_year)
    assert changes["acceptance_rate"] == "+10.31"  # the seed's "同比上升了10.31个百分点"
    assert changes["appeal_rate"] == "-10.31"
    assert changes["closure_rate"] == "-3.68"  # 85.32 against 89 ÷ 100 = 89.00
    same = change_points(M1, M1)
    assert same["closure_rate"] == "0.00"


def test_division_by_zero_is_none() -> None:
    empty = CourtCounts()
    assert rate(0, 0) is None
    assert empty.closure_rate is None
    assert empty.acceptance_rate is None
    assert empty.average_days_to_close is None
    assert values(empty)["closure_rate"] is None
    assert change_points(M1, empty)["closure_rate"] is None


def test_rates_round_half_up_to_hundredths() -> None:
    assert rate(1, 8) == Decimal("12.50")
    assert rate(1, 3) == Decimal("33.33")
    assert rate(2, 3) == Decimal("66.67")
    assert rate(1, 16) == Decimal("6.25")
    assert rate(1, 32) == Decimal("3.13")  # 3.125 rounds up, not to even
    counts = CourtCounts(closed=8, days_to_close=507)
    assert counts.average_days_to_close == Decimal("63.4")  # 63.375


def test_a_petitioned_component_changes_the_numerator_only() -> None:
    counts = CourtCounts(first_instance_closed=5, appealed=1, petitioned=1, not_accepted=2)
    assert counts.acceptance_rate == Decimal("60.00")
    assert counts.appeal_rate == Decimal("20.00")


def test_counts_add_up() -> None:
    total = CourtCounts()
    total.add(CourtCounts(carried_over=1, new=2, closed=3, days_to_close=10))
    total.add(CourtCounts(carried_over=4, new=5, closed=6, days_to_close=20))
    assert (total.received, total.closed, total.days_to_close) == (12, 9, 30)


# --- periods ---------------------------------------------------------------------------------


def test_the_year_earlier_period_and_29_february() -> None:
    assert Period(date(2026, 1, 1), date(2026, 6, 30)).previous_year() == Period(
        date(2025, 1, 1), date(2025, 6, 30)
    )
    # 29 February has no date a year earlier: it becomes 28 February.
    assert Period(date(2024, 2, 29), date(2024, 3, 31)).previous_year() == Period(
        date(2023, 2, 28), date(2023, 3, 31)
    )
    # A period ending on 28 February of the year after a leap year compares the same dates.
    assert Period(date(2025, 2, 1), date(2025, 2, 28)).previous_year() == Period(
        date(2024, 2, 1), date(2024, 2, 28)
    )


@pytest.mark.parametrize(
    ("start", "end", "code"),
    [
        (date(2026, 3, 2), date(2026, 3, 1), "period_reversed"),
        (date(1999, 12, 31), date(2000, 1, 5), "period_out_of_range"),
        (date(2099, 1, 1), date(2100, 1, 1), "period_out_of_range"),
        (date(2021, 1, 1), date(2026, 1, 1), "period_too_long"),
    ],
)
def test_refused_periods(start: date, end: date, code: str) -> None:
    with pytest.raises(PeriodRefused) as refused:
        court_period(start, end)
    assert refused.value.code == code
    assert refused.value.message  # a Chinese sentence for the page


def test_five_years_exactly_and_one_day_are_accepted() -> None:
    assert court_period(date(2021, 1, 1), date(2025, 12, 31)).days == 1826
    assert court_period(date(2026, 3, 1), date(2026, 3, 1)).days == 1


@pytest.mark.parametrize(
    ("today", "preset", "expected"),
    [
        (date(2026, 12, 7), "year", Period(date(2026, 1, 1), date(2026, 12, 7))),
        (date(2026, 12, 7), "last_quarter", Period(date(2026, 7, 1), date(2026, 9, 30))),
        (date(2026, 2, 10), "last_quarter", Period(date(2025, 10, 1), date(2025, 12, 31))),
        (date(2026, 4, 1), "last_quarter", Period(date(2026, 1, 1), date(2026, 3, 31))),
    ],
)
def test_presets(today: date, preset: str, expected: Period) -> None:
    assert court_preset_period(preset, today) == expected


# --- trial time limits (courtcases.deadlines) ------------------------------------------------


def test_limits_count_months_from_the_day_after_filing() -> None:
    assert limit_due(date(2026, 1, 5), "民初") == date(2026, 7, 5)
    assert limit_due(date(2025, 8, 31), "民初") == date(2026, 2, 28)  # 民法典 Art. 202
    assert limit_due(date(2023, 8, 31), "民初") == date(2024, 2, 29)
    assert limit_due(date(2026, 1, 5), "刑终") == date(2026, 3, 5)
    assert limit_due(date(2026, 1, 5), "民特") is None
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)


@pytest.mark.parametrize(
    ("on", "months", "first"),
    [
        (date(2026, 3, 31), 6, date(2025, 10, 1)),  # no 31 September: the next day
        (date(2027, 2, 28), 6, date(2026, 8, 28)),
        (date(2026, 8, 31), 6, date(2026, 3, 1)),  # no 31 February
        (date(2026, 3, 15), 2, date(2026, 1, 15)),
    ],
)
def test_first_filing_within_limit(on: date, months: int, first: date) -> None:
    found = first_filing_within_limit(on, months)
    assert found == first
    # The definition: the earliest filing whose limit ends on ``on`` or later.
    assert add_months(found, months) >= on
    assert add_months(date.fromordinal(found.toordinal() - 1), months) < on


# --- the drill-down links and the setting ------------------------------------------------------


def test_drill_down_queries() -> None:
    period = Period(date(2026, 3, 1), date(2026, 3, 31))
    carried = parse_qs(drill_query("carried_over", period, Filters(division_id=7)))
    assert carried == {
        "division": ["7"],
        "litigation_only": ["1"],
        "filed_to": ["2026-02-28"],
        "open_on": ["2026-03-01"],
    }
    reversed_ = parse_qs(drill_query("reversed_or_remanded", period, Filters(type_code="民初")))
    assert reversed_["result"] == ["reversed_or_remanded"]
    assert reversed_["type_code"] == ["民初"] and "litigation_only" not in reversed_
    assert drill_query("closure_rate", period, Filters()) == ""


def test_subtract_setting(settings) -> None:
    settings.YOUJIE_ACCEPTANCE_RATE_SUBTRACT = ["petitioned", "appealed"]
    assert acceptance_rate_subtracts() == ("appealed", "petitioned")
    assert acceptance_rate_subtract_check() == []
    for bad in (["petitioned"], ["appealed", "complained"], ["appealed", "appealed"], "appealed"):
        settings.YOUJIE_ACCEPTANCE_RATE_SUBTRACT = bad
        with pytest.raises(ImproperlyConfigured):
            acceptance_rate_subtracts()
        [error] = acceptance_rate_subtract_check()
        assert error.id == "analytics.E001"
