"""The desk's scope filter (the right rows through every path, joined or not), and an index
the lists rely on.

On PostgreSQL, scope paths through a forward relation (the court's subtree, the line's owner, the
case's judge) are ``relation IN (SELECT …)`` subqueries, not joins: with a join per path it spent
20–30 ms planning each 26-row queue page at a million requests. SQLite keeps the joins
(``orgs.scoping.scope_queryset``; docs/performance.md, fifth round).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from youjie.desk import selectors, services
from youjie.desk.models import ServiceRequest
from youjie.desk.tests.test_api_support import intake
from youjie.orgs.models import Line, User
from youjie.orgs.scoping import scope_queryset

pytestmark = pytest.mark.django_db


def visible(user: Any) -> set[str]:
    return set(scope_queryset(ServiceRequest.objects.all(), user).values_list("number", flat=True))


def test_each_scope_path_shows_its_requests_to_a_judge_and_no_others(
    receptionist, judge, other_judge, division_head, civil_case, judge_line, matter_types
):
    by_case = intake(receptionist, related_case_number=civil_case.case_number, route=True)
    on_line = intake(receptionist, channel="phone", line_number=judge_line.number)
    assigned = intake(receptionist, requester_mobile="13900003333")
    services.service_request_route(actor=receptionist, service_request=assigned, user=judge)
    elsewhere = intake(receptionist, requester_mobile="13900004444")
    services.service_request_route(actor=receptionist, service_request=elsewhere, user=other_judge)
    unrouted = intake(receptionist, requester_mobile="13900005555")

    assert visible(judge) == {by_case.number, on_line.number, assigned.number}
    assert visible(other_judge) == {elsewhere.number}
    # The receptionist registered all of them (first contact) and sees the court anyway.
    assert visible(receptionist) == {
        by_case.number,
        on_line.number,
        assigned.number,
        elsewhere.number,
        unrouted.number,
    }
    # The division head sees the division's subtree: what was routed to its judges.
    assert {by_case.number, assigned.number} <= visible(division_head)
    assert unrouted.number not in visible(division_head)


def test_a_line_handed_to_another_judge_takes_its_requests_along(
    receptionist, judge, other_judge, judge_line, matter_types
):
    on_line = intake(receptionist, channel="phone", line_number=judge_line.number)
    services.service_request_route(actor=receptionist, service_request=on_line, user=other_judge)
    assert on_line.number in visible(judge)
    Line.objects.filter(pk=judge_line.pk).update(owner_user=other_judge)
    assert on_line.number not in visible(judge)


def test_the_scope_adds_no_join_on_postgresql_and_joins_on_sqlite(
    receptionist, judge, division_head, matter_types
):
    for user in (receptionist, judge, division_head):
        sql = str(scope_queryset(ServiceRequest.objects.all(), user).query).upper()
        if connection.vendor == "postgresql":
            assert " JOIN " not in sql, sql
            assert " IN (SELECT " in sql, sql
        else:
            assert " JOIN " in sql, sql
            assert " IN (SELECT " not in sql, sql


def test_joined_and_subquery_scopes_see_the_same_rows(
    receptionist, judge, division_head, civil_case, judge_line, matter_types
):
    intake(receptionist, related_case_number=civil_case.case_number, route=True)
    intake(receptionist, channel="phone", line_number=judge_line.number)
    intake(receptionist, requester_mobile="13900005555")
    for user in (receptionist, judge, division_head):
        joined = scope_queryset(ServiceRequest.objects.all(), user, joined=True)
        through = scope_queryset(ServiceRequest.objects.all(), user, joined=False)
        assert " JOIN " in str(joined.query).upper()
        assert " JOIN " not in str(through.query).upper()
        numbers = set(joined.values_list("number", flat=True))
        assert numbers == set(through.values_list("number", flat=True)) == visible(user)
        assert numbers


def test_the_running_deadline_index_is_on_postgresql_only():
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, ServiceRequest._meta.db_table)
    assert ("desk_req_running_due" in indexes) == (connection.vendor == "postgresql")


def test_the_division_queue_is_sorted_on_postgresql_when_its_division_has_few_open_requests(
    receptionist, judge, division_head, civil_case, matter_types, monkeypatch
):
    for n in range(4):
        intake(
            receptionist,
            related_case_number=civil_case.case_number,
            route=True,
            requester_mobile=f"1390000{n:04d}",
        )
    division_id = division_head.org_unit_id
    listing = selectors.division_listing(user=division_head, division_id=division_id)
    walked = selectors.division_queue(user=division_head, division_id=division_id)
    expected = list(selectors.for_rows(walked).values_list("number", flat=True))
    assert len(expected) == 4
    assert [row["number"] for row in listing.rows(0, 25)] == expected
    # Sorted (ordered by the expression ``id + 0``), not walked, on PostgreSQL only.
    sorted_ = "+ 0" in str(listing.build().query)
    assert sorted_ is (connection.vendor == "postgresql")
    # Above the bound PostgreSQL walks again; the rows are the same.
    monkeypatch.setattr(selectors, "DIVISION_SORT_MAX", 3)
    walking = selectors.division_listing(user=division_head, division_id=division_id)
    assert "+ 0" not in str(walking.build().query)
    assert [row["number"] for row in walking.rows(0, 25)] == expected


def test_the_division_queue_of_a_user_without_a_division_is_empty(receptionist, matter_types):
    """Not the open requests that have no division: a superuser (who sees everything) with no
    unit of their own has no division queue."""
    unrouted = intake(receptionist, requester_mobile="13900007777")  # no division yet
    assert unrouted.division_id is None
    administrator = User.objects.create_superuser("root-a1", password="x")
    assert administrator.org_unit_id is None
    assert list(selectors.division_queue(user=administrator, division_id=None)) == []
    listing = selectors.division_listing(user=administrator, division_id=None)
    assert listing.rows(0, 25) == []
