"""The demo (``seed_all``) ends with the court figures' day table rebuilt: the leader's 审判质效
page reads it at once (数据截至 the seeding), the offices' dashboard and the screens answer, and
a second seeding leaves the same table."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from youjie.analytics.court_contributions import COLUMNS
from youjie.analytics.models import CourtFigureDay, FigureRefresh
from youjie.demo.services import SeedReport, seed_all
from youjie.orgs.models import User

pytestmark = pytest.mark.django_db
SEEDED = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def _table() -> list[tuple[object, ...]]:
    return sorted(
        CourtFigureDay.objects.values_list(
            "grain",
            "court_id",
            "division_id",
            "judge_id",
            "type_code",
            "day",
            "filed_after",
            *COLUMNS,
        ),
        key=repr,
    )


def test_the_demo_shows_figures_at_once_and_seeds_the_same_table_twice(settings) -> None:
    settings.YOUJIE_OTP_ENFORCED = False
    report = SeedReport()
    with time_machine.travel(SEEDED, tick=False):
        seed_all(report=report)
    assert report.created["court_figure_days"] > 100
    assert report.created["desk_figure_days"] > 10  # the demo desk: a few dozen requests
    assert set(FigureRefresh.objects.values_list("name", "refreshed_at")) == {
        ("court_figures", SEEDED),
        ("desk_figures", SEEDED),
    }
    client = Client()
    client.force_login(User.objects.get(username="leader"))
    with time_machine.travel(SEEDED, tick=False):
        page = client.get("/analytics/court/", {"preset": "year"})
        screen = client.get("/analytics/screen/")
    assert page.status_code == 200 and screen.status_code == 200
    figures = page.context["figures"]
    assert figures.as_of == SEEDED and figures.total.current.closed > 0
    assert all(line.change != "—" for line in page.context["lines"])
    with time_machine.travel(SEEDED, tick=False):
        desk = client.get("/analytics/desk/", {"preset": "year"})
    assert desk.status_code == 200 and "数据截至：2026-11-23 09:00" in desk.text
    total = desk.context["figures"].total  # read from the day table
    assert total.current.received > 300 and total.previous.received > 300  # a real 同比
    assert "—" not in (
        total.received_change,
        total.response_rate_change,
        total.completion_rate_change,
    )
    assert report.created["desk_history_requests"] > 1_000
    city = Client()
    city.force_login(User.objects.get(username="city_officer"))
    with time_machine.travel(SEEDED, tick=False):
        assert city.get("/analytics/campaign/").status_code == 200
        assert city.get("/analytics/screen/city/").status_code == 200
    table = _table()
    again = SeedReport()
    with time_machine.travel(SEEDED, tick=False):
        seed_all(report=again)
    assert "court_figure_days" not in again.created and "desk_figure_days" not in again.created
    assert _table() == table
