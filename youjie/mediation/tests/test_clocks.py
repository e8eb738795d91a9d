"""The clocks of a mediation with the clock frozen (DOMAIN.md §0, §7): 3 working days to assign
and to accept (the National Day holiday 10-01…10-07 does not count, the worked Saturday 10-10
does), 30 calendar days to mediate from acceptance (a last day in the holiday moves to 10-08),
an extension agreed by all parties, the 30 days to apply for a confirmation."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
import time_machine

from youjie.core.errors import ValidationFailed
from youjie.mediation import deadlines, selectors, services
from youjie.mediation.models import MediationExtension
from youjie.mediation.tests.support import SHANGHAI, accepted, delegate

pytestmark = pytest.mark.django_db


def test_three_working_days_skip_the_national_day_holiday():
    assert deadlines.assign_due(date(2026, 9, 29)) == date(2026, 10, 9)
    # 09-30 (Wed), then 10-08 and 10-09, then Saturday 10-10 is a working day.
    assert deadlines.accept_due(date(2026, 9, 30)) == date(2026, 10, 10)


def test_thirty_days_ending_in_the_holiday_end_on_the_first_working_day_after():
    assert deadlines.mediation_due(date(2026, 9, 1)) == date(2026, 10, 8)
    assert deadlines.mediation_due(date(2026, 9, 29)) == date(2026, 10, 29)


def test_the_confirmation_clocks():
    assert deadlines.confirmation_apply_due(date(2026, 9, 29)) == date(2026, 10, 29)
    # 3 days from 09-29 = 10-02 (holiday) → 10-08.
    assert deadlines.confirmation_accept_due(date(2026, 9, 29)) == date(2026, 10, 8)
    assert deadlines.confirmation_decide_due(date(2026, 10, 8), extended=False) == date(
        2026, 10, 23
    )
    assert deadlines.confirmation_decide_due(date(2026, 10, 8), extended=True) == date(
        2026, 11, 2
    )  # 10-08 + 25 = 11-02


def test_acceptance_starts_thirty_days_and_a_late_acceptance_shows(receptionist, mediator):
    with time_machine.travel(datetime(2026, 9, 1, 10, 0, tzinfo=SHANGHAI), tick=False):
        mediation = delegate(receptionist, mediator)
    with time_machine.travel(datetime(2026, 9, 7, 10, 0, tzinfo=SHANGHAI), tick=False):
        services.mediation_accept(actor=mediator, mediation=mediation)
        clocks = {clock.label: clock for clock in deadlines.mediation_clocks(mediation)}
        today = selectors.clock_today()
    assert mediation.due_on == date(2026, 10, 8)  # 09-07 + 30 = 10-07 (holiday) → 10-08
    assign, accept, period = clocks["委派调解员"], clocks["调解员确认接受"], clocks["调解期限"]
    assert assign.state(today) == "done"
    # Delegated Tuesday 09-01: 3 working days end Friday 09-04; accepted Monday 09-07.
    assert accept.due_on == date(2026, 9, 4)
    assert accept.state(today) == "late"
    assert period.due_on == date(2026, 10, 8) and period.state(today) == "open"
    assert "第二十四条" in period.basis
    assert period.state(date(2026, 10, 9)) == "overdue"


def test_an_extension_agreed_by_all_moves_the_due_date_and_keeps_the_original(
    receptionist, mediator, frozen
):
    mediation = accepted(receptionist, mediator)
    assert mediation.due_on == date(2026, 10, 29)
    with pytest.raises(ValidationFailed) as without:
        services.mediation_extend(
            actor=mediator,
            mediation=mediation,
            new_due_on=date(2026, 11, 30),
            reason="双方需要时间筹款",
            all_parties_agreed=False,
        )
    assert "all_parties_agreed" in without.value.fields
    with pytest.raises(ValidationFailed) as earlier:
        services.mediation_extend(
            actor=mediator,
            mediation=mediation,
            new_due_on=date(2026, 10, 20),
            reason="双方需要时间筹款",
            all_parties_agreed=True,
        )
    assert "new_due_on" in earlier.value.fields
    assert not MediationExtension.objects.exists()
    services.mediation_extend(
        actor=mediator,
        mediation=mediation,
        new_due_on=date(2026, 11, 30),
        reason="双方需要时间筹款",
        all_parties_agreed=True,
    )
    mediation.refresh_from_db()
    assert (mediation.original_due_on, mediation.due_on) == (date(2026, 10, 29), date(2026, 11, 30))
    extension = MediationExtension.objects.get()
    assert (extension.previous_due_on, extension.new_due_on) == (
        date(2026, 10, 29),
        date(2026, 11, 30),
    )
    # Past the original date the mediation is not overdue; past the new one it is.
    frozen.shift(timedelta(days=40))  # 11-08
    assert not selectors.mediation_list(user=mediator, overdue=True).exists()
    frozen.shift(timedelta(days=25))  # 12-03
    assert list(selectors.mediation_list(user=mediator, overdue=True)) == [mediation]
