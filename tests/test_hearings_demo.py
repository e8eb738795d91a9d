"""The demo hearings (youjie/demo/services.py ``seed_hearings``, youjie/demo/hearingsdata.py):
at the 白云鄂博 court, one online tomorrow with its link, one in a courtroom next week, one held
with its attendance, one postponed to a new date — through the services; loading again changes
nothing."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from youjie.courtcases.choices import HearingKind, HearingStatus
from youjie.courtcases.models import Hearing, HearingParticipant
from youjie.demo.hearingsdata import HEARING_LINK
from youjie.demo.services import (
    SeedReport,
    seed_court_cases,
    seed_hearings,
    seed_organisations,
    seed_people,
    seed_users_and_lines,
)
from youjie.notifications.models import Notification

pytestmark = pytest.mark.django_db
LOADED = datetime(2026, 12, 7, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def load() -> SeedReport:
    report = SeedReport()
    with time_machine.travel(LOADED, tick=False):
        seed_organisations(report=report)
        seed_users_and_lines(report=report)
        seed_people(report=report)
        seed_court_cases(report=report)
        seed_hearings(report=report)
    return report


def test_the_demo_hearings_are_there_once() -> None:
    first = load()
    assert first.created["hearings"] == 5  # four cases, the postponed one rescheduled
    by_case = {
        hearing.court_case.case_number: hearing
        for hearing in Hearing.objects.select_related("court_case").filter(postponed_from=None)
    }
    online = by_case["（2026）内0206民初100号"]
    assert (online.kind, online.hearing_link, online.status) == (
        HearingKind.ONLINE,
        HEARING_LINK,
        HearingStatus.SCHEDULED,
    )
    assert online.scheduled_at == datetime(2026, 12, 8, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    in_person = by_case["（2026）内0206民初101号"]
    assert (in_person.kind, in_person.courtroom) == (HearingKind.IN_PERSON, "第一审判庭")
    held = by_case["（2026）内0206民初102号"]
    assert held.status == HearingStatus.HELD
    assert list(
        HearingParticipant.objects.filter(hearing=held)
        .order_by("id")
        .values_list("attendance", flat=True)
    ) == ["present", "absent_with_leave", "present"]
    postponed = by_case["（2026）内0206民初103号"]
    assert postponed.status == HearingStatus.POSTPONED and postponed.reason
    assert postponed.rescheduled_as.status == HearingStatus.SCHEDULED
    texts = Notification.objects.filter(subject_type="courtcases.hearing").count()
    assert texts > 0

    second = load()
    assert "hearings" not in second.created
    assert Hearing.objects.count() == 5
    assert Notification.objects.filter(subject_type="courtcases.hearing").count() == texts
