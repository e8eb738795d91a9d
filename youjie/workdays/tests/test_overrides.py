"""Administrator-entered years override the package completely and revert cleanly."""

from __future__ import annotations

from datetime import date

import pytest

from youjie.core.errors import PermissionDenied, ValidationFailed
from youjie.core.models import Event
from youjie.workdays.calendar import (
    add_workdays,
    calendar_warning,
    is_workday,
    statutory_deadline,
    year_status,
)
from youjie.workdays.choices import YearStatus
from youjie.workdays.models import CalendarDay, CalendarYear
from youjie.workdays.services import calendar_year_delete, calendar_year_save

pytestmark = pytest.mark.django_db

HOLIDAYS_2027 = [
    (date(2027, 1, 1), "元旦"),
    (date(2027, 1, 2), "元旦"),
    (date(2027, 1, 3), "元旦"),
    (date(2027, 10, 1), "国庆节"),
    (date(2027, 10, 4), "国庆节"),
]
WORKDAYS_2027 = [(date(2027, 9, 26), "国庆节")]  # a Sunday


def save_2027(actor):
    return calendar_year_save(
        year=2027,
        holidays=HOLIDAYS_2027,
        workdays=WORKDAYS_2027,
        source="国办发明电〔2026〕X号",
        actor=actor,
    )


def test_admin_year_replaces_the_weekend_rule(administrator):
    assert year_status(2027) == YearStatus.WEEKENDS_ONLY
    assert is_workday(date(2027, 1, 1))  # a Friday, unknown as a holiday
    assert calendar_warning(date(2027, 1, 1)) is not None

    save_2027(administrator)

    assert year_status(2027) == YearStatus.ADMIN
    assert not is_workday(date(2027, 1, 1))
    assert is_workday(date(2027, 9, 26))
    assert not is_workday(date(2027, 10, 4))
    assert is_workday(date(2027, 10, 5))  # not listed: Tuesday works
    assert calendar_warning(date(2027, 1, 1)) is None
    assert add_workdays(date(2026, 12, 31), 1) == date(2027, 1, 4)
    assert statutory_deadline(date(2027, 9, 24), 2) == date(2027, 9, 26)

    events = Event.objects.filter(subject_type="workdays.calendaryear", subject_id="2027")
    assert [event.verb for event in events] == ["calendar_year.created"]
    assert events[0].data["holidays"] == 5


def test_admin_year_bypasses_the_package(administrator):
    # 2026-10-01 is a package holiday; an override that omits it makes it a working day.
    calendar_year_save(
        year=2026, holidays=[(date(2026, 1, 1), "元旦")], workdays=[], actor=administrator
    )
    assert year_status(2026) == YearStatus.ADMIN
    assert is_workday(date(2026, 10, 1))
    assert not is_workday(date(2026, 10, 10))  # the package's make-up Saturday is gone

    assert calendar_year_delete(year=2026, actor=administrator)
    assert year_status(2026) == YearStatus.PACKAGE
    assert not is_workday(date(2026, 10, 1))
    assert is_workday(date(2026, 10, 10))


def test_saving_again_replaces_all_rows_and_delete_reverts(administrator):
    save_2027(administrator)
    calendar_year_save(
        year=2027, holidays=[(date(2027, 2, 8), "春节")], workdays=[], actor=administrator
    )
    assert CalendarDay.objects.count() == 1
    assert is_workday(date(2027, 1, 1))
    assert not is_workday(date(2027, 2, 8))

    assert calendar_year_delete(year=2027, actor=administrator) is True
    assert not CalendarYear.objects.exists()
    assert not CalendarDay.objects.exists()
    assert year_status(2027) == YearStatus.WEEKENDS_ONLY
    assert calendar_year_delete(year=2027, actor=administrator) is False
    verbs = Event.objects.filter(subject_type="workdays.calendaryear", subject_id="2027")
    assert [event.verb for event in verbs] == [
        "calendar_year.created",
        "calendar_year.replaced",
        "calendar_year.deleted",
    ]


def test_weekends_only_years_warn():
    assert year_status(2031) == YearStatus.WEEKENDS_ONLY
    assert calendar_warning(date(2031, 3, 3)) == "注意：2031年节假日安排尚未录入，按周末计算"


def test_the_service_refuses_non_administrators_and_bad_data(administrator, receptionist):
    with pytest.raises(PermissionDenied):
        save_2027(receptionist)
    with pytest.raises(PermissionDenied):
        calendar_year_delete(year=2027, actor=receptionist)
    with pytest.raises(ValidationFailed) as caught:
        calendar_year_save(
            year=2027,
            holidays=[(date(2027, 10, 1), ""), (date(2026, 10, 1), "")],
            workdays=[(date(2027, 10, 1), "")],
            actor=administrator,
        )
    assert set(caught.value.fields) == {"holidays", "workdays"}
    with pytest.raises(ValidationFailed):
        calendar_year_save(year=1999, holidays=[], workdays=[], actor=administrator)
    assert not CalendarYear.objects.exists()
