"""The desk figures' day table (issue 15 item 3): kept by the background engine, read by the
dashboards, and equal to the figures computed from the requests themselves.

A seeded random court (two divisions, three assignees, every channel and status, responses on
time and late, deadlines still running, supervision after the deadline, ratings, visits) over
2024–2025 is rebuilt into the table; for several periods and for the court leader, the
division head and the city office, the figures read from the table equal
``desk_figures_from_requests`` as of the rebuild's moment. Then requests change the way the
desk changes them (an interim reply that writes only an event, a reply, a transfer to the other
division, a rating, a visit, a supervision, a new request, a deleted one) and time passes over
a running deadline: one refresh brings the table level with the requests again.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import Any

import pytest
import time_machine

from youjie.analytics import selectors
from youjie.analytics.desk_contributions import COLUMNS, VISIT_COLUMNS
from youjie.analytics.figures import DeskFigures
from youjie.analytics.models import DeskFigureDay, DeskFigureRequest
from youjie.analytics.periods import Period
from youjie.analytics.services import desk_figures_rebuild, desk_figures_refresh
from youjie.analytics.tests.conftest import SHANGHAI, make_request, rate, visit
from youjie.core.models import Event
from youjie.desk.catalog import install_default_matter_types
from youjie.desk.choices import Channel, RequestStatus, ReturnVisitResult
from youjie.desk.models import ServiceRequest, Supervision
from youjie.orgs.models import OrgUnit, User

pytestmark = pytest.mark.django_db
T0 = datetime(2025, 6, 2, 9, 0, tzinfo=SHANGHAI)
PERIODS = (
    Period(date(2025, 3, 1), date(2025, 3, 31)),  # a whole month
    Period(date(2025, 2, 14), date(2025, 5, 9)),  # cut months at both ends
    Period(date(2025, 1, 1), date(2025, 6, 2)),  # 本年 up to today
    Period(date(2025, 6, 2), date(2025, 6, 2)),  # today
    Period(date(2024, 12, 31), date(2025, 1, 1)),  # over a year's end
)
MATTER_TYPES = ("contact_judge", "case_query", "filing_consult")


def _moment(rng: random.Random) -> datetime:
    start = datetime(2024, 1, 1, tzinfo=SHANGHAI)
    return start + timedelta(minutes=rng.randrange(0, 522 * 24 * 60))


def _seed(court: OrgUnit, divisions: list[OrgUnit], judges: list[User], supervisor: User) -> None:
    rng = random.Random(15)
    statuses = list(RequestStatus.values)
    for _ in range(160):
        created = _moment(rng)
        first_due = created + timedelta(hours=rng.choice([2, 6, 30]))
        completion_due = created + timedelta(days=rng.choice([3, 7, 20]))
        status = rng.choice(statuses)
        responded = None
        if rng.random() < 0.75:
            responded = created + timedelta(hours=rng.choice([1, 4, 8, 50]))
        replied = None
        if status in ("replied", "closed") or rng.random() < 0.1:
            replied = created + timedelta(days=rng.choice([1, 5, 9, 25]))
        service_request = make_request(
            court=court,
            division=rng.choice([*divisions, None]),
            assignee=rng.choice([*judges, None]),
            channel=rng.choice(Channel.values),
            matter_type=rng.choice(MATTER_TYPES),
            status=status,
            stamps={
                "created_at": created,
                "first_response_due": first_due,
                "first_responded_at": responded,
                "completion_due": completion_due,
                "replied_at": replied,
            },
        )
        if rng.random() < 0.3:
            rate(service_request, rng.randint(1, 5), created + timedelta(days=rng.randint(1, 30)))
        if rng.random() < 0.25:
            visit(
                service_request,
                rng.choice(ReturnVisitResult.values),
                created + timedelta(days=rng.randint(2, 40)),
            )
        if rng.random() < 0.15:
            _supervise(service_request, supervisor, after_deadline=rng.random() < 0.6)


def _supervise(service_request: ServiceRequest, supervisor: User, *, after_deadline: bool) -> None:
    supervision = Supervision.objects.create(
        service_request=service_request,
        supervisor=supervisor,
        reason="督办",
        new_deadline=service_request.completion_due + timedelta(days=3),
        previous_deadline=service_request.completion_due,
    )
    moved = timedelta(days=1 if after_deadline else -1)
    Supervision.objects.filter(pk=supervision.pk).update(
        created_at=service_request.completion_due + moved
    )


def _shape(figures: DeskFigures) -> dict[str, Any]:
    """Every non-empty row of every breakdown, and the total, as comparable values."""

    def counts(row: Any) -> tuple[Any, ...]:
        return (row.current, row.previous)

    shape: dict[str, Any] = {"total": counts(figures.total)}
    for breakdown in figures.breakdowns:
        shape[breakdown.key] = [
            (row.key, row.label, *counts(row))
            for row in breakdown.rows
            if counts(row) != counts(type(row)(key="", label=""))
        ]
    return shape


def _assert_level(users: list[User], now: datetime) -> None:
    for user in users:
        basis = selectors.desk_figures_basis(user=user)
        assert basis.days is not None
        for period in PERIODS:
            kept = selectors.desk_figures(basis=basis, period=period)
            computed = selectors.desk_figures_from_requests(basis=basis, period=period, now=now)
            assert kept.as_of == now
            assert _shape(kept) == _shape(computed), (user.username, period)


@pytest.fixture
def seeded(
    court: OrgUnit,
    civil_division: OrgUnit,
    judge: User,
    other_judge: User,
    division_head: User,
) -> None:
    install_default_matter_types()
    enforcement = OrgUnit.objects.get(code="BT-BYEB-ZX")
    _seed(court, [civil_division, enforcement], [judge, other_judge, division_head], division_head)


def test_the_table_gives_the_figures_the_requests_give(
    seeded: None, court_leader: User, division_head: User, city_officer: User
) -> None:
    result = desk_figures_rebuild(now=T0)
    assert result.rebuilt and result.cases == 160 and result.rows > 0
    assert DeskFigureRequest.objects.count() == 160
    # Something of every kind was counted: the comparison below is not between empty tables.
    for column in COLUMNS:
        assert DeskFigureDay.objects.filter(**{f"{column}__gt": 0}).exists(), column
    assert set(VISIT_COLUMNS) == set(ReturnVisitResult.values)
    _assert_level([court_leader, division_head, city_officer], T0)


def test_one_refresh_follows_every_kind_of_change_and_the_clock(
    seeded: None,
    court: OrgUnit,
    civil_division: OrgUnit,
    court_leader: User,
    division_head: User,
    city_officer: User,
    judge: User,
) -> None:
    t1 = T0 + timedelta(hours=5)
    # Running, untouched from here on: its first-response deadline passes between T0 and t1.
    running = make_request(
        court=court,
        division=civil_division,
        status="in_progress",
        stamps={
            "created_at": T0 - timedelta(hours=1),
            "first_response_due": T0 + timedelta(hours=2),
            "first_responded_at": None,
            "completion_due": T0 + timedelta(days=5),
            "replied_at": None,
            "updated_at": T0 - timedelta(hours=1),
        },
    )
    desk_figures_rebuild(now=T0)
    assert COLUMNS.index("response_decided") not in {
        column for _day, column, _amount in DeskFigureRequest.objects.get(pk=running.pk).counts
    }

    requests = list(ServiceRequest.objects.exclude(pk=running.pk).order_by("pk"))
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        # An interim reply: the first response saved without updated_at, and its event.
        interim = next(r for r in requests if r.first_responded_at is None)
        ServiceRequest.objects.filter(pk=interim.pk).update(first_responded_at=T0)
        Event.objects.create(
            subject_type="desk.servicerequest", subject_id=str(interim.pk), verb="interim_reply"
        )
        stamp = {"updated_at": T0 + timedelta(hours=1)}
        answered = next(r for r in requests if r.status == "in_progress")
        ServiceRequest.objects.filter(pk=answered.pk).update(
            status="replied", replied_at=T0 + timedelta(hours=1), **stamp
        )
        moved = next(r for r in requests if r.division_id == civil_division.pk)
        ServiceRequest.objects.filter(pk=moved.pk).update(
            division=OrgUnit.objects.get(code="BT-BYEB-ZX"), assignee=None, **stamp
        )
        rated = next(r for r in requests if not hasattr(r, "feedback"))
        rate(rated, 2, T0 + timedelta(hours=1))
        visit(requests[3], "unresolved", T0 + timedelta(hours=1))
        supervised = next(r for r in requests if r.status == "registered")
        Supervision.objects.create(
            service_request=supervised,
            supervisor=division_head,
            reason="超期督办",
            new_deadline=T0 + timedelta(days=2),
            previous_deadline=T0 - timedelta(days=1),
        )
        make_request(
            court=court,
            division=civil_division,
            assignee=judge,
            channel="wechat",
            status="registered",
            stamps={
                "created_at": T0 + timedelta(hours=1),
                "first_response_due": T0 + timedelta(hours=3),
                "first_responded_at": None,
                "completion_due": T0 + timedelta(days=3),
                "replied_at": None,
            },
        )
        ServiceRequest.objects.filter(pk=requests[-1].pk).delete()

    result = desk_figures_refresh(now=t1)
    _assert_level([court_leader, division_head, city_officer], t1)
    assert not result.rebuilt and result.cases > 0
    ledger = DeskFigureRequest.objects.in_bulk([moved.pk, answered.pk, rated.pk, interim.pk])
    assert ledger[moved.pk].division_id == OrgUnit.objects.get(code="BT-BYEB-ZX").pk
    today = T0.date().toordinal()
    # Answered late: still late, on the day its deadline fell (nothing moves).
    assert [answered.completion_due.astimezone(SHANGHAI).date().toordinal(),
            COLUMNS.index("completion_decided"), 1] in ledger[answered.pk].counts  # fmt: skip
    assert [today, COLUMNS.index("rated"), 1] in ledger[rated.pk].counts
    interim_counts = {column for _day, column, _amount in ledger[interim.pk].counts}
    assert COLUMNS.index("response_decided") in interim_counts  # on time or late, decided now
    assert not DeskFigureRequest.objects.filter(pk=requests[-1].pk).exists()
    # The running request's first response is late from t1: counted on its deadline's day.
    kept = DeskFigureRequest.objects.get(pk=running.pk)
    assert [T0.date().toordinal(), COLUMNS.index("response_decided"), 1] in kept.counts

    again = desk_figures_refresh(now=t1 + timedelta(minutes=1))
    assert again.cases == 0  # nothing changed since


def test_a_judge_s_own_figures_are_computed_from_the_requests(seeded: None, judge: User) -> None:
    desk_figures_rebuild(now=T0)
    basis = selectors.desk_figures_basis(user=judge)
    assert basis.days is None
    figures = selectors.desk_figures(basis=basis, period=PERIODS[2], now=T0)
    assert figures.as_of == T0 and figures.total.current.received > 0


def test_the_page_reads_the_table_and_says_as_of_when(
    seeded: None, court_leader: User, settings: Any
) -> None:
    from django.test import Client

    from youjie.analytics import tasks

    settings.YOUJIE_OTP_ENFORCED = False
    desk_figures_rebuild(now=T0)
    client = Client()
    client.force_login(court_leader)
    with time_machine.travel(T0 + timedelta(seconds=20), tick=False):
        response = client.get("/analytics/desk/", {"preset": "year"})
    assert response.status_code == 200
    assert '<span id="desk-figures-as-of">数据截至：2025-06-02 09:00</span>' in response.text
    year = Period(date(2025, 1, 1), date(2025, 6, 2))
    basis = selectors.desk_figures_basis(user=court_leader)
    expected = selectors.desk_figures_from_requests(basis=basis, period=year, now=T0)
    assert response.context["figures"].total.current == expected.total.current
    with time_machine.travel(T0 + timedelta(minutes=1), tick=False):
        assert tasks.desk_figures_refresh_task.call_local() == 0  # nothing changed
        assert tasks.desk_figures_refresh_task.call_local() is None  # another consumer's tick
        response = client.get("/analytics/desk/", {"preset": "year"})
    assert '<span id="desk-figures-as-of">数据截至：2025-06-02 09:01</span>' in response.text


def test_kept_figures_are_a_cached_fragment_until_the_next_refresh(
    seeded: None, court_leader: User, settings: Any
) -> None:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.YOUJIE_OTP_ENFORCED = False
    cache.clear()
    desk_figures_rebuild(now=T0)
    client = Client()
    client.force_login(court_leader)

    def page() -> tuple[str, list[str]]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/analytics/desk/", {"preset": "year"})
        assert response.status_code == 200
        return response.text, [query["sql"] for query in queries]

    with time_machine.travel(T0 + timedelta(seconds=20), tick=False):
        first, first_sql = page()
        again, again_sql = page()
    assert any("analytics_deskfigureday" in sql for sql in first_sql)
    assert not any("analytics_deskfigureday" in sql for sql in again_sql)  # the fragment
    fragment = first[first.index("统计范围") :]  # the figures (the head differs: CSRF token)
    assert fragment == again[again.index("统计范围") :] and "数据截至：2025-06-02 09:00" in fragment
    with time_machine.travel(T0 + timedelta(minutes=1), tick=False):
        desk_figures_refresh()
        later, later_sql = page()
    assert any("analytics_deskfigureday" in sql for sql in later_sql)  # a new 数据截至: read
    assert "数据截至：2025-06-02 09:01" in later
