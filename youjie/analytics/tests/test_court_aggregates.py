"""The court figures' day table (issue 15 item 3) against the figures computed from the cases.

- For any cases (open, closed, closed before they were filed, without a filing date, appealed,
  petitioned, every 二审结果, first-instance or not, pre-litigation numbers), any period (leap
  days, periods longer than a year, whose year-earlier base overlaps them) and any filter, as
  the court leader and the division head, with either 一审服判息诉率 numerator: the figures read
  from the rebuilt table equal ``court_figures_from_cases`` (total, by division, by type).
- A refresh after changes — dates moved, a division or a court changed, a case removed, new
  cases — leaves the table equal to a rebuild; a batch stamped before the last refresh but
  committed after it is still taken in (the margin); nothing changed, nothing written.
- The periodic task claims its tick: once per minute however many consumers fire it.
- ``manage.py analytics_rebuild`` twice leaves the same table; the page and the API say 数据截至.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client, override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from youjie.analytics import court_selectors, tasks
from youjie.analytics.court_contributions import COLUMNS
from youjie.analytics.court_selectors import court_figures_basis
from youjie.analytics.models import CourtFigureCase, CourtFigureDay, FigureRefresh
from youjie.analytics.periods import Period
from youjie.analytics.services import court_figures_rebuild, court_figures_refresh
from youjie.courtcases.deadlines import limit_due
from youjie.courtcases.models import CourtCase
from youjie.orgs.models import OrgUnit, User

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
FIRST, LAST = date(2023, 1, 1), date(2026, 12, 31)
TYPES = ("民初", "民初", "刑初", "行初", "民终", "刑终", "执", "民特", "诉前调")
RESULTS = ("", "affirmed", "reversed", "remanded", "withdrawn", "other")
FILTERS: tuple[dict[str, str], ...] = (
    {},
    {"division": "civil"},
    {"judge": "judge"},
    {"type_code": "民初"},
    {"type_code": "诉前调"},
    {"division": "civil", "type_code": "执"},
)

days = st.dates(min_value=FIRST, max_value=LAST)
cases_strategy = st.lists(
    st.fixed_dictionaries(
        {
            "filed": st.one_of(st.none(), days, days, days, days),
            # None: open; negative: closed before it was filed (the admin allows it).
            "duration": st.one_of(st.none(), st.integers(-30, 420), st.integers(0, 200)),
            "type_code": st.sampled_from(TYPES),
            "division": st.sampled_from(("civil", "civil", "criminal", None)),
            "judge": st.sampled_from(("judge", "other", None)),
            "appealed": st.booleans(),
            "petitioned": st.booleans(),
            "result": st.sampled_from(RESULTS),
        }
    ),
    max_size=40,
)
periods_strategy = st.lists(
    st.tuples(
        st.dates(min_value=date(2023, 6, 1), max_value=LAST),
        st.integers(min_value=0, max_value=800),
    ).map(lambda pair: Period(pair[0], min(pair[0] + timedelta(days=pair[1]), LAST))),
    min_size=1,
    max_size=3,
)


class Court:
    """The demo court's people and units the generated cases name."""

    def __init__(self, court: OrgUnit, judge: User, other_judge: User) -> None:
        self.court = court
        self.units = {
            "civil": OrgUnit.objects.get(code="BT-BYEB-MS"),
            "criminal": OrgUnit.objects.get(code="BT-BYEB-XS"),
            None: None,
        }
        self.judges = {"judge": judge, "other": other_judge, None: None}

    def load(self, cases: list[dict[str, Any]], *, start: int = 1) -> list[CourtCase]:
        made = []
        for number, spec in enumerate(cases, start=start):
            filed = spec["filed"]
            duration = spec["duration"]
            if filed is None:
                closed = date(2025, 5, 5) if duration is not None else None
            else:
                closed = None if duration is None else filed + timedelta(days=duration)
            made.append(
                CourtCase(
                    case_number=f"（2025）内0206{spec['type_code']}{number}号",
                    year=2025,
                    court_code="内0206",
                    type_code=spec["type_code"],
                    sequence=number,
                    court=self.court,
                    division=self.units[spec["division"]],
                    judge=self.judges[spec["judge"]],
                    filed_on=filed,
                    closed_on=closed,
                    appealed=spec["appealed"],
                    petitioned=spec["petitioned"],
                    second_instance_result=spec["result"] if spec["appealed"] else "",
                )
            )
        return CourtCase.objects.bulk_create(made)

    def filters(self, spec: dict[str, str]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        if "division" in spec:
            result["division_id"] = self.units[spec["division"]].pk  # type: ignore[union-attr]
        if "judge" in spec:
            result["judge_id"] = self.judges[spec["judge"]].pk  # type: ignore[union-attr]
        if "type_code" in spec:
            result["type_code"] = spec["type_code"]
        return result


@pytest.fixture
def bayan_obo(court: OrgUnit, judge: User, other_judge: User) -> Court:
    return Court(court, judge, other_judge)


def edge_periods(made: list[CourtCase], limit: int = 4) -> list[Period]:
    """Periods whose bounds fall on the cases' own dates and the days after them, where an
    off-by-one day would show (a case closed on the start day, filed on the end day …)."""
    found: list[Period] = []
    for case in made:
        if case.filed_on is None or len(found) >= 5 * limit:
            continue
        filed, closed = case.filed_on, case.closed_on
        found.append(Period(filed, filed + timedelta(days=30)))
        due = limit_due(filed, case.type_code)
        if due is not None:  # the limit's last day, and the first day past it
            found.extend([Period(due - timedelta(days=30), due), Period(due, due + timedelta(1))])
        if closed is not None:
            low, high = min(filed, closed), max(filed, closed)
            found.append(Period(low + timedelta(days=1), high))
            found.append(Period(closed, closed))
    return [period for period in found if FIRST <= period.start <= period.end <= LAST]


def shape(figures: Any) -> tuple[Any, ...]:
    """What the page and the API show, without the moment (数据截至 differs by definition)."""

    def rows(items: list[Any]) -> list[tuple[Any, ...]]:
        return [(row.key, row.label, row.current, row.previous) for row in items]

    return (
        figures.period,
        figures.previous_period,
        figures.basis_label,
        figures.total.current,
        figures.total.previous,
        rows(figures.by_division),
        rows(figures.by_type),
    )


def day_table() -> dict[tuple[Any, ...], list[int]]:
    return {
        (row.grain, row.court_id, row.division_id, row.judge_id, row.type_code, row.day,
         row.filed_after): [getattr(row, name) for name in COLUMNS]
        for row in CourtFigureDay.objects.all()
    }  # fmt: skip


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    cases=cases_strategy,
    periods=periods_strategy,
    filters=st.sampled_from(FILTERS),
    subtract=st.sampled_from((["appealed"], ["appealed", "petitioned"])),
)
def test_the_day_table_gives_the_figures_of_the_cases(
    bayan_obo: Court,
    court_leader: User,
    division_head: User,
    cases: list[dict[str, Any]],
    periods: list[Period],
    filters: dict[str, str],
    subtract: list[str],
) -> None:
    CourtCase.objects.all().delete()
    made = bayan_obo.load(cases)
    court_figures_rebuild()
    with override_settings(YOUJIE_ACCEPTANCE_RATE_SUBTRACT=subtract):
        for user in (court_leader, division_head):
            if user is division_head and filters.get("division") == "criminal":
                continue
            basis = court_figures_basis(
                user=user, court_code="内0206", **bayan_obo.filters(filters)
            )
            extra = [Period(date(2024, 2, 29), date(2025, 3, 1)), *edge_periods(made)]
            for period in [*periods, *extra]:
                from_days = court_selectors.court_figures(basis=basis, period=period)
                from_cases = court_selectors.court_figures_from_cases(basis=basis, period=period)
                assert shape(from_days) == shape(from_cases), (user.username, period)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    before=cases_strategy,
    after=cases_strategy,
    removed=st.integers(min_value=0, max_value=5),
    moved_court=st.integers(min_value=0, max_value=3),
)
def test_a_refresh_leaves_the_table_a_rebuild_would_make(
    bayan_obo: Court,
    qingshan_court: OrgUnit,
    before: list[dict[str, Any]],
    after: list[dict[str, Any]],
    removed: int,
    moved_court: int,
) -> None:
    CourtCase.objects.all().delete()
    t0 = datetime(2026, 12, 7, 9, 0, tzinfo=SHANGHAI)
    with time_machine.travel(t0, tick=False):
        made = bayan_obo.load(before)
        court_figures_rebuild()
    # An import an hour later rewrites the first cases with the values of ``after`` (dates,
    # divisions, judges, types stay with the number), adds the rest, moves a few to another
    # court; a case is removed in the admin.
    with time_machine.travel(t0 + timedelta(hours=1), tick=False):
        fresh = bayan_obo.load(after, start=len(before) + 1)
        for case, new in zip(made, fresh, strict=False):
            CourtCase.objects.filter(pk=case.pk).update(
                filed_on=new.filed_on,
                closed_on=new.closed_on,
                division=new.division,
                judge=new.judge,
                appealed=new.appealed,
                petitioned=new.petitioned,
                second_instance_result=new.second_instance_result,
                updated_at=t0 + timedelta(hours=1),
            )
        for case in made[:moved_court]:
            CourtCase.objects.filter(pk=case.pk).update(
                court=qingshan_court, updated_at=t0 + timedelta(hours=1)
            )
        if removed:
            CourtCase.objects.filter(pk__in=[case.pk for case in made[-removed:]]).delete()
    with time_machine.travel(t0 + timedelta(hours=1, minutes=1), tick=False):
        result = court_figures_refresh()
    refreshed = day_table()
    assert result.rebuilt is False
    assert CourtFigureCase.objects.count() == CourtCase.objects.count()
    court_figures_rebuild()
    assert refreshed == day_table()


def test_a_refresh_reads_a_batch_stamped_before_the_last_refresh(
    bayan_obo: Court, court_leader: User
) -> None:
    t0 = datetime(2026, 12, 7, 9, 0, tzinfo=SHANGHAI)
    with time_machine.travel(t0, tick=False):
        court_figures_rebuild()
    spec = {"filed": date(2026, 3, 2), "duration": 5, "type_code": "民初", "division": "civil",
            "judge": None, "appealed": False, "petitioned": False, "result": ""}  # fmt: skip
    with time_machine.travel(t0 + timedelta(minutes=3), tick=False):
        court_figures_refresh()  # the batch below is not committed yet
    # Stamped at 09:02 (before the 09:03 refresh), committed at 09:04.
    with time_machine.travel(t0 + timedelta(minutes=2), tick=False):
        bayan_obo.load([spec])
    with time_machine.travel(t0 + timedelta(minutes=4), tick=False):
        result = court_figures_refresh()
        again = court_figures_refresh()
    assert (result.cases, again.cases, again.rows) == (1, 0, 0)
    basis = court_figures_basis(user=court_leader, court_code="内0206")
    figures = court_selectors.court_figures(basis=basis, period=Period(date(2026, 3, 1), LAST))
    assert (figures.total.current.new, figures.total.current.closed) == (1, 1)
    assert figures.as_of == t0 + timedelta(minutes=4)  # 数据截至: the last refresh


def test_the_first_refresh_builds_the_table(bayan_obo: Court) -> None:
    spec = {"filed": date(2026, 1, 2), "duration": None, "type_code": "执", "division": None,
            "judge": None, "appealed": False, "petitioned": False, "result": ""}  # fmt: skip
    bayan_obo.load([spec])
    assert not FigureRefresh.objects.exists()
    result = court_figures_refresh()
    assert result.rebuilt and result.cases == 1
    days = CourtFigureDay.objects.filter(grain="day")
    assert days.get(day=date(2026, 1, 2)).new == 1
    # 执's six months run to 2026-07-02: over the limit from the 3rd while still open.
    assert days.get(day=date(2026, 7, 3)).over_limit_from == 1
    months = CourtFigureDay.objects.filter(grain="month")
    assert [(row.day, row.new, row.over_limit_from) for row in months.order_by("day")] == [
        (date(2026, 1, 1), 1, 0),
        (date(2026, 7, 1), 0, 1),
    ]


def test_the_task_claims_its_tick(bayan_obo: Court) -> None:
    moment = datetime(2026, 12, 7, 9, 30, 10, tzinfo=SHANGHAI)
    with time_machine.travel(moment, tick=False):
        first = tasks.court_figures_refresh_task.call_local()
        second = tasks.court_figures_refresh_task.call_local()  # another consumer, same minute
    assert first == 0 and second is None
    assert FigureRefresh.objects.get().refreshed_at == moment
    spec = {"filed": date(2026, 12, 1), "duration": 3, "type_code": "民初", "division": "civil",
            "judge": None, "appealed": True, "petitioned": False, "result": ""}  # fmt: skip
    with time_machine.travel(moment + timedelta(minutes=1), tick=False):
        bayan_obo.load([spec])
        assert tasks.court_figures_refresh_task.call_local() == 1
    assert FigureRefresh.objects.get().refreshed_at == moment + timedelta(minutes=1)


def test_the_rebuild_command_is_idempotent(bayan_obo: Court) -> None:
    spec = {"filed": date(2025, 12, 1), "duration": 40, "type_code": "刑初",
            "division": "criminal", "judge": "judge", "appealed": True, "petitioned": True,
            "result": "remanded"}  # fmt: skip
    bayan_obo.load([spec, {**spec, "filed": date(2025, 11, 3), "duration": None}])
    out = StringIO()
    call_command("analytics_rebuild", stdout=out)
    first = day_table()
    call_command("analytics_rebuild", stdout=StringIO())
    assert day_table() == first and first
    assert "2 件案件" in out.getvalue() and "数据截至" in out.getvalue()


def test_the_api_says_as_of_when(bayan_obo: Court, court_leader: User, settings: Any) -> None:
    settings.YOUJIE_OTP_ENFORCED = False
    moment = datetime(2026, 12, 7, 8, 0, tzinfo=SHANGHAI)
    with time_machine.travel(moment, tick=False):
        court_figures_rebuild()
    client = Client()
    client.force_login(court_leader)
    query = {"court": "内0206", "start": "2026-01-01", "end": "2026-06-30"}
    body = client.get("/api/v1/analytics/court-figures", query).json()
    assert datetime.fromisoformat(body["as_of"]) == moment
    page = client.get("/analytics/court/", {"start": "2026-01-01", "end": "2026-06-30"})
    assert "数据截至：2026-12-07 08:00" in page.content.decode()
