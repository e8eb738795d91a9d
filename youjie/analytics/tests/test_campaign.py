"""化解攻坚统计 (issue 15 item 4): the city and county offices' dashboard and its API.

The world is the petitions tests' (``youjie.petitions.tests.support.world``): a matter in 石拐区
(150205, the county officer's region) and one in 白云鄂博矿区 (150206), both in the city's
百日攻坚, at a frozen Monday; plus a coordination request sent three weeks earlier (overdue). Every
figure's link is opened as the same viewer: the list it opens holds exactly as many records as
the figure says.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from youjie.analytics.campaign_selectors import campaign_figures
from youjie.analytics.periods import Period
from youjie.orgs.models import OrgUnit, User
from youjie.petitions import services
from youjie.petitions.tests.conftest import NOW, make_matter
from youjie.petitions.tests.support import World, world  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db
URL = "/analytics/campaign/"
API = "/api/v1/analytics/campaign-figures"


@pytest.fixture(autouse=True)
def frozen(settings: Any) -> Iterator[None]:
    settings.YOUJIE_OTP_ENFORCED = False
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def city(world: World, city_officer: User, lead_official: User) -> World:  # noqa: F811
    """The world, with a coordination request about the 白云鄂博 matter sent on 2026-11-03
    (five working days: overdue by the frozen Monday)."""
    services.coordination_request_send(
        actor=city_officer,
        matter=world.bayan_obo,
        department=OrgUnit.objects.get(code="BT-ZJJ"),
        request_text="请核实信访人反映的执行款去向，提出解决意见。",
        sent_on=date(2026, 11, 3),
        workdays=5,
    )
    return world


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _listed(client: Client, url: str) -> int:
    """How many records the list at ``url`` holds (its total, or its rows on one page)."""
    response = client.get(url)
    assert response.status_code == 200, url
    context = response.context
    if "total" in context:
        return int(context["total"])
    assert not context["page"].has_next
    return len(context["rows"])


def test_the_city_office_reads_the_campaign_and_every_figure_opens_its_list(
    city: World, city_officer: User
) -> None:
    client = _client(city_officer)
    response = client.get(URL)
    assert response.status_code == 200
    figures = response.context["figures"]
    assert figures.campaign == city.campaign
    assert (figures.totals.total, figures.totals.resolved) == (2, 0)
    assert [row.key for row in figures.by_region] == ["150205", "150206"]
    html = response.content.decode()
    assert "已化解 0 / 2 件" in html and 'id="campaign-as-of"' in html and "数据截至" in html
    linked = [
        *figures.campaign_figures,
        *figures.matters,
        *figures.follow_up,
        *figures.aid,
    ]
    for figure in linked:
        if not figure.url or figure.key == "follow_ups_due":
            continue
        assert _listed(client, figure.url) == int(figure.value), figure.label
        assert f'href="{figure.url.replace("&", "&amp;")}"' in html
    for row in figures.by_region:
        assert _listed(client, row.url) == row.total
    overdue = next(f for f in figures.follow_up if f.key == "coordination_overdue")
    assert overdue.value == "1" and overdue.alarm
    assert "campaign=" in figures.by_region[0].url and "region=150205" in figures.by_region[0].url


def test_a_county_office_sees_only_its_county(city: World, county_officer: User) -> None:
    response = _client(county_officer).get(URL)
    assert response.status_code == 200
    figures = response.context["figures"]
    assert figures.totals.total == 1
    assert [row.key for row in figures.by_region] == ["150205"]
    assert "矿区执行款未到位" not in response.content.decode()
    body = _client(county_officer).get(API).json()
    assert body["totals"]["total"] == 1 and [r["key"] for r in body["by_region"]] == ["150205"]
    assert body["coordination_overdue"] == 0  # the request is about the other county's matter


def test_a_campaign_outside_the_scope_is_not_found(
    city: World, county_officer: User, byeb_county_officer: User
) -> None:
    county_campaign = services.campaign_create(
        actor=byeb_county_officer,
        name="矿区专项行动",
        kind="other",
        issuing_office=OrgUnit.objects.get(code="150206-ZXB"),
        starts_on=date(2026, 11, 1),
        ends_on=date(2026, 12, 31),
    )
    services.campaign_add_matters(
        actor=byeb_county_officer, campaign=county_campaign, matters=[city.bayan_obo]
    )
    client = _client(county_officer)
    assert client.get(API, {"campaign": county_campaign.pk}).status_code == 404
    assert client.get(URL, {"campaign": county_campaign.pk}).status_code == 422  # not a choice
    own = _client(byeb_county_officer).get(API, {"campaign": county_campaign.pk})
    assert own.status_code == 200 and own.json()["totals"]["total"] == 1


def test_the_api_gives_rates_with_two_decimals_and_last_year(
    city: World, city_officer: User
) -> None:
    earlier = make_matter(
        city_officer, region_code="150206", title="去年的事项", received_on=date(2025, 3, 2)
    )
    assert earlier.pk
    body = _client(city_officer).get(API).json()
    assert body["campaign"]["id"] == city.campaign.pk
    assert body["totals"]["resolution_rate"] == "0.00"
    assert body["totals"]["settled_rate"] == "0.00"
    assert body["by_region"][0]["resolution_rate"] == "0.00"
    assert body["period"] == {"start": "2026-01-01", "end": "2026-11-23"}
    assert body["previous_period"] == {"start": "2025-01-01", "end": "2025-11-23"}
    assert body["period_figures"]["received"] == {"current": 2, "previous": 1}
    assert body["coordination_overdue"] == 1 and body["matters"] == 3
    assert body["aid_paid_amount"] == "0.00"
    narrow = _client(city_officer).get(API, {"start": "2025-03-01", "end": "2025-03-31"}).json()
    assert narrow["period_figures"]["received"] == {"current": 1, "previous": 0}


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ({"start": "2026-01-01"}, "period_incomplete"),
        ({"start": "2026-02-01", "end": "2026-01-01"}, "period_reversed"),
        ({"start": "2022-01-01", "end": "2026-01-01"}, "period_too_long"),
        ({"start": "1999-01-01", "end": "1999-02-01"}, "period_out_of_range"),
        ({"campaign": "0"}, "validation_failed"),
        ({"campaign": "abc"}, "validation_failed"),
    ],
)
def test_bad_input_is_422_with_a_code(
    city: World, city_officer: User, query: dict[str, str], code: str
) -> None:
    response = _client(city_officer).get(API, query)
    assert response.status_code == 422
    assert response.json()["code"] == code


def test_nobody_else_reads_the_campaign_figures(
    client: Client, city: World, judge: User, court_leader: User, lead_official: User
) -> None:
    assert client.get(API).status_code == 401
    assert client.get(URL).status_code == 302  # to the login page
    for user in (judge, court_leader, lead_official):
        assert _client(user).get(API).status_code == 403
        assert _client(user).get(URL).status_code == 403


def test_bad_page_input_is_422_with_the_form(city: World, city_officer: User) -> None:
    response = _client(city_officer).get(URL, {"start": "2026-03-01", "end": "2026-02-01"})
    assert response.status_code == 422
    assert "开始日期不能晚于结束日期" in response.content.decode()


def test_the_figures_take_as_many_statements_however_many_matters(
    city: World, city_officer: User, lead_official: User
) -> None:
    """13 aggregate statements (each scoped read also lists the city's regions: the scope of an
    office officer is its region subtree, two short statements), whatever the number of
    matters."""
    period = Period(date(2026, 1, 1), NOW.date())

    def statements() -> int:
        with CaptureQueriesContext(connection) as captured:
            figures = campaign_figures(user=city_officer, campaign=city.campaign, period=period)
        assert figures.burndown is not None and figures.burndown.days[0] == "09-01"
        return len(captured)

    before = statements()
    more = [
        services.matter_assign(
            actor=city_officer,
            matter=make_matter(city_officer, region_code="150206", title=f"事项{n}"),
            lead_official=lead_official,
            responsible_unit=OrgUnit.objects.get(code="BT-BYEB-FY"),
        )
        for n in range(4)
    ]
    services.campaign_add_matters(actor=city_officer, campaign=city.campaign, matters=more)
    assert statements() == before <= 40


def test_the_page_reads_the_figures_the_background_engine_keeps(
    city: World,
    city_officer: User,
    lead_official: User,
) -> None:
    """A figure snapshot per viewer, campaign and period: equal to the figures computed now,
    unchanged by a new matter until the minute's recompute, and then up to date."""
    from datetime import timedelta

    from youjie.core import tasks
    from youjie.petitions.tests.conftest import assign

    client = _client(city_officer)
    first = client.get(URL).context["figures"]
    computed = campaign_figures(user=city_officer, campaign=city.campaign, period=first.period)
    assert first.by_region == computed.by_region and first.totals == computed.totals
    assert first.comparisons == computed.comparisons and first.burndown == computed.burndown
    assert first.as_of == NOW
    added = assign(city_officer, make_matter(city_officer), lead=lead_official)
    services.campaign_add_matters(actor=city_officer, campaign=city.campaign, matters=[added])
    with time_machine.travel(NOW + timedelta(seconds=30), tick=False):
        assert client.get(URL).context["figures"].totals.total == 2  # as of 数据截至
    with time_machine.travel(NOW + timedelta(minutes=1), tick=False):
        assert tasks.figure_snapshots_task.call_local() >= 1
        later = client.get(URL).context["figures"]
    assert later.totals.total == 3 and later.as_of == NOW + timedelta(minutes=1)
