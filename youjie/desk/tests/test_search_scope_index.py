"""The search's scope columns (desk migration 0010) and the plan ``selectors.search`` chooses.

On PostgreSQL ``desk_request_search`` holds copies of the request's scope columns beside its
words, kept equal by a trigger on every update of the request, and a common word searched in a
scope that holds few of its matches is read through the GIN index over them and sorted
(``selectors._few_matches_in_scope``). On SQLite the FTS5 row holds the same columns as scope
tokens (``c<court_id> d<division_id> …``, desk migration 0011), kept equal by a trigger, and a
narrow scope's search is intersected inside FTS5 (``selectors._sqlite_matches_in_scope``).
On both, every search is held to the plain ORM statement (the scope of ``orgs.scoping`` over
the requests matching the words, newest first).
"""

from __future__ import annotations

import time
from datetime import timedelta
from itertools import product
from typing import Any

import pytest
from django.db import connection
from django.db.models import Q
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from youjie.desk import search, selectors, services
from youjie.desk.models import ServiceRequest
from youjie.desk.search import (
    SCOPE_COLUMNS,
    SQLITE_SCOPE_PREFIXES,
    ScopeStatistics,
    search_ids,
)
from youjie.desk.tests.test_api_support import intake
from youjie.orgs.models import Line, User
from youjie.orgs.scoping import scope_queryset, user_scope

pytestmark = pytest.mark.django_db
QUERIES = ("离婚", "保全", "执行", "离婚 保全", "材料")


def expected(user: Any, query: str) -> list[int]:
    """What the search must show: the user's scope over the requests matching every word,
    newest first, as the plain ORM statement."""
    matching = search_ids(query)
    if matching is None:  # no word in the query: nothing
        return []
    rows = scope_queryset(ServiceRequest.objects.all(), user).filter(pk__in=matching)
    return list(rows.order_by("-id").values_list("pk", flat=True))


def found(user: Any, query: str) -> list[int]:
    return list(selectors.search(user=user, query=query).values_list("pk", flat=True))


def copies() -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Each request's scope columns, and their copies in its search row (PostgreSQL) or its
    scope tokens read back into columns (SQLite)."""
    requests = list(ServiceRequest.objects.order_by("pk").values_list("pk", *SCOPE_COLUMNS))
    if connection.vendor == "sqlite":
        column_of = {prefix: column for column, prefix in SQLITE_SCOPE_PREFIXES.items()}
        with connection.cursor() as cursor:
            cursor.execute("SELECT rowid, scope FROM desk_request_fts ORDER BY rowid")
            stored = cursor.fetchall()
        rows = []
        for rowid, scope in stored:
            values: dict[str, int] = {}
            for token in scope.split():
                assert token[0] in column_of and token[0] not in values, scope
                values[column_of[token[0]]] = int(token[1:])
            rows.append((rowid, *(values.get(column) for column in SCOPE_COLUMNS)))
        return requests, rows
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT request_id, court_id, division_id, transfer_division_id, assignee_id, "
            "transfer_user_id, first_contact_id, line_id, related_case_id "
            "FROM desk_request_search ORDER BY request_id"
        )
        rows = [tuple(row) for row in cursor.fetchall()]
    return requests, rows


def analyse() -> None:
    """Statistics for the plan choice (in a table this small ANALYZE lists every word)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE desk_request_search")


@pytest.fixture
def fresh_statistics(monkeypatch):
    """Forget the process's cached statistics, before and after."""
    for name in ("_common_terms", "_scope_statistics"):
        monkeypatch.setattr(search, name, None)
    yield
    for name in ("_common_terms", "_scope_statistics"):
        monkeypatch.setattr(search, name, None)


@pytest.fixture
def through_the_index(monkeypatch, fresh_statistics):
    """Every scoped search of a common word takes the GIN path on PostgreSQL: the statistics
    never call the matches dense (the bar is above 100 %) and the probe never fills up."""
    monkeypatch.setattr(selectors, "SEARCH_PROBE_ROWS", 1)
    monkeypatch.setattr(selectors, "SEARCH_PROBE_MATCHES", 2)


@pytest.fixture
def personas(receptionist, judge, other_judge, division_head, court_leader, county_officer):
    return [receptionist, judge, other_judge, division_head, court_leader, county_officer]


def assert_in_step(users: list[Any]) -> None:
    """The copies equal the requests' columns (PostgreSQL), and every persona's search shows
    what the ORM statement shows, in its order."""
    requests, rows = copies()
    assert rows == requests
    analyse()
    search._common_terms = None
    search._scope_statistics = None
    for user in users:
        for query in QUERIES:
            assert found(user, query) == expected(user, query), (user.username, query)
            # On PostgreSQL that was the GIN path (``through_the_index``), ids and a sort.
            through_gin = selectors._few_matches_in_scope(user, query) is not None
            assert through_gin is (connection.vendor == "postgresql"), (user.username, query)
            # On SQLite a scope narrower than a court is intersected inside FTS5.
            court_wide = user.has_role("receptionist", "court_leader")
            inside_fts = selectors._sqlite_matches_in_scope(user, query) is not None
            assert inside_fts is (connection.vendor == "sqlite" and not court_wide), (
                user.username,
                query,
            )


def test_the_copies_follow_every_routing_action_and_the_searches_stay_exact(
    personas,
    receptionist,
    judge,
    other_judge,
    civil_case,
    judge_line,
    civil_division,
    administrator,
    matter_types,
    through_the_index,
    settings,
):
    # Create: unrouted, routed on registration (the case's judge), on the judge's line.
    first = intake(receptionist, title="离婚保全咨询", requester_mobile="13900000001")
    by_case = intake(
        receptionist,
        related_case_number=civil_case.case_number,
        route=True,
        content="询问离婚案件执行进度。",
        requester_mobile="13900000002",
    )
    on_line = intake(
        receptionist,
        channel="phone",
        line_number=judge_line.number,
        title="执行款咨询",
        content="执行款何时到账，需要什么材料。",
        requester_mobile="13900000003",
    )
    assert by_case.transfer_user_id == judge.pk and on_line.line_id == judge_line.pk
    assert_in_step(personas)
    # Assign (分派) to the civil division, accept (签收) by the judge.
    services.service_request_route(
        actor=receptionist, service_request=first, division=civil_division
    )
    assert_in_step(personas)
    services.service_request_accept(actor=judge, service_request=first)
    assert_in_step(personas)
    # Transfer (转办) to another judge, who declines (退回): back to the first judge.
    services.service_request_route(
        actor=judge, service_request=first, user=other_judge, reason="请王法官协助"
    )
    assert_in_step(personas)
    services.service_request_decline(
        actor=other_judge, service_request=first, reason="非本人承办范围"
    )
    assert_in_step(personas)
    # An unaccepted routing returns by itself when its time runs out.
    services.service_request_route(actor=receptionist, service_request=on_line, user=other_judge)
    assert_in_step(personas)
    # (The request routed on registration has waited as long: it returns too.)
    assert services.desk_expire_transfers(now=timezone.now() + timedelta(days=60)) == 2
    assert ServiceRequest.objects.get(pk=on_line.pk).transfer_user_id is None
    assert ServiceRequest.objects.get(pk=by_case.pk).transfer_user_id is None
    assert_in_step(personas)
    # Merge (并案) the line's request into the first.
    services.service_request_merge(
        actor=receptionist, service_request=on_line, into=first, reason="同一事项重复来电"
    )
    assert_in_step(personas)
    # Any other writer: a bulk update, outside every service.
    ServiceRequest.objects.filter(pk=by_case.pk).update(
        division=civil_division, assignee=other_judge, transfer_division=None, transfer_user=None
    )
    assert_in_step(personas)
    # The admin: requests are read-only there; a line handed to another judge through the
    # admin takes its requests' visibility along (the line's owner is looked up at search time).
    settings.YOUJIE_OTP_ENFORCED = False
    administrator.is_superuser = True
    administrator.save(update_fields=["is_superuser"])
    admin = Client()
    admin.force_login(administrator)
    refused = admin.post(
        reverse("admin:desk_servicerequest_change", args=[first.pk]),
        {"division": "", "assignee": ""},
    )
    assert refused.status_code == 403
    line_change = reverse("admin:orgs_line_change", args=[judge_line.pk])
    moved = admin.post(
        line_change,
        {
            "number": judge_line.number,
            "kind": judge_line.kind,
            "label": judge_line.label,
            "owner_unit": judge_line.owner_unit_id,
            "owner_user": other_judge.pk,
            "is_active": "on",
        },
    )
    assert moved.status_code == 302, moved.content.decode()[:2000]
    assert Line.objects.get(pk=judge_line.pk).owner_user_id == other_judge.pk
    assert_in_step(personas)
    assert on_line.pk in found(other_judge, "执行")


def test_the_scope_as_column_values_shows_what_the_scope_shows(
    personas, civil_case, judge_line, matter_types, receptionist, judge
):
    """``_scope_columns`` (the scope as values of the copied columns) against
    ``orgs.scoping``: the same requests for every persona, on the requests' own columns."""
    intake(receptionist, related_case_number=civil_case.case_number, route=True)
    intake(receptionist, channel="phone", line_number=judge_line.number)
    routed = intake(receptionist, requester_mobile="13900000004")
    services.service_request_route(actor=receptionist, service_request=routed, user=judge)
    intake(receptionist, requester_mobile="13900000005")
    for user in personas:
        columns = selectors._scope_columns(user, user_scope(user))
        assert columns is not None, user.username
        visible = Q(pk__in=[])
        for column, values in columns.items():
            visible |= Q(**{f"{column}__in": sorted(values)})
        shown = set(ServiceRequest.objects.filter(visible).values_list("pk", flat=True))
        scoped = scope_queryset(ServiceRequest.objects.all(), user)
        assert shown == set(scoped.values_list("pk", flat=True)), user.username
    superuser = User.objects.create_superuser("root", password="pw-root")
    assert selectors._scope_columns(superuser, user_scope(superuser)) is None


def test_a_common_word_in_a_narrow_scope_is_read_by_id_and_sorted_on_postgresql(
    receptionist, judge, division_head, civil_division, matter_types, through_the_index
):
    mine = []
    for n in range(3):
        made = intake(receptionist, title=f"离婚咨询{n}", requester_mobile=f"1390000100{n}")
        services.service_request_route(
            actor=receptionist, service_request=made, division=civil_division
        )
        services.service_request_accept(actor=judge, service_request=made)
        mine.append(made.pk)
    for n in range(4):  # the receptionist's, outside the division
        intake(receptionist, title=f"离婚诉讼{n}", requester_mobile=f"1390000200{n}")
    analyse()
    statement = str(selectors.search(user=division_head, query="离婚").query)
    if connection.vendor == "postgresql":
        # The ids themselves, ordered by the expression: read by id and sorted.
        assert "+ 0" in statement and "desk_request_search" not in statement
    else:
        assert "+ 0" not in statement and "desk_request_fts" in statement
    assert found(division_head, "离婚") == sorted(mine, reverse=True)
    assert found(division_head, "离婚") == expected(division_head, "离婚")
    # A word that none of the division's requests holds: nothing, and no page query at all.
    intake(receptionist, title="保全咨询", requester_mobile="13900003000")
    analyse()
    search._common_terms = search._scope_statistics = None
    assert found(division_head, "保全") == [] == expected(division_head, "保全")
    assert found(receptionist, "保全") == expected(receptionist, "保全") != []


def test_more_matches_in_scope_than_sorting_pays_for_are_walked(
    receptionist, judge, division_head, civil_division, matter_types, through_the_index, monkeypatch
):
    for n in range(3):
        made = intake(receptionist, title=f"离婚咨询{n}", requester_mobile=f"1390000100{n}")
        services.service_request_route(
            actor=receptionist, service_request=made, division=civil_division
        )
    analyse()
    monkeypatch.setattr(selectors, "SEARCH_SORT_MAX", 2)
    statement = str(selectors.search(user=division_head, query="离婚").query)
    assert "+ 0" not in statement
    assert found(division_head, "离婚") == expected(division_head, "离婚")
    assert len(found(division_head, "离婚")) == 3
    monkeypatch.setattr(selectors, "SEARCH_SORT_MAX", 3)
    sorted_ = "+ 0" in str(selectors.search(user=division_head, query="离婚").query)
    assert sorted_ is (connection.vendor == "postgresql")
    assert found(division_head, "离婚") == expected(division_head, "离婚")


def test_the_probe_of_the_newest_requests_keeps_the_walk_where_matches_are_dense(
    receptionist, division_head, civil_division, matter_types, fresh_statistics, monkeypatch
):
    """Statistics that prove nothing (no unit shares): the probe of the newest requests decides.
    Two matches in scope among the newest four: walk; one: read through the index."""
    made = []
    for n in range(4):
        request = intake(receptionist, title=f"离婚咨询{n}", requester_mobile=f"1390000100{n}")
        made.append(request)
    for request in made[2:]:
        services.service_request_route(
            actor=receptionist, service_request=request, division=civil_division
        )
    analyse()
    ignorant = ScopeStatistics(term_shares={"离婚": 1.0}, unit_shares={})
    monkeypatch.setattr(search, "_scope_statistics", (time.monotonic(), ignorant))
    monkeypatch.setattr(selectors, "SEARCH_PROBE_ROWS", 4)
    monkeypatch.setattr(selectors, "SEARCH_PROBE_MATCHES", 2)
    if connection.vendor == "postgresql":
        scope = selectors._scope_columns(division_head, user_scope(division_head))
        assert scope is not None
        assert search.recent_scoped_matches("离婚", scope, newest=4, enough=9) == 2
        assert search.recent_scoped_matches("离婚", scope, newest=1, enough=9) == 1
        assert search.recent_scoped_matches("保全", scope, newest=4, enough=9) == 0
        assert sorted(search.scoped_match_ids("离婚", scope, most=9)) == [
            request.pk for request in made[2:]
        ]
    assert "+ 0" not in str(selectors.search(user=division_head, query="离婚").query)
    assert found(division_head, "离婚") == expected(division_head, "离婚")
    monkeypatch.setattr(selectors, "SEARCH_PROBE_MATCHES", 3)
    sorted_ = "+ 0" in str(selectors.search(user=division_head, query="离婚").query)
    assert sorted_ is (connection.vendor == "postgresql")
    assert found(division_head, "离婚") == expected(division_head, "离婚")


def test_a_scope_the_statistics_prove_dense_is_walked_without_reading_the_index(
    receptionist, court, matter_types, fresh_statistics, monkeypatch, django_assert_num_queries
):
    """A receptionist's units hold every request (the statistics: the court's share is 1), so
    the matches of a common word are as dense in the scope as in the table: walked, and no
    statement reads the index to decide."""
    for n in range(3):
        intake(receptionist, title=f"离婚咨询{n}", requester_mobile=f"1390000100{n}")
    analyse()
    search.postgres_common_terms()  # read once: the cache is what a warm process has
    shares = ScopeStatistics(term_shares={"离婚": 0.01}, unit_shares={"court_id": {court.pk: 1.0}})
    monkeypatch.setattr(search, "_scope_statistics", (time.monotonic(), shares))
    user_scope(receptionist)  # the user's unit and its court, as a signed-in request has them
    with django_assert_num_queries(0):
        rows = selectors.search(user=receptionist, query="离婚")
    assert "+ 0" not in str(rows.query)
    assert found(receptionist, "离婚") == expected(receptionist, "离婚")


def test_the_least_share_the_statistics_prove():
    statistics = ScopeStatistics(
        term_shares={"离婚": 0.07, "保全": 0.05, "执行": 0.9},
        unit_shares={"court_id": {1: 1.0}, "division_id": {2: 0.25, 3: 0.5}},
    )
    assert statistics.least_share(query="离婚", unit_ids=[1]) == pytest.approx(0.07)
    assert statistics.least_share(query="离婚", unit_ids=[2]) == 0.0  # 离婚 may all be elsewhere
    assert statistics.least_share(query="执行", unit_ids=[3]) == pytest.approx(0.4)
    assert statistics.least_share(query="执行", unit_ids=[2, 3]) == pytest.approx(0.65)
    assert statistics.least_share(query="离婚 执行", unit_ids=[1]) == pytest.approx(0.0)
    assert statistics.least_share(query="执行", unit_ids=[]) == 0.0
    assert statistics.least_share(query="量子力学", unit_ids=[1]) == 0.0  # not a listed word
    assert statistics.least_share(query="", unit_ids=[1]) == 0.0


def test_hostile_words_through_the_index_are_parameters(
    receptionist, division_head, civil_division, matter_types, through_the_index
):
    request = intake(receptionist, title="离婚咨询", content="O'Brien \\ 问离婚。")
    services.service_request_route(
        actor=receptionist, service_request=request, division=civil_division
    )
    analyse()
    for query in (
        "离婚' OR 1=1 --",
        "O'Brien",
        "\\",
        "离婚 & !保全 | 执行",
        "'); DROP TABLE x; --",
    ):
        assert found(division_head, query) == expected(division_head, query), query


def test_the_index_holds_the_scope_columns_and_the_trigger_on_postgresql():
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute("SELECT name FROM sqlite_master WHERE name LIKE 'desk_request_%'")
            names = {name for (name,) in cursor.fetchall()}
            assert "desk_request_fts" in names and "desk_request_search" not in names
            assert "desk_request_fts_scope" in names  # the trigger of migration 0011
            cursor.execute("SELECT * FROM desk_request_fts LIMIT 0")
            assert [column[0] for column in cursor.description] == ["tokens", "scope"]
            return
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'desk_request_search_gin'"
        )
        (definition,) = cursor.fetchone()
        assert definition.endswith(f"USING gin ({', '.join(SCOPE_COLUMNS)}, document)")
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = 'desk_servicerequest'::regclass "
            "AND NOT tgisinternal"
        )
        assert [name for (name,) in cursor.fetchall()] == ["desk_request_search_scope"]


def test_a_unit_outside_the_columns_or_an_unknown_column_is_refused():
    assert selectors._copied_column("court") == "court_id"
    assert selectors._copied_column("matter_type") is None  # not copied
    assert selectors._copied_column("title") is None  # not a relation
    assert selectors._copied_column("nonsense") is None
    with pytest.raises(ValueError):
        search.scoped_match_ids("离婚", {"matter_type_id": [1]}, most=1)


def test_a_word_that_looks_like_a_scope_token_matches_only_words(
    receptionist, division_head, civil_division, matter_types
):
    """The words are matched in their own column: a request about "d12" is found by "d12", and
    no request is found by another's scope token (SQLite; on PostgreSQL the ids are columns)."""
    request = intake(receptionist, title="离婚咨询", content="离婚材料")
    services.service_request_route(
        actor=receptionist, service_request=request, division=civil_division
    )
    token = f"d{civil_division.pk}"
    assert found(receptionist, token) == expected(receptionist, token) == []
    named = intake(receptionist, title=f"编号{token}咨询", content=f"材料 {token}")
    assert found(receptionist, token) == expected(receptionist, token) == [named.pk]
    assert found(division_head, "离婚") == expected(division_head, "离婚") == [request.pk]


def test_the_search_page_reads_the_newest_matches_first_and_shows_the_same_pages(
    receptionist,
    judge,
    other_judge,
    division_head,
    court_leader,
    civil_division,
    matter_types,
    monkeypatch,
):
    """SQLite: ``SearchListing`` reads a bounded number of the newest matches first (with the
    scope's tokens for a narrow scope) and the page among them; whenever that could differ from
    the full read (the page not full there, and more matches than read), the full read follows.
    Every page of every persona equals the plain ORM statement's slice, on both databases."""
    for n in range(9):
        made = intake(
            receptionist,
            title=f"离婚咨询{n}" if n % 3 else f"保全咨询{n}",
            requester_mobile=f"1390000{n:04d}",
        )
        if n % 2:
            services.service_request_route(
                actor=receptionist, service_request=made, division=civil_division
            )
            services.service_request_accept(actor=judge, service_request=made)
    statuses = dict(ServiceRequest.objects.values_list("pk", "status"))
    # Tiny reads, so that both the bounded read and the full read after it are taken.
    monkeypatch.setattr(selectors, "SEARCH_NEWEST_MIN", 2)
    monkeypatch.setattr(selectors, "SEARCH_NEWEST_PER_ROW", 1)
    monkeypatch.setattr(selectors, "SEARCH_NEWEST_MAX", 6)
    reads: list[tuple[str, int, int]] = []
    real = search.newest_match_ids

    def counted(expression: str, *, most: int) -> list[int]:
        ids = real(expression, most=most)
        reads.append((expression, most, len(ids)))
        return ids

    monkeypatch.setattr(selectors, "newest_match_ids", counted)
    fallbacks = 0
    for user in (receptionist, judge, other_judge, division_head, court_leader):
        for query, status in product(("离婚", "保全", "离婚 咨询", "材料"), ("", "in_progress")):
            every = [pk for pk in expected(user, query) if not status or statuses[pk] == status]
            for offset, limit in ((0, 2), (0, 3), (1, 2), (2, 3), (4, 3), (6, 2)):
                listing = selectors.search_listing(user=user, query=query, status=status)
                before = len(reads)
                with CaptureQueriesContext(connection) as queries:
                    rows = [row["id"] for row in listing.rows(offset, limit)]
                assert rows == every[offset : offset + limit], (user.username, query, offset)
                if connection.vendor != "sqlite":
                    assert len(reads) == before  # PostgreSQL plans its own reads
                    continue
                if offset + limit > 6 or user in (judge, other_judge, division_head):
                    # Too deep for the bounded read, or a narrow scope (intersected inside
                    # FTS5 by ``search``): the full read.
                    assert len(reads) == before
                    continue
                assert len(reads) == before + 1
                pages = [
                    q["sql"] for q in queries.captured_queries if "desk_servicerequest" in q["sql"]
                ]
                fallbacks += len(pages) > 1
                assert "scope :" not in reads[-1][0]  # the words only: the scope is court-wide
    if connection.vendor == "sqlite":
        assert fallbacks > 0  # the full read after a bounded one was exercised too
