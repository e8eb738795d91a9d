"""The court figures' demo history (youjie/demo/services.py ``seed_court_history``): generated
cases at the demo court from October 2024 (the year and a half from June 2025, and what gives
2025 its whole year to date), so that every 同比 of the court figures is a real figure for the
leader's presets; loading it again, or on a later day, keeps what was there."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from youjie.courtcases.models import CourtCase
from youjie.demo.courtdata import HISTORY_START, court_history
from youjie.demo.services import (
    SeedReport,
    seed_court_history,
    seed_organisations,
    seed_users_and_lines,
)
from youjie.orgs.models import User

pytestmark = pytest.mark.django_db
LOADED = datetime(2026, 12, 7, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def history(settings) -> SeedReport:
    settings.YOUJIE_OTP_ENFORCED = False
    report = SeedReport()
    with time_machine.travel(LOADED, tick=False):
        seed_organisations(report=report)
        seed_users_and_lines(report=report)
        seed_court_history(report=report)
    return report


def test_the_history_runs_to_today_and_loads_once(history: SeedReport) -> None:
    made = history.created["court_history_cases"]
    assert made == CourtCase.objects.count()
    first = CourtCase.objects.order_by("filed_on").values_list("filed_on", flat=True).first()
    last = CourtCase.objects.order_by("filed_on").values_list("filed_on", flat=True).last()
    assert first is not None and last is not None
    assert (first - HISTORY_START).days < 4 and (date(2026, 12, 7) - last).days < 4
    assert CourtCase.objects.filter(filed_on__gte=date(2025, 6, 1)).count() > 800
    assert not CourtCase.objects.filter(closed_on__gt=date(2026, 12, 7)).exists()
    assert CourtCase.objects.filter(second_instance_result="reversed").exists()
    assert CourtCase.objects.filter(second_instance_result="remanded").exists()
    again = SeedReport()
    with time_machine.travel(LOADED, tick=False):
        seed_court_history(report=again)
    assert again.created["court_history_cases"] == 0
    assert CourtCase.objects.count() == made


def test_a_later_load_adds_only_the_new_days() -> None:
    earlier = {case.case_number for case in court_history(date(2026, 12, 7))}
    later = {case.case_number for case in court_history(date(2026, 12, 21))}
    assert earlier < later  # the same numbers for the same days, whatever the day of loading
    facts = {c.case_number: c.type_code for c in court_history(date(2026, 12, 7))}
    assert all(facts[c.case_number] == c.type_code for c in court_history(date(2027, 3, 1))
               if c.case_number in facts)  # fmt: skip


@pytest.mark.parametrize("preset", ["year", "last_quarter"])
def test_every_year_on_year_change_is_a_real_figure(history: SeedReport, preset: str) -> None:
    client = Client()
    client.force_login(User.objects.get(username="leader"))
    with time_machine.travel(LOADED, tick=False):
        response = client.get(reverse("analytics:court"), {"preset": preset})
        api = client.get(
            "/api/v1/analytics/court-figures",
            {
                "court": "内0206",
                "start": f"{response.context['figures'].period.start:%Y-%m-%d}",
                "end": f"{response.context['figures'].period.end:%Y-%m-%d}",
            },
        )
    assert response.status_code == 200
    for line in response.context["lines"]:
        assert line.change != "—", line.label
    body = api.json()
    assert all(change is not None for change in body["change_points"].values())
    assert body["previous"]["first_instance_closed"] > 0 and body["appealed"] > 0
    # Each division that hears cases has both years' rates in the chart.
    figures = response.context["figures"]
    assert len(figures.by_division) >= 3
