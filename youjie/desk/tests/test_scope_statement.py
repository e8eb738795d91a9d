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
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from youjie.core.errors import NotFound
from youjie.desk import selectors, services
from youjie.desk.models import ServiceRequest
from youjie.desk.tests.test_api_support import intake
from youjie.orgs.models import Line, User
from youjie.orgs.scoping import admitted_in_hand, scope_queryset

pytestmark = pytest.mark.django_db


def visible(user: Any) -> set[str]:
    return set(scope_queryset(ServiceRequest.objects.all(), user).values_list("number", flat=True))


def requests_through_each_path(
    receptionist: Any, judge: Any, other_judge: Any, civil_case: Any, judge_line: Any
) -> list[ServiceRequest]:
    """Requests reaching their viewers by each path: the case's judge, the judge's line, an
    assignment to the judge, one to the other judge, and one not routed."""
    by_case = intake(receptionist, related_case_number=civil_case.case_number, route=True)
    on_line = intake(receptionist, channel="phone", line_number=judge_line.number)
    assigned = intake(receptionist, requester_mobile="13900003333")
    services.service_request_route(actor=receptionist, service_request=assigned, user=judge)
    elsewhere = intake(receptionist, requester_mobile="13900004444")
    services.service_request_route(actor=receptionist, service_request=elsewhere, user=other_judge)
    unrouted = intake(receptionist, requester_mobile="13900005555")
    return [by_case, on_line, assigned, elsewhere, unrouted]


def test_each_scope_path_shows_its_requests_to_a_judge_and_no_others(
    receptionist, judge, other_judge, division_head, civil_case, judge_line, matter_types
):
    by_case, on_line, assigned, elsewhere, unrouted = requests_through_each_path(
        receptionist, judge, other_judge, civil_case, judge_line
    )

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


def test_the_division_open_index_is_on_postgresql_only():
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, ServiceRequest._meta.db_table)
    assert ("desk_req_division_open" in indexes) == (connection.vendor == "postgresql")


def test_the_division_queue_pages_are_the_division_queues_rows(
    receptionist, judge, division_head, civil_division, civil_case, matter_types
):
    """Page by page, the listing shows ``division_queue``'s rows in its order: the division's
    open requests and those transferred to it, each once, newest first. On PostgreSQL each
    page is one statement, its two branches read newest first and cut at the page's depth
    (``selectors.DivisionListing``)."""
    for n in range(5):
        intake(
            receptionist,
            related_case_number=civil_case.case_number,
            route=True,
            requester_mobile=f"1390000{n:04d}",
        )
    transferred = intake(receptionist, requester_mobile="13900009999")
    services.service_request_route(
        actor=receptionist, service_request=transferred, division=civil_division, user=None
    )
    closed = intake(
        receptionist,
        related_case_number=civil_case.case_number,
        route=True,
        requester_mobile="13900008888",
    )
    ServiceRequest.objects.filter(pk=closed.pk).update(status="closed")
    division_id = division_head.org_unit_id
    assert division_id == civil_division.pk
    expected = list(
        selectors.for_rows(
            selectors.division_queue(user=division_head, division_id=division_id)
        ).values_list("number", flat=True)
    )
    assert len(expected) == 6 and transferred.number in expected
    assert closed.number not in expected
    assert expected == sorted(expected, reverse=True)  # numbers grow with ids: newest first
    listing = selectors.division_listing(user=division_head, division_id=division_id)
    pages = [listing.rows(offset, 4) for offset in (0, 4)]
    assert [row["number"] for page in pages for row in page] == expected
    assert [len(page) for page in pages] == [4, 2]
    with CaptureQueriesContext(connection) as queries:
        rows = listing.rows(0, 25)
    assert [row["number"] for row in rows] == expected
    assert rows[0].keys() == set(selectors.ROW_VALUES)
    assert len(queries.captured_queries) == 1
    statement = queries.captured_queries[0]["sql"]
    # PostgreSQL: each branch cut at the page's depth, then the page; SQLite: the page.
    assert statement.count("LIMIT") == (3 if connection.vendor == "postgresql" else 1)
    # The division head's scope holds the whole division: no scope filter, the same rows.
    assert '"transfer_user_id" =' not in statement
    # A judge's narrower scope applies to both branches: only what the judge may see.
    with CaptureQueriesContext(connection) as queries:
        judge_rows = selectors.division_listing(user=judge, division_id=division_id).rows(0, 25)
    assert '"transfer_user_id" =' in queries.captured_queries[-1]["sql"]  # the scope's paths
    visible = set(
        scope_queryset(ServiceRequest.objects.all(), judge).values_list("number", flat=True)
    )
    assert [row["number"] for row in judge_rows] == [n for n in expected if n in visible]
    assert len(judge_rows) < len(expected)


def test_who_sees_a_whole_division_reads_its_queue_without_the_scope(
    receptionist, judge, division_head, court_leader, civil_division, civil_case, matter_types
):
    """``_sees_whole_division`` holds exactly where the scope would pass every row of the
    division's queue: for each user and division, the queue read without the scope (where it
    says so) is the scoped one."""
    for n in range(3):
        intake(
            receptionist,
            related_case_number=civil_case.case_number,
            route=True,
            requester_mobile=f"1390001{n:04d}",
        )
    registration = receptionist.org_unit_id
    sent = intake(receptionist, requester_mobile="13900019999")
    services.service_request_route(  # sent to the registration unit: its transfer branch
        actor=receptionist, service_request=sent, division=receptionist.org_unit, user=None
    )
    cases = [
        (division_head, civil_division.pk, True),
        (receptionist, registration, True),  # the court's reception: its own unit
        (receptionist, civil_division.pk, False),  # another unit: not known without a query
        (court_leader, court_leader.org_unit_id, True),  # a court has no queue of its own
        (judge, civil_division.pk, False),  # a judge's scope is their own requests
    ]
    for user, division_id, whole in cases:
        assert selectors._sees_whole_division(user, division_id) is whole, user.username
        scoped = list(
            selectors.for_rows(
                selectors.division_queue(user=user, division_id=division_id)
            ).values_list("number", flat=True)
        )
        listing = selectors.division_listing(user=user, division_id=division_id)
        assert [row["number"] for row in listing.rows(0, 25)] == scoped, user.username
        assert scoped or user == court_leader, user.username
        if whole:
            unscoped = ServiceRequest.objects.filter(pk__in=selectors._division_ids(division_id))
            assert set(unscoped.values_list("number", flat=True)) == set(scoped)


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


def test_a_request_admitted_by_what_it_holds_is_one_the_scope_shows(
    receptionist, judge, other_judge, division_head, court_leader, civil_case, judge_line,
    matter_types,
):  # fmt: skip
    """``admitted_in_hand`` (the request page's read by id) never admits a request the scoped
    query would hide, and ``service_request_get`` answers exactly as the scoped query does —
    for requests reached through each path, by users of each kind, and anonymous visitors."""
    requests = requests_through_each_path(receptionist, judge, other_judge, civil_case, judge_line)
    admitted_somewhere = 0
    for user in (receptionist, judge, other_judge, division_head, court_leader, AnonymousUser()):
        shown = visible(user)
        for service_request in requests:
            read = ServiceRequest.objects.select_related(*selectors.LIST_RELATED).get(
                pk=service_request.pk
            )
            if admitted_in_hand(read, user):
                admitted_somewhere += 1
                assert service_request.number in shown, (user, service_request.number)
            try:
                found = selectors.service_request_get(user=user, pk=service_request.pk)
            except NotFound:
                assert service_request.number not in shown, (user, service_request.number)
            else:
                assert found.number in shown, (user, service_request.number)
    assert admitted_somewhere  # the shortcut is taken, not only the query


def test_the_request_page_read_of_a_division_head_asks_no_scope(
    receptionist, division_head, civil_case, matter_types
):
    """The division head's request, read by its id, is admitted by its division: one statement
    without the scope's subqueries or joins (they cost the request page ~1 ms on PostgreSQL)."""
    routed = intake(receptionist, related_case_number=civil_case.case_number)
    # As once accepted in the division (routing sets the transfer division, which the read by
    # id does not join: such a request is asked of the database).
    ServiceRequest.objects.filter(pk=routed.pk).update(division_id=division_head.org_unit_id)
    division_head = User.objects.select_related("org_unit").get(pk=division_head.pk)
    with CaptureQueriesContext(connection) as queries:
        selectors.service_request_get(user=division_head, pk=routed.pk, people=False)
    request_reads = [
        q["sql"] for q in queries.captured_queries if "desk_servicerequest" in q["sql"]
    ]
    assert len(request_reads) == 1, request_reads
    assert "orgs_line" not in request_reads[0] and "courtcases_courtcase" not in request_reads[0]
