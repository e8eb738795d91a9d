"""The figures' cases for the hostile-input sweeps (tests/hostile/cases.py says what goes
here): the city-office officer, who sees the figures and no desk page, the period forms, the
court figures' page (swept as the court leader and the division head, whom the desk names) and
API (its court code as a hint), the offices' campaign dashboard and API (a campaign the county
officer may not see), and the big screens, whose GET keeps the viewer's snapshot."""

from __future__ import annotations

from tests.hostile.cases import ApiWorld, HostileCases, Query, World
from youjie.analytics.forms import CampaignFiguresForm, CourtFiguresForm, PeriodForm
from youjie.orgs.models import OrgUnit

SNAPSHOTS = frozenset({"core_figuresnapshot"})


def query_combinations(world: World) -> list[Query]:
    """The court figures: five years to the day (the longest period), another division (the
    division head may not choose it), a pre-litigation type, repeated parameters; the campaign
    dashboard: a campaign nobody sees, three years and a day, a campaign with a period."""
    criminal = OrgUnit.objects.get(code="BT-BYEB-XS")
    return [
        [("start", "2021-01-01"), ("end", "2025-12-31"), ("type", "诉前调")],
        [("preset", "last_quarter"), ("division", str(criminal.pk)), ("judge", "1")],
        [("preset", "year"), ("preset", "nope"), ("division", "1"), ("division", "-1")],
        [("start", "2024-02-29"), ("end", "2024-02-29")],
        [("campaign", "999999999"), ("preset", "quarter")],
        [("campaign", "1"), ("start", "2023-01-01"), ("end", "2026-01-02")],
        [("campaign", "1"), ("campaign", "x"), ("start", "2026-03-01"), ("end", "2026-02-01")],
    ]


def api_build(world: ApiWorld) -> None:
    world.hints.update(court="内0206", start="2026-01-01", end="2026-06-30")


CASES = HostileCases(
    personas=("city_officer", "county_officer", "court_leader"),
    query_forms=(PeriodForm, CourtFiguresForm, CampaignFiguresForm),
    query_combinations=query_combinations,
    get_may_write={
        "analytics:screen": SNAPSHOTS,
        "analytics:screen_city": SNAPSHOTS,
        "analytics:campaign": SNAPSHOTS,
    },
    api_build=api_build,
)
