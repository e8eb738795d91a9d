"""Each desk figure and its change on last year, worked out by hand from conftest.desk_year.

March 2025 (now = 2 June 2025, so every March deadline has passed):
  received      r1 r2 r3 r4 r6 r7 r8 = 7 (r5 was registered in February)
  回音 on time   r1 r4 r7 (responded in March, by the deadline) = 3
  回音 late      r2 (responded after 03-11 09:00), r3 (none, in progress) = 2
                 r6 merged and r8 paused without a response are not counted → 3/5 = 60.0%
  办结 on time   r1 (03-04 ≤ 03-05), r5 (replied 03-02 10:00 ≤ 17:30) = 2
  办结 late      r2 (03-18 > 03-17), r3 (unanswered, due 03-28), r7 (answered by the
                 supervision deadline, but supervised after its 03-10 deadline) = 3 → 2/5 = 40.0%
                 r4 is due in April; r6 merged; r8 paused
  satisfaction  r1 5, r5 3 → mean 4.00, ≥4: 1/2 = 50.0%
  visits        resolved 1 (r1), unresolved 1 (r5); r2's visit is pending
March 2024: received 3; 回音 3/3 = 100%; 办结 p1 p3 on time, p2 late → 2/3 = 66.7%;
  satisfaction p1 4 → 4.00, 100%; visits resolved 1.
"""

from __future__ import annotations

from datetime import date

import pytest

from youjie.analytics import selectors
from youjie.analytics.periods import Period
from youjie.core.errors import PermissionDenied

from .conftest import NOW

pytestmark = pytest.mark.django_db
MARCH = Period(start=date(2025, 3, 1), end=date(2025, 3, 31))


def figures_for(user):
    basis = selectors.desk_figures_basis(user=user)
    return selectors.desk_figures(basis=basis, period=MARCH, now=NOW)


def rows_by_label(figures, key):
    return {row.label: row for row in figures.breakdown(key).rows}


def test_totals_and_changes_for_the_court(court_leader, desk_year):
    figures = figures_for(court_leader)
    total = figures.total
    current, previous = total.current, total.previous
    assert figures.period_label == "2025-03-01 至 2025-03-31"
    assert figures.previous_label == "2024-03-01 至 2024-03-31"
    assert (current.received, previous.received) == (7, 3)
    assert total.received_change == "+133.3%"
    assert (current.response_on_time, current.response_decided) == (3, 5)
    assert (previous.response_on_time, previous.response_decided) == (3, 3)
    assert (total.response_rate, total.response_rate_previous) == ("60.0%", "100.0%")
    assert total.response_rate_change == "-40.0个百分点"
    assert (current.completion_on_time, current.completion_decided) == (2, 5)
    assert (previous.completion_on_time, previous.completion_decided) == (2, 3)
    assert (total.completion_rate, total.completion_rate_previous) == ("40.0%", "66.7%")
    # 40 − 66.666… = −26.666… percentage points
    assert total.completion_rate_change == "-26.7个百分点"
    assert (current.rated, current.satisfaction_sum, current.satisfied) == (2, 8, 1)
    assert total.satisfaction_mean == "4.00"
    assert total.satisfaction_mean_change == "持平"
    assert total.satisfied_share == "50.0%"
    assert total.satisfied_share_change == "-50.0个百分点"
    assert current.visits == {"resolved": 1, "unresolved": 1}
    assert previous.visits == {"resolved": 1}
    assert total.visits_change == "+100.0%"


def test_breakdown_by_division_judge_channel_and_matter_type(court_leader, desk_year):
    figures = figures_for(court_leader)
    divisions = rows_by_label(figures, "division")
    assert set(divisions) == {"民事审判庭", "执行局"}
    assert divisions["执行局"].current.received == 1
    assert (
        divisions["执行局"].current.response_on_time,
        divisions["执行局"].current.response_decided,
    ) == (1, 1)
    assert divisions["执行局"].current.completion_decided == 0
    assert divisions["执行局"].completion_rate == "—"
    assert divisions["民事审判庭"].current.received == 6

    judges = rows_by_label(figures, "assignee")
    # Sorted by name, never by a score; the unassigned row last.
    assert [row.label for row in figures.breakdown("assignee").rows] == [
        "李敏",
        "王强",
        "未指定承办人",
    ]
    li = judges["李敏"]  # r1 r2 r6 r8 received; r5 answered in March
    assert li.current.received == 4
    assert (li.current.response_on_time, li.current.response_decided) == (1, 2)
    assert (li.current.completion_on_time, li.current.completion_decided) == (2, 3)
    assert li.response_rate_change == "-50.0个百分点"
    assert li.completion_rate_change == "持平"  # 66.7% both years
    assert li.current.visits == {"resolved": 1, "unresolved": 1}
    wang = judges["王强"]  # r3 late on both counts, r7 on time to respond, late to close
    assert (wang.current.response_on_time, wang.current.response_decided) == (1, 2)
    assert (wang.current.completion_on_time, wang.current.completion_decided) == (0, 2)
    assert wang.completion_rate == "0.0%"
    assert wang.received_change == "—"  # nothing last year: no base for a per cent

    channels = figures.breakdown("channel").rows
    assert [row.label for row in channels] == ["服务专线来电", "来访", "网上诉求", "微信公众号"]
    assert sum(row.current.received for row in channels) == figures.total.current.received

    matter_types = rows_by_label(figures, "matter_type")
    assert matter_types["执行诉求"].current.received == 1
    assert matter_types["联系法官"].current.received == 6
    assert matter_types["联系法官"].previous.received == 3


def test_division_head_sees_only_the_division(division_head, desk_year):
    figures = figures_for(division_head)
    assert figures.basis_label == "本庭室"
    assert figures.total.current.received == 6
    assert [row.label for row in figures.breakdown("division").rows] == ["民事审判庭"]
    assert figures.total.current.response_decided == 4  # r4 (执行局) is out of scope


def test_judge_sees_own_requests(judge, desk_year):
    figures = figures_for(judge)
    assert figures.total.current.received == 4
    assert [row.label for row in figures.breakdown("assignee").rows] == ["李敏"]


def test_city_officer_gets_figures_over_all_courts(city_officer, desk_year):
    basis = selectors.desk_figures_basis(user=city_officer)
    assert basis.aggregates_only
    figures = selectors.desk_figures(basis=basis, period=MARCH, now=NOW)
    assert figures.total.current.received == 7
    assert figures.total.response_rate == "60.0%"


def test_county_officer_and_administrator_are_refused(county_officer, administrator, desk_year):
    for user in (county_officer, administrator):
        with pytest.raises(PermissionDenied):
            selectors.desk_figures_basis(user=user)


def test_a_deadline_not_yet_passed_is_not_counted_late(court_leader, desk_year):
    """Seen on 21 March 10:00 exactly, r3's first-response deadline is not yet past."""
    basis = selectors.desk_figures_basis(user=court_leader)
    on_the_day = selectors.desk_figures(
        basis=basis, period=MARCH, now=desk_year.requests["r3"].first_response_due
    )
    # r2 late; r3 not decided yet; r1 r4 r7 on time (r4 responded on 26 March counts: the row
    # exists already, only its future deadline is not counted).
    assert on_the_day.total.current.response_decided == 4


def test_two_queries_whatever_the_rows(court_leader, desk_year, django_assert_num_queries):
    """From the requests: one grouped query over them, one over the return visits; from the day
    table kept by the background engine: its state, one grouped query per range of rows (March
    and last year's March: a month row range each) and the names of the divisions, assignees
    and matter types. All breakdowns, however many rows."""
    from youjie.analytics.services import desk_figures_rebuild

    basis = selectors.desk_figures_basis(user=court_leader)
    with django_assert_num_queries(2):
        selectors.desk_figures_from_requests(basis=basis, period=MARCH, now=NOW)
    desk_figures_rebuild(now=NOW)
    with django_assert_num_queries(6):
        selectors.desk_figures(basis=basis, period=MARCH)
