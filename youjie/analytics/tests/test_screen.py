"""数据大屏 (issue 15 item 5): the court hall's and the office's screens, their htmx partial,
the snapshot each refresh reads, the periodic task that keeps watched screens current, and who
sees which screen.

The court's desk on the frozen Monday 2026-11-23: two calls and a visit that day (one call
answered on time, one late; the visit rated 5), and a call the day before.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client

from youjie.analytics.choices import ScreenKind
from youjie.analytics.screen import SCREEN_SNAPSHOTS
from youjie.analytics.tests.conftest import make_request, rate
from youjie.core import tasks
from youjie.core.models import FigureSnapshot
from youjie.core.snapshots import snapshot_current
from youjie.desk.catalog import install_default_matter_types
from youjie.orgs.models import OrgUnit, User
from youjie.petitions.tests.conftest import NOW
from youjie.petitions.tests.support import World, world  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db
COURT = "/analytics/screen/"
CITY = "/analytics/screen/city/"
HTMX = {"HX-Request": "true"}
CALLS = '<strong id="screen-calls">{}</strong>'


@pytest.fixture(autouse=True)
def frozen(settings: Any) -> Iterator[None]:
    settings.YOUJIE_OTP_ENFORCED = False
    with time_machine.travel(NOW, tick=False):
        yield


def at(hours: float) -> datetime:
    return NOW + timedelta(hours=hours)


@pytest.fixture
def desk_day(court: OrgUnit) -> None:
    install_default_matter_types()
    make_request(
        court=court,
        channel="phone",
        stamps={"created_at": at(-1), "first_response_due": at(2),
                "first_responded_at": at(-0.5), "completion_due": at(48)},
    )  # fmt: skip
    make_request(
        court=court,
        channel="work_phone",
        stamps={"created_at": at(-0.9), "first_response_due": at(-0.5),
                "first_responded_at": at(-0.1), "completion_due": at(48)},
    )  # fmt: skip
    visit = make_request(
        court=court,
        channel="walk_in",
        status="replied",
        stamps={"created_at": at(-0.8), "first_response_due": at(3),
                "first_responded_at": at(-0.7), "completion_due": at(20),
                "replied_at": at(-0.6)},
    )  # fmt: skip
    rate(visit, 5, at(-0.2))
    make_request(
        court=court,
        channel="phone",
        stamps={"created_at": at(-24), "first_response_due": at(-20),
                "first_responded_at": at(-21), "completion_due": at(48)},
    )  # fmt: skip


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_court_hall_screen(desk_day: None, court_leader: User) -> None:
    response = _client(court_leader).get(COURT)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith("<!DOCTYPE html>") and 'id="main-nav"' not in html  # full screen
    assert 'hx-get="/analytics/screen/"' in html and 'hx-trigger="every 30s"' in html
    assert "白云鄂博矿区人民法院诉讼服务数据大屏" in html
    desk = response.context["figures"]["desk"]
    assert (desk["today"], desk["calls"], desk["visits"]) == (3, 2, 1)
    assert desk["response_rate_today"] == "66.7%"  # two of three on time
    assert desk["satisfaction_month"] == "5.00"
    for element in ("screen-today", "screen-calls", "screen-visits", "screen-response-today",
                    "screen-satisfaction", "screen-desk-overdue", "screen-as-of"):  # fmt: skip
        assert f'id="{element}"' in html, element
    assert CALLS.format(2) in html
    assert "数据截至 09:00:00" in html
    assert FigureSnapshot.objects.get().kind == SCREEN_SNAPSHOTS[ScreenKind.COURT]


def test_the_partial_is_one_row_read(
    desk_day: None, court_leader: User, django_assert_max_num_queries: Any
) -> None:
    client = _client(court_leader)
    client.get(COURT)  # computes the snapshot
    with django_assert_max_num_queries(4):  # the session, the user, their roles, the snapshot
        response = client.get(COURT, headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and html.lstrip().startswith('<main id="screen-figures"')
    assert CALLS.format(2) in html


def test_a_refresh_shows_the_snapshot_until_the_task_recomputes_it(
    desk_day: None, court_leader: User, court: OrgUnit
) -> None:
    client = _client(court_leader)
    client.get(COURT)
    make_request(
        court=court,
        channel="phone",
        stamps={"created_at": at(0.2), "first_response_due": at(2),
                "first_responded_at": None, "completion_due": at(48)},
    )  # fmt: skip
    with time_machine.travel(at(0.5 / 60), tick=False):
        assert CALLS.format(2) in client.get(COURT, headers=HTMX).content.decode()
    with time_machine.travel(at(1 / 60), tick=False):
        assert tasks.figure_snapshots_task.call_local() == 1
        assert tasks.figure_snapshots_task.call_local() is None  # the same tick
        refreshed = client.get(COURT, headers=HTMX).content.decode()
    assert CALLS.format(3) in refreshed
    assert "数据截至 09:01:00" in refreshed


def test_a_screen_nobody_watches_is_left_alone_and_a_stale_one_recomputed(
    desk_day: None, court_leader: User
) -> None:
    first = snapshot_current(user=court_leader, kind=SCREEN_SNAPSHOTS[ScreenKind.COURT])
    with time_machine.travel(at(0.25), tick=False):  # 15 minutes later
        assert tasks.figure_snapshots_task.call_local() == 0  # not watched for ten minutes
        again = snapshot_current(user=court_leader, kind=SCREEN_SNAPSHOTS[ScreenKind.COURT])
    assert again.computed_at - first.computed_at == timedelta(minutes=15)


def test_the_city_screen(world: World, desk_day: None, city_officer: User) -> None:  # noqa: F811
    response = _client(city_officer).get(CITY)
    assert response.status_code == 200
    figures = response.context["figures"]
    assert figures["desk"]["label"] == "全市各法院（仅统计数字）" and figures["desk"]["today"] == 3
    assert figures["campaign"]["name"] == "2026年百日攻坚" and figures["campaign"]["total"] == 2
    assert [region["name"] for region in figures["campaign"]["regions"]] == [
        "石拐区",
        "白云鄂博矿区",
    ]
    html = response.content.decode()
    for element in ("screen-campaign", "screen-campaign-rate", "screen-matters-overdue",
                    "screen-not-met", "screen-coordination-overdue", "screen-today"):  # fmt: skip
        assert f'id="{element}"' in html, element
    assert 'hx-get="/analytics/screen/city/"' in html


def test_a_county_screen_has_its_county_and_no_desk(
    world: World,  # noqa: F811
    desk_day: None,
    county_officer: User,
) -> None:
    figures = _client(county_officer).get(CITY).context["figures"]
    assert figures["desk"] is None  # desk figures are the city office's (DESIGN.md)
    assert figures["campaign"]["total"] == 1
    assert [region["name"] for region in figures["campaign"]["regions"]] == ["石拐区"]


def test_who_sees_which_screen(
    client: Client,
    desk_day: None,
    judge: User,
    division_head: User,
    court_leader: User,
    receptionist: User,
    city_officer: User,
    qingshan_receptionist: User,
) -> None:
    assert client.get(COURT).status_code == 302
    assert client.get(CITY).status_code == 302
    for user in (judge, division_head, city_officer):
        assert _client(user).get(COURT).status_code == 403, user.username
    for user in (judge, court_leader, receptionist):
        assert _client(user).get(CITY).status_code == 403, user.username
    assert _client(receptionist).get(COURT).context["figures"]["desk"]["today"] == 3
    other = _client(qingshan_receptionist).get(COURT).context["figures"]
    assert other["desk"]["today"] == 0 and "青山区" in other["title"]
    assert not FigureSnapshot.objects.filter(user__in=[judge, division_head]).exists()


def test_a_viewer_who_lost_the_role_loses_the_snapshot(desk_day: None, court_leader: User) -> None:
    snapshot_current(user=court_leader, kind=SCREEN_SNAPSHOTS[ScreenKind.COURT])
    court_leader.user_roles.all().delete()
    with time_machine.travel(at(1 / 60), tick=False):
        assert tasks.figure_snapshots_task.call_local() == 0
    assert not FigureSnapshot.objects.exists()
