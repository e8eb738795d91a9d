"""The court figures from the database: the hand-built March (conftest.court_march), the period's
boundaries, the year-earlier period, scoping, the configurable numerator, and every count's
drill-down list holding exactly the cases it counts. Each test runs twice: over the cases
(``court_figures_from_cases``, the definition) and over the day table the background engine
keeps (``court_figures``, what the page and the API read), rebuilt just before."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.http import QueryDict

from youjie.analytics import court_selectors
from youjie.analytics.court_figures import COUNT_KEYS, CourtCounts, drill_query
from youjie.analytics.court_selectors import court_figures_basis
from youjie.analytics.periods import Period
from youjie.analytics.services import court_figures_rebuild
from youjie.analytics.tests.conftest import CourtMarch, court_case
from youjie.core.errors import NotFound, PermissionDenied, ValidationFailed
from youjie.courtcases.forms import CaseFilterForm
from youjie.courtcases.selectors import court_case_list

pytestmark = pytest.mark.django_db
MARCH = Period(date(2026, 3, 1), date(2026, 3, 31))
READ = {"source": "cases"}  # set per test by the autouse fixture below


@pytest.fixture(autouse=True, params=["cases", "days"])
def source(request: pytest.FixtureRequest) -> str:
    READ["source"] = str(request.param)
    return READ["source"]


def court_figures(*, basis: Any, period: Period) -> Any:
    """The figures from the cases, or from the day table rebuilt from the cases as they are."""
    if READ["source"] == "cases":
        return court_selectors.court_figures_from_cases(basis=basis, period=period)
    court_figures_rebuild()
    return court_selectors.court_figures(basis=basis, period=period)


def figures_for(user: Any, **filters: Any) -> Any:
    basis = court_figures_basis(user=user, court_code="内0206", **filters)
    return court_figures(basis=basis, period=MARCH)


def test_the_march_figures(
    court_leader, court_march: CourtMarch, django_assert_num_queries, source: str
):
    basis = court_figures_basis(user=court_leader, court_code="内0206")
    if source == "days":
        court_figures_rebuild()
    # From the cases: the grouped aggregate and the last import; from the day table, first
    # the table's state (数据截至).
    with django_assert_num_queries(2 if source == "cases" else 3):
        figures = (
            court_selectors.court_figures_from_cases(basis=basis, period=MARCH)
            if source == "cases"
            else court_selectors.court_figures(basis=basis, period=MARCH)
        )
    total = figures.total.current
    assert total == CourtCounts(
        carried_over=6,  # A F G H I J
        new=5,  # C D L N O (K is pre-litigation, E is April)
        closed=8,  # A D F I J L N O (M has no filing date)
        first_instance_closed=7,  # A D F I J N O (民初 unless said otherwise; O is 刑初)
        appealed=1,  # F
        petitioned=1,  # N
        not_accepted=1,  # F: only appeals are subtracted by default
        reversed_or_remanded=1,  # F
        days_to_close=19 + 0 + 85 + 182 + 181 + 10 + 8 + 22,
        over_limit_closed=1,  # I
        over_limit_open=1,  # G
    )
    assert total.received == 11
    assert total.closure_rate == Decimal("72.73")  # 8 ÷ 11
    assert total.closed_to_new_ratio == Decimal("160.00")  # 8 ÷ 5
    assert total.acceptance_rate == Decimal("85.71")  # (7 − 1) ÷ 7
    assert total.appeal_rate == Decimal("14.29")  # 1 ÷ 7: the two sum to 100
    assert total.reversal_rate == Decimal("14.29")
    assert total.average_days_to_close == Decimal("63.4")  # 507 ÷ 8
    # March 2025: Q carried over, P new and closed.
    before = figures.total.previous
    assert (before.carried_over, before.new, before.closed, before.first_instance_closed) == (
        1,
        1,
        1,
        1,
    )
    assert before.closure_rate == Decimal("50.00")
    assert figures.previous_period == Period(date(2025, 3, 1), date(2025, 3, 31))
    lines = {line.key: line for line in figures.total_lines()}
    assert lines["closure_rate"].change == "+22.73个百分点"
    assert lines["acceptance_rate"].change == "-14.29个百分点"  # 85.71 against 100.00 (P)
    assert lines["new"].change == "+400.0%"
    assert lines["average_days_to_close"].current == "63.4"


def test_breakdowns_by_division_and_type_add_up(court_leader, court_march: CourtMarch):
    figures = figures_for(court_leader)
    assert [row.label for row in figures.by_division] == ["民事审判庭", "刑事审判庭"]
    civil, criminal = figures.by_division
    assert (civil.current.closed, criminal.current.closed) == (7, 1)
    assert [row.label for row in figures.by_type] == ["民初", "执", "刑初"]  # the standard's order
    for rows in (figures.by_division, figures.by_type):
        for key in COUNT_KEYS:
            assert sum(getattr(row.current, key) for row in rows) == getattr(
                figures.total.current, key
            )


def test_filters_narrow_the_figures(court_leader, judge, court_march: CourtMarch):
    civil = figures_for(court_leader, division_id=court_march.cases["A"].division_id).total
    assert (civil.current.closed, civil.current.first_instance_closed) == (7, 6)
    own = figures_for(court_leader, judge_id=judge.pk).total.current
    assert (own.carried_over, own.new, own.closed) == (2, 1, 3)  # A F; D; A D F
    enforcement = figures_for(court_leader, type_code="执").total.current
    assert (enforcement.new, enforcement.closed, enforcement.first_instance_closed) == (1, 1, 0)
    pre = figures_for(court_leader, type_code="诉前调").total.current
    assert pre.new == 1  # named by the type filter, the pre-litigation number counts


def test_the_configured_numerator_also_subtracts_petitions(
    settings, court_leader, court_march: CourtMarch
):
    settings.YOUJIE_ACCEPTANCE_RATE_SUBTRACT = ["appealed", "petitioned"]
    figures = figures_for(court_leader)
    assert figures.subtracts == ("appealed", "petitioned")
    assert figures.total.current.acceptance_rate == Decimal("71.43")  # (7 − 1 − 1) ÷ 7
    assert figures.total.current.appeal_rate == Decimal("14.29")


def test_a_case_appealed_and_petitioned_is_subtracted_once(settings, court_leader, court):
    settings.YOUJIE_ACCEPTANCE_RATE_SUBTRACT = ["appealed", "petitioned"]
    court_case(court, 1, division=None, filed="2026-03-02", closed="2026-03-10", appealed=True,
               petitioned=True)  # fmt: skip
    court_case(court, 2, division=None, filed="2026-03-02", closed="2026-03-10")
    total = figures_for(court_leader).total.current
    assert (total.not_accepted, total.acceptance_rate) == (1, Decimal("50.00"))
    assert figures_for(court_leader).by_division[0].label == "未分派庭室"


def test_the_year_earlier_period_of_29_february(court_leader, court):
    court_case(court, 1, division=None, filed="2023-02-28", year=2023)
    court_case(court, 2, division=None, filed="2024-02-29", year=2024)
    basis = court_figures_basis(user=court_leader, court_code="内0206")
    figures = court_figures(basis=basis, period=Period(date(2024, 2, 29), date(2024, 2, 29)))
    assert figures.previous_period == Period(date(2023, 2, 28), date(2023, 2, 28))
    assert (figures.total.current.new, figures.total.previous.new) == (1, 1)


def test_division_head_sees_their_division_only(division_head, court_march: CourtMarch):
    figures = figures_for(division_head)
    assert [row.label for row in figures.by_division] == ["民事审判庭"]
    assert figures.total.current.closed == 7  # O, in the criminal division, is not theirs
    assert figures.basis_label == "民事审判庭"
    with pytest.raises(NotFound):
        figures_for(division_head, division_id=court_march.criminal_division.pk)


def test_who_may_read_and_what_is_refused(
    receptionist, judge, city_officer, court_leader, court_march: CourtMarch
):
    for user in (receptionist, judge, city_officer):
        with pytest.raises(PermissionDenied):
            court_figures_basis(user=user, court_code="内0206")
    with pytest.raises(NotFound):
        court_figures_basis(user=court_leader, court_code="内0205")  # another court
    with pytest.raises(NotFound):
        court_figures_basis(user=court_leader, court_code="内0206", judge_id=10**12)
    with pytest.raises(ValidationFailed) as unknown:
        court_figures_basis(user=court_leader, court_code="内0206", type_code="民出")
    assert unknown.value.code == "unknown_type"


def _listed(user: Any, query: str) -> int:
    form = CaseFilterForm(QueryDict(query))
    filters = form.filters()
    assert filters["drill"] is not None and not form.errors, form.errors
    return court_case_list(user=user, **filters).count()


@pytest.mark.parametrize("persona", ["court_leader", "division_head"])
def test_every_count_links_to_exactly_its_cases(request, persona, court_march: CourtMarch):
    """Each count's link (the total, each division, each type; both periods) lists as many
    cases as the figure counts: the figures and the list share one definition."""
    user = request.getfixturevalue(persona)
    figures = figures_for(user)
    checked = 0
    rows = [figures.total, *figures.by_division, *figures.by_type]
    for row in rows:
        for counts, period in ((row.current, MARCH), (row.previous, figures.previous_period)):
            for key in COUNT_KEYS:
                query = drill_query(key, period, row.filters)
                if query:
                    assert _listed(user, query) == getattr(counts, key), (row.label, key, period)
                    checked += 1
    assert checked == len(rows) * 2 * len(COUNT_KEYS)  # every count of every row has a list
