"""The statutory clocks of 信访工作条例 (2022), counted by DOMAIN.md §0: the start day not counted,
calendar days rolled past days off (weekends, public holidays; 调休 make-up days are working
days), working days counted as such. Dates from the bundled 2026 calendar: 国庆 10-01…10-07 with
make-up Saturday 10-10, 劳动节 05-01…05-05, 清明 04-06."""

from __future__ import annotations

from datetime import date

import pytest

from youjie.core.errors import ValidationFailed
from youjie.petitions import deadlines
from youjie.workdays.choices import DeadlineUnit

pytestmark = pytest.mark.django_db


def test_notice_is_fifteen_days_after_receipt_the_start_day_not_counted():
    clock = deadlines.notice_deadline(date(2026, 3, 2))
    assert clock.due == date(2026, 3, 17)
    assert (clock.days, clock.unit) == (15, DeadlineUnit.CALENDAR_DAYS)
    assert clock.article == "《信访工作条例》第二十三条第二款"
    assert clock.warning is None
    assert clock.label == "告知期限 15日（《信访工作条例》第二十三条第二款）"


def test_notice_of_a_forwarded_matter_cites_the_third_paragraph():
    assert deadlines.notice_deadline(date(2026, 3, 2), forwarded=True).article == (
        "《信访工作条例》第二十三条第三款"
    )


def test_a_last_day_in_the_national_day_holiday_rolls_to_the_first_working_day_after_it():
    # 09-16 + 15 = 10-01 (国庆): the period ends on 10-08, the first working day after.
    assert deadlines.notice_deadline(date(2026, 9, 16)).due == date(2026, 10, 8)


def test_a_last_day_on_a_make_up_saturday_stays_there():
    # 09-25 + 15 = 10-10, a Saturday worked in exchange (调休): a working day, no roll.
    assert deadlines.notice_deadline(date(2026, 9, 25)).due == date(2026, 10, 10)


def test_a_last_day_on_an_ordinary_sunday_rolls_to_monday():
    # 03-07 + 15 = 03-22, a Sunday.
    assert deadlines.notice_deadline(date(2026, 3, 7)).due == date(2026, 3, 23)


def test_handling_is_sixty_days_from_acceptance_and_rolls_past_labour_day():
    # 03-02 + 60 = 05-01 (劳动节, off until 05-05): ends 05-06.
    clock = deadlines.handling_deadline(date(2026, 3, 2))
    assert clock.due == date(2026, 5, 6)
    assert clock.days == 60
    assert clock.article == "《信访工作条例》第三十四条"
    assert clock.clock == "办理期限"


def test_an_extension_lengthens_the_one_period_counted_from_acceptance():
    # 03-02 + 90 = 05-31, a Sunday: ends Monday 06-01.
    clock = deadlines.handling_deadline(date(2026, 3, 2), extension_days=30)
    assert clock.due == date(2026, 6, 1)
    assert clock.days == 90
    assert clock.clock == "延长后办理期限"
    # One day of extension: 05-02 is a Saturday of the holiday, so again 05-06.
    assert deadlines.handling_deadline(date(2026, 3, 2), extension_days=1).due == date(2026, 5, 6)


@pytest.mark.parametrize("days", [-1, 31, 365])
def test_an_extension_outside_one_to_thirty_days_is_refused(days):
    with pytest.raises(ValidationFailed) as refused:
        deadlines.handling_deadline(date(2026, 3, 2), extension_days=days)
    assert "1至30日" in refused.value.message
    assert "第三十四条" in refused.value.message


@pytest.mark.parametrize("days", [1, 30])
def test_the_edges_of_the_extension_band_are_accepted(days):
    deadlines.check_extension_days(days)  # no exception


def test_zero_is_not_an_extension():
    with pytest.raises(ValidationFailed):
        deadlines.check_extension_days(0)


def test_review_and_recheck_are_thirty_days_each_with_their_articles():
    request = deadlines.review_request_deadline(date(2026, 9, 1))
    decision = deadlines.review_decision_deadline(date(2026, 9, 1))
    assert request.due == decision.due == date(2026, 10, 8)  # 10-01 rolls past 国庆
    assert request.article == decision.article == "《信访工作条例》第三十五条"
    recheck = deadlines.recheck_request_deadline(date(2026, 3, 2))
    assert recheck.due == date(2026, 4, 1)
    assert recheck.article == "《信访工作条例》第三十六条"


def test_hearing_time_is_not_counted_in_the_recheck_period():
    plain = deadlines.recheck_decision_deadline(date(2026, 3, 2))
    with_hearing = deadlines.recheck_decision_deadline(date(2026, 3, 2), hearing_days=5)
    assert plain.due == date(2026, 4, 1)
    # 03-02 + 35 = 04-06 (清明): ends 04-07.
    assert with_hearing.due == date(2026, 4, 7)
    with pytest.raises(ValidationFailed):
        deadlines.recheck_decision_deadline(date(2026, 3, 2), hearing_days=-1)


def test_an_objection_counts_five_working_days_across_the_holiday_and_a_make_up_day():
    # From 09-30: 10-08, 10-09, 10-10 (make-up Saturday), 10-12, 10-13.
    clock = deadlines.objection_deadline(date(2026, 9, 30))
    assert clock.due == date(2026, 10, 13)
    assert clock.unit == DeadlineUnit.WORKDAYS
    assert clock.article == "《信访工作条例》第二十三条第三款"
    assert clock.label == "异议期限 5个工作日（《信访工作条例》第二十三条第三款）"


def test_a_period_reaching_a_year_without_a_holiday_schedule_carries_the_warning():
    clock = deadlines.notice_deadline(date(2026, 12, 20))
    assert clock.due.year == 2027
    assert clock.warning is not None and "2027年" in clock.warning
