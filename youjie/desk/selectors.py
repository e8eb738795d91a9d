"""Reads of the desk: queues, overdue, search, the request page, the caller screen-pop."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from django.core.cache import cache
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import connection
from django.db.models import (
    Case,
    Exists,
    F,
    ForeignKey,
    IntegerField,
    Model,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Length
from django.utils import timezone

from youjie.core.errors import NotFound, ValidationFailed
from youjie.core.models import Event
from youjie.core.timeline import last_event_id, subject_key, timeline_for
from youjie.core.viewers import Viewer
from youjie.courtcases.models import CourtCase
from youjie.courtcases.selectors import PartyMatch, case_party_match
from youjie.desk.casequery import VERIFIED_VERB
from youjie.desk.choices import (
    OPEN_STATUSES,
    RUNNING_STATUSES,
    Priority,
    RequestStatus,
    ReturnVisitStatus,
)
from youjie.desk.models import (
    Attachment,
    ChecklistVersion,
    ClockChange,
    Feedback,
    MatterType,
    Reply,
    ReplyTemplate,
    ReturnVisit,
    ServiceRequest,
    Supervision,
)
from youjie.desk.search import (
    SCOPE_COLUMNS,
    has_uncommon_term,
    newest_match_ids,
    postgres_common_terms,
    postgres_scope_statistics,
    recent_scoped_matches,
    scoped_match_ids,
    scoped_search_ids,
    search_ids,
    sqlite_match_expression,
)
from youjie.orgs.choices import OrgKind, Role
from youjie.orgs.models import Line, OrgUnit, User
from youjie.orgs.scoping import (
    Scope,
    admitted_in_hand,
    can_see,
    in_subtrees,
    rule_for,
    scope_queryset,
    sees_every_row,
    user_scope,
)
from youjie.people.identity import phone_hash
from youjie.people.models import Person
from youjie.people.validators import mask_mobile, normalize_mobile

ModelT = TypeVar("ModelT", bound=Model)

LIST_RELATED = ("matter_type", "division", "assignee", "court")
# What a queue row shows (``views.common.request_rows`` and the overdue badge): lists fetch these
# values only — no model objects, not four whole related rows plus the long content and the
# encrypted mobile.
ROW_VALUES = (
    "id",
    "number",
    "title",
    "priority",
    "is_supervised",
    "requester_name",
    "requester_mobile_masked",
    "status",
    "first_response_due",
    "completion_due",
    "first_responded_at",
    "repeat_count",
    "repeat_of_id",
    "matter_type__name",
    "division__name",
    "assignee__username",
    "assignee__first_name",
    "assignee__last_name",
    "assignee__display_name",
)
QUERY_MAX = 50


def _base(user: Viewer) -> QuerySet[ServiceRequest]:
    return scope_queryset(ServiceRequest.objects.select_related(*LIST_RELATED), user)


def for_rows(queryset: QuerySet[ServiceRequest]) -> QuerySet[Any]:
    """``queryset`` as the dicts of ``ROW_VALUES`` a queue row shows (same rows, same order)."""
    rows: QuerySet[Any] = queryset.select_related(None).values(*ROW_VALUES)
    return rows


@dataclass(frozen=True)
class Listing:
    """A queue as the rows ``for_rows`` gives, read page by page: ``build()`` is called when a
    page is read, and each page is one ``.values()`` query of ``ROW_VALUES``. ``name`` says
    which queue it is (a profile, a test)."""

    name: str
    build: Callable[[], QuerySet[ServiceRequest]]

    def rows(self, offset: int, limit: int) -> list[dict[str, Any]]:
        return list(for_rows(self.build())[offset : offset + limit])


def listing(
    name: str, user: Viewer, build: Callable[[], QuerySet[ServiceRequest]], *arguments: Hashable
) -> Listing:
    """A ``Listing`` named ``name`` of ``build()``, which the queue selectors have already
    scoped to ``user``. ``user`` and ``arguments`` (what the list depends on) are accepted from
    the views and not used: nothing about a list is kept from one request to the next."""
    return Listing(name, build)


# SQLite, the search page (``SearchListing``): the newest matches read first, at least this
# many and four per row the page needs (a court-wide scope holds most of a word's matches; where
# it holds fewer, the full read follows), at most ``SEARCH_NEWEST_MAX`` (deeper pages: the full
# read at once). Read 520 instead of 104 and the page's id list alone cost ~3 ms more.
SEARCH_NEWEST_MIN = 100
SEARCH_NEWEST_PER_ROW = 4
SEARCH_NEWEST_MAX = 5_000


@dataclass(frozen=True, kw_only=True)
class SearchListing(Listing):
    """The search page's rows (``search``), read on SQLite from the newest matches first.

    A common word walked newest first made SQLite read every one of its matches into a list
    before the first row (a receptionist's court and 保全: 46,000, 5.5 ms of the page's SQL). FTS5
    reads a word's postings backwards and stops: the newest ``SEARCH_NEWEST_MIN``-or-more
    matches are read first (0.2 ms), and the page is read among them (1.2 ms in all). A narrow
    scope is not read this way (``_newest``). That is the page the full read gives whenever
    it is full there (every match newer than the last one read is among them) or the read
    holds every match; otherwise the full read follows (a word rare in the scope, deep pages,
    filters that leave few)."""

    user: Viewer
    query: str
    filters: Mapping[str, Any] = field(default_factory=dict)

    def rows(self, offset: int, limit: int) -> list[dict[str, Any]]:
        probe = self._newest(offset + limit)
        if probe is not None:
            ids, complete = probe
            found = list(
                for_rows(search(user=self.user, query=self.query, newest_ids=ids, **self.filters))[
                    offset : offset + limit
                ]
            )
            if complete or len(found) == limit:
                return found
        return super().rows(offset, limit)

    def _newest(self, depth: int) -> tuple[list[int], bool] | None:
        """The newest matches' ids and whether they are all of them; None where this read
        does not apply (PostgreSQL, a request number, no words, a page too deep)."""
        query = self.query.strip()
        if connection.vendor != "sqlite" or not query or query.upper().startswith("SS"):
            return None
        most = max(SEARCH_NEWEST_MIN, depth * SEARCH_NEWEST_PER_ROW)
        if most > SEARCH_NEWEST_MAX or len(query) > QUERY_MAX:
            return None
        if not _sqlite_court_wide(self.user):
            # A narrow scope's words and tokens are intersected inside FTS5 (``search``), which
            # skips forwards through the long posting lists; read backwards, FTS5 loads each
            # list whole (the division head and 离婚: 23 ms instead of ~8).
            return None
        expression = sqlite_match_expression(query)
        if expression is None:
            return None
        ids = newest_match_ids(expression, most=most)
        return ids, len(ids) < most


def search_listing(*, user: Viewer, query: str = "", **filters: Any) -> SearchListing:
    """The search page's ``Listing`` (``SearchListing``); the same rows as ``search``."""
    return SearchListing(
        "search",
        lambda: search(user=user, query=query, **filters),
        user=user,
        query=query,
        filters=filters,
    )


def overdue_q(now: datetime | None = None) -> Q:
    """Overdue is computed, never stored: a running clock past either deadline."""
    now = now or timezone.now()
    return Q(status__in=RUNNING_STATUSES) & (
        Q(completion_due__lt=now) | Q(first_responded_at__isnull=True, first_response_due__lt=now)
    )


def overdue_at(
    now: datetime,
    *,
    status: str,
    completion_due: datetime,
    first_response_due: datetime,
    first_responded_at: datetime | None,
) -> bool:
    """``overdue_q`` for one request's values (a list row, a request in hand)."""
    if status not in RUNNING_STATUSES:
        return False
    if completion_due < now:
        return True
    return first_responded_at is None and first_response_due < now


def is_overdue(service_request: ServiceRequest, now: datetime | None = None) -> bool:
    return overdue_at(
        now or timezone.now(),
        status=service_request.status,
        completion_due=service_request.completion_due,
        first_response_due=service_request.first_response_due,
        first_responded_at=service_request.first_responded_at,
    )


def _newest_first(*, sorted_: bool) -> Any:
    """``-id``, or with ``sorted_`` the same order as an expression (``id + 0``).

    On PostgreSQL ``ORDER BY id DESC LIMIT 26`` invites a backward walk of the primary key,
    filtering every request until the page is full: the planner expects the candidates spread
    evenly over the ids. When they are few and sparse (one person's open work, a division's,
    the matches of an uncommon word) the walk reads most of the table (a receptionist's page 5:
    450 ms for 39 candidates); ordered by an expression, PostgreSQL reads the candidates through
    their own indexes and sorts them (4 ms). Many dense candidates (the intake division's
    ~15,000; a common word) are walked faster than sorted. SQLite always walks: it reads these
    lists from their indexes in id order and stops after the page (docs/performance.md, fifth
    round)."""
    return (F("id") + 0).desc() if sorted_ else "-id"


def my_queue(*, user: User) -> QuerySet[ServiceRequest]:
    """Assigned to me, waiting for my acceptance, or first received by me and not yet handed on."""
    mine = (
        Q(assignee=user, status__in=OPEN_STATUSES)
        | Q(transfer_user=user, status=RequestStatus.AWAITING_ACCEPTANCE)
        | Q(
            first_contact=user,
            status__in=(RequestStatus.REGISTERED, RequestStatus.AWAITING_ACCEPTANCE),
        )
    )
    return (
        _base(user).filter(mine).order_by(_newest_first(sorted_=connection.vendor == "postgresql"))
    )


@dataclass(frozen=True, kw_only=True)
class DivisionListing(Listing):
    """The division queue (``division_queue``) page by page; on PostgreSQL each page is one
    statement: the newest open requests of the division and the newest transferred to it,
    each branch read newest first through its own index and stopped at the page's depth, then
    merged (``UNION``: a request in both branches is one row) and cut to the page.

    PostgreSQL answered ``division_queue`` itself by reading every open request of the
    division (``desk_req_division_status`` holds the four open statuses as four ranges, in no
    common id order), joining each and sorting them: 1,593 rows and ~15 ms for the benchmark's
    division head. Each branch here walks an index in id order — the division's open requests
    (``desk_req_division_open``, migration 0014, PostgreSQL only), the transfers
    (``desk_req_sparse_transfer_div``, a few rows) — and stops after ``offset + limit`` rows
    (0.3 ms). SQLite cannot slice the branches of a compound statement; it walks
    ``division_queue``'s ids in order and stops after the page already.

    A user whose scope holds the whole division (``_sees_whole_division``: its head, the
    court's reception) reads it without the scope's filter, which would pass every row: on
    PostgreSQL each branch compiled the scope's six subqueries (2 ms of the page's CPU)."""

    user: User
    division_id: int | None

    def rows(self, offset: int, limit: int) -> list[dict[str, Any]]:
        division_id = self.division_id or self.user.org_unit_id  # as ``division_queue``
        if division_id is None:
            return super().rows(offset, limit)
        whole = _sees_whole_division(self.user, division_id)
        if connection.vendor != "postgresql":
            if not whole:
                return super().rows(offset, limit)
            queue = ServiceRequest.objects.filter(pk__in=_division_ids(division_id))
            return list(for_rows(queue.order_by("-id"))[offset : offset + limit])
        depth = offset + limit
        requests = ServiceRequest.objects.all() if whole else _base(self.user)
        open_requests = requests.filter(status__in=OPEN_STATUSES)
        own = for_rows(open_requests.filter(division_id=division_id).order_by("-id"))
        sent = for_rows(open_requests.filter(transfer_division_id=division_id).order_by("-id"))
        return list(own[:depth].union(sent[:depth]).order_by("-id")[offset:depth])


def _sees_whole_division(user: User, division_id: int) -> bool:
    """Whether ``user`` may see every request of the division and every request sent to it,
    known without a query: the scope holds everything, or the division is the user's own unit
    and lies in a subtree of the scope, which the desk's rule reaches through a request's
    division and its transfer division (``desk.scopes``; ``orgs.scoping.scope_q`` shows every
    request whose unit lies in one of the scope's subtrees, and its other paths only add)."""
    rule = rule_for(ServiceRequest)
    if not {"division", "transfer_division"} <= set(rule.unit_fields):
        return False
    scope = user_scope(user)
    if sees_every_row(ServiceRequest, user, scope):
        return True
    unit = user.org_unit if user.org_unit_id == division_id else None
    return unit is not None and in_subtrees(unit, scope)


def division_listing(*, user: User, division_id: int | None) -> DivisionListing:
    """The division queue as a ``DivisionListing``: the same rows as ``division_queue``."""
    return DivisionListing(
        "division_queue",
        lambda: division_queue(user=user, division_id=division_id),
        user=user,
        division_id=division_id,
    )


def _division_ids(division_id: int) -> QuerySet[Any]:
    """The ids of the division's open requests and of those transferred to it, as one
    ``UNION ALL`` of two index reads (``division_queue``)."""
    open_requests = ServiceRequest.objects.filter(status__in=OPEN_STATUSES).order_by()
    ids: QuerySet[Any] = (
        open_requests.filter(division_id=division_id)
        .values("pk")
        .union(open_requests.filter(transfer_division_id=division_id).values("pk"), all=True)
    )
    return ids


def division_queue(*, user: User, division_id: int | None = None) -> QuerySet[ServiceRequest]:
    """Open requests of the division or transferred to it, newest first.

    Not ``Q(division) | Q(transfer_division)``: SQLite answers that OR by collecting every open
    request of the division, joining each to the scope's tables and sorting them all. The ids of
    the two branches, each read from its own index, go into one ``IN (… UNION ALL …)`` list that
    SQLite walks in id order, stopping after the page (5 ms → 0.3 ms for 1,861 open requests).
    """
    division_id = division_id or user.org_unit_id
    if division_id is None:  # no division: no queue (not the requests without a division)
        return _base(user).none()
    return _base(user).filter(pk__in=_division_ids(division_id)).order_by("-id")


def intake_queue(*, user: Viewer) -> QuerySet[ServiceRequest]:
    """Registered requests nobody has taken up yet (portal, WeChat, expired transfers)."""
    return _base(user).filter(status=RequestStatus.REGISTERED).order_by("-id")


def overdue_list(*, user: Viewer, now: datetime | None = None) -> QuerySet[ServiceRequest]:
    return _base(user).filter(overdue_q(now)).order_by("completion_due", "id")


def supervised_list(*, user: Viewer) -> QuerySet[ServiceRequest]:
    # The few supervised ids first (partial index desk_req_supervised), then the scope over
    # them: left to itself SQLite walked the court's whole history through the scope's indexes
    # (a receptionist's page: 1 s at a million requests).
    supervised = ServiceRequest.objects.filter(is_supervised=True).values("pk")
    return _base(user).filter(pk__in=supervised).order_by("completion_due", "id")


def priority_list(*, user: Viewer) -> QuerySet[ServiceRequest]:
    return _base(user).filter(priority=Priority.PRIORITY).order_by("-id")


def return_visit_queue(*, user: Viewer) -> QuerySet[ReturnVisit]:
    # Only the requests with a pending visit: the scope checked over every request of a court
    # made SQLite materialise a million ids for a page of 25 (reception: 760 ms).
    visible = (
        scope_queryset(ServiceRequest.objects.all(), user)
        .filter(return_visits__status=ReturnVisitStatus.PENDING)
        .values("pk")
    )
    return (
        ReturnVisit.objects.filter(status=ReturnVisitStatus.PENDING, service_request__in=visible)
        .select_related("service_request", "service_request__matter_type")
        .order_by("id")
    )


# PostgreSQL, a common word in a scope (``_few_matches_in_scope``): the newest requests read to
# see whether the walk fills a page soon (5 ms at a million requests), how many matches among
# them say it does (0.2 %: a page of 26 within ~13,000 requests walked, ~20 ms), and up to how
# many matches in the scope are read through the GIN index and sorted instead (~10 ms for a
# thousand). Below 0.2 % the walk costs more than reading the scope's matches and sorting them.
SEARCH_PROBE_ROWS = 2_500
SEARCH_PROBE_MATCHES = 5
SEARCH_SORT_MAX = 1_000


def _few_matches_in_scope(user: Viewer, query: str) -> list[int] | None:
    """The ids of the requests matching ``query`` that the user's scope may hold, when they
    are few; None when walking the requests newest first is the better plan. PostgreSQL only,
    for words its statistics list as common (an uncommon word is read through the GIN index
    anyway, ``search.has_uncommon_term``).

    The walk (``_newest_first``) stops once the page is full: quick where the scope holds
    many matches (a receptionist's court and 保全: ~10 ms), but a scope that holds none of a
    common word's matches makes it read every request and test every tsvector (a division
    head and 离婚: 1.4 s at a million requests). The facts, cheapest first:

    1. the statistics (no query): the user's units hold so large a share of the requests that
       the matches in scope are dense whatever the words have to do with the units → walk;
    2. a bounded probe of the newest ``SEARCH_PROBE_ROWS`` index rows: ``SEARCH_PROBE_MATCHES``
       matches among them in the part of the scope known without a query → walk;
    3. the matches in the whole scope through the GIN index over the tsvector and the copied
       scope columns (exact intersections, no heap read when there are none): up to
       ``SEARCH_SORT_MAX`` → their ids; more → walk.
    """
    if connection.vendor != "postgresql" or postgres_common_terms() is None:
        return None  # SQLite walks FTS5's posting list; no statistics yet: as before, walk
    statistics = postgres_scope_statistics()
    if statistics is None:
        return None
    scope = user_scope(user)
    dense = SEARCH_PROBE_MATCHES / SEARCH_PROBE_ROWS
    if statistics.least_share(query=query, unit_ids=_scope_roots(user, scope)) >= dense:
        return None
    near = _scope_columns(user, scope, resolve=False)
    if near is None:
        return None
    if any(near.values()) and (
        recent_scoped_matches(query, near, newest=SEARCH_PROBE_ROWS, enough=SEARCH_PROBE_MATCHES)
        >= SEARCH_PROBE_MATCHES
    ):
        return None
    columns = _scope_columns(user, scope)
    if columns is None:
        return None
    if not any(columns.values()):
        return []  # nothing is visible (``scope_q`` shows nothing either)
    ids = scoped_match_ids(query, columns, most=SEARCH_SORT_MAX + 1)
    return ids if len(ids) <= SEARCH_SORT_MAX else None


def _sqlite_court_wide(user: Viewer) -> bool:
    """Whether the user's scope holds a whole court (a receptionist, a court leader): where a
    word's matches are dense, read without the scope's tokens. No query: the units are the
    user's, read with them."""
    scope = user_scope(user)
    return any(unit.kind == OrgKind.COURT for unit in _scope_root_units(user, scope))


def _sqlite_narrow_scope(user: Viewer) -> dict[str, set[int]] | None:
    """SQLite: the user's scope as values of the indexed scope columns when it is narrower
    than a court (``_sqlite_matches_in_scope``); None for a court-wide scope or one of another
    form."""
    if connection.vendor != "sqlite" or _sqlite_court_wide(user):
        return None  # the whole court: dense, the walk fills a page soon
    return _scope_columns(user, user_scope(user))


def _sqlite_matches_in_scope(user: Viewer, query: str) -> RawSQL | None:
    """SQLite: the ids of the requests matching ``query`` among those whose scope tokens
    hold one of the user's scope values (``search.scoped_search_ids``: FTS5 intersects the
    word's postings with the scope's, seeking through the longer list), for a narrow scope;
    None to walk the word's postings and test each request's scope (a court-wide scope, where
    the matches are dense and the walk stops after a page; a scope of another form).

    A division head and 离婚 (none of its 66,000 matches in the division): the walk read
    them all (130–150 ms of CPU); the intersection skips them."""
    columns = _sqlite_narrow_scope(user)
    if columns is None:
        return None
    return scoped_search_ids(query, columns)


def _scope_columns(
    user: Viewer, scope: Scope, *, resolve: bool = True
) -> dict[str, set[int]] | None:
    """The user's scope over service requests as values of the columns ``desk_request_search``
    copies (``search.SCOPE_COLUMNS``): a request is visible if one of those columns holds one
    of the values. None when the scope is not of that form (everything, a region path, an
    extra rule, a path through a column the table does not copy).

    The same paths as ``orgs.scoping.scope_q`` for the desk's rule (``desk.scopes``), the ones
    through a relation resolved to ids here (the user's lines, cases): the tests hold both to
    the same rows (``test_search_scope_index``). With ``resolve=False``, the part of the scope
    known without a query: the top units of the subtrees (not those below them) and the
    user's own fields (not the paths through a relation)."""
    rule = rule_for(ServiceRequest)
    if scope.everything or rule.extra or (scope.region_codes and rule.region_fields):
        return None
    if rule.global_roles and isinstance(user, User) and user.has_role(*rule.global_roles):
        return None
    columns: dict[str, set[int]] = {}
    if scope.unit_paths and rule.unit_fields:
        in_subtrees = Q()
        for path in scope.unit_paths:
            in_subtrees |= Q(path__startswith=path)
        units = (
            set(OrgUnit.objects.filter(in_subtrees).order_by().values_list("pk", flat=True))
            if resolve
            else set(_scope_roots(user, scope))
        )
        for name in rule.unit_fields:
            column = _copied_column(name)
            if column is None:
                return None
            columns.setdefault(column, set()).update(units)
    if scope.user_id is not None and isinstance(user, User):
        through: dict[str, Q] = {}
        for path in rule.user_fields:
            head, _, rest = path.partition("__")
            column = _copied_column(head)
            if column is None:
                return None
            if rest:
                if resolve:
                    through[head] = through.get(head, Q(pk__in=[])) | Q(**{rest: scope.user_id})
            else:
                columns.setdefault(column, set()).add(scope.user_id)
        for head, reached in through.items():
            field = ServiceRequest._meta.get_field(head)
            assert isinstance(field, ForeignKey)
            related = field.related_model
            assert isinstance(related, type)
            ids = related._default_manager.filter(reached).order_by().values_list("pk", flat=True)
            columns.setdefault(field.column, set()).update(ids)
    return columns


def _copied_column(name: str) -> str | None:
    """The column of the request's foreign key ``name`` if ``desk_request_search`` copies it."""
    try:
        field = ServiceRequest._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    if not isinstance(field, ForeignKey) or field.column not in SCOPE_COLUMNS:
        return None
    return field.column


def _scope_roots(user: Viewer, scope: Scope) -> list[int]:
    """The ids of the units at the top of the scope's subtrees (``_scope_root_units``)."""
    return [unit.pk for unit in _scope_root_units(user, scope)]


def _scope_root_units(user: Viewer, scope: Scope) -> list[OrgUnit]:
    """The units at the top of the scope's subtrees: the user's unit and those of its
    ancestors whose path the scope lists (``orgs.scoping.user_scope``, which has read them)."""
    roots: list[OrgUnit] = []
    unit = user.org_unit if isinstance(user, User) else None
    while unit is not None and len(roots) < len(scope.unit_paths):
        if unit.path in scope.unit_paths:
            roots.append(unit)
        unit = unit.parent
    return roots


def search(
    *,
    user: Viewer,
    query: str = "",
    status: str = "",
    matter_type: str = "",
    channel: str = "",
    division_id: int | None = None,
    date_from: datetime | None = None,
    date_to: datetime | None = None,
    newest_ids: Sequence[int] | None = None,
) -> QuerySet[ServiceRequest]:
    """Chinese full text over title, content and replies, with filters; always scoped.

    ``newest_ids``: the words' matches are these requests (``SearchListing``'s bounded read of
    the newest matches) instead of the full-text index's answer."""
    query = query.strip()
    if len(query) > QUERY_MAX:
        raise ValidationFailed(f"检索词不能超过{QUERY_MAX}字", fields={"q": ["内容过长"]})
    filters: dict[str, Any] = {
        "status": status,
        "matter_type": matter_type,
        "channel": channel,
        "division_id": division_id,
        "date_from": date_from,
        "date_to": date_to,
    }
    rows = _base(user)
    sort = False
    if query:
        if query.upper().startswith("SS") and len(query) <= 20:
            rows = rows.filter(number=query.upper())
        else:
            # The words (jieba, all of them) through the full-text index: FTS5 on SQLite, the
            # tsvector table on PostgreSQL (``search.search_ids``, the words as parameters).
            matching = search_ids(query)
            if matching is None:
                return rows.none()
            if newest_ids is not None:
                return _filtered(rows.filter(pk__in=list(newest_ids)), **filters).order_by("-id")
            sort = has_uncommon_term(query)
            few = None if sort else _few_matches_in_scope(user, query)
            in_scope = _sqlite_matches_in_scope(user, query)
            if in_scope is not None:
                # SQLite: FTS5 intersects the words' postings with the scope's tokens.
                rows = rows.filter(pk__in=in_scope)
            elif few is None:
                rows = rows.filter(pk__in=matching)
            else:
                # The scope's matches themselves (a superset of what the scope shows of them:
                # the scope above still applies), read by id and sorted.
                rows = rows.filter(pk__in=few)
                sort = True
    # PostgreSQL: an uncommon word's matches, or a common word's few in the scope, are read
    # through the GIN index and sorted; otherwise the requests are walked newest first.
    return _filtered(rows, **filters).order_by(_newest_first(sorted_=sort))


def _filtered(
    rows: QuerySet[ServiceRequest],
    *,
    status: str,
    matter_type: str,
    channel: str,
    division_id: int | None,
    date_from: datetime | None,
    date_to: datetime | None,
) -> QuerySet[ServiceRequest]:
    """``search``'s filters besides the words."""
    if status:
        rows = rows.filter(status=status)
    if matter_type:
        rows = rows.filter(matter_type__code=matter_type)
    if channel:
        rows = rows.filter(channel=channel)
    if division_id:
        rows = rows.filter(division_id=division_id)
    if date_from:
        rows = rows.filter(created_at__gte=date_from)
    if date_to:
        rows = rows.filter(created_at__lt=date_to)
    return rows


def service_request_get(*, user: Viewer, pk: int, people: bool = True) -> ServiceRequest:
    """One request the user may see, or NotFound (404) — ``orgs.scoping.access`` for a
    request, with the relations every request has (``LIST_RELATED``) joined.

    The optional relations are read by ``_attach_relations`` only when set: joining all
    fourteen made every page select ~200 columns, which cost more than the few short reads
    that replace it (measured with bench/instructions.sh). With ``people=False`` the people
    (but the assignee), the line, the requester and the transfer division are not read here
    but by Django when first used (the request page: the cards that show them are cached and
    read them on a miss only); the case and the linked requests are read either way."""
    queryset = ServiceRequest.objects.select_related(*LIST_RELATED).filter(pk=pk)
    # Read by its id, then admitted by what it holds (its court, division, assignee … against the
    # scope: ``admitted_in_hand``); only a request it does not admit is asked of the database,
    # by the scoped query, as every other read is.
    found = _by_primary_key(queryset)
    if found is None or not (admitted_in_hand(found, user) or can_see(found, user)):
        raise NotFound()
    _attach_relations(found, people=people)
    return found


def _by_primary_key(queryset: QuerySet[ModelT]) -> ModelT | None:
    """The one row of ``queryset``, filtered by a primary key, or None. Not ``first()``: that
    orders by the model's ordering, and Django compiles an ORDER BY against every selected
    column (~90 for a request with its relations: 0.4–0.7 ms of the request page's CPU) to
    order at most one row."""
    return next(iter(queryset.order_by()[:1]), None)


_USER_RELATIONS = ("first_contact", "created_by", "transfer_user")


def by_pk(model: type[Any], pk: int, *related: str) -> Any:
    """``model``'s row ``pk`` with ``related`` joined, or None."""
    return _by_primary_key(_joined(model.objects.filter(pk=pk), related))


def _joined(queryset: QuerySet[Any], related: Sequence[str]) -> QuerySet[Any]:
    """``queryset`` with ``related`` joined. Not ``select_related()`` when there are none: with
    no names it joins every non-null foreign key, and theirs (a request's feedback came with
    the request, its matter type and its court; a line with its unit and region)."""
    return queryset.select_related(*related) if related else queryset


def section(model: type[Any], service_request: ServiceRequest, *related: str) -> list[Any]:
    """The rows of ``model`` that belong to ``service_request`` (its replies, its return
    visits …) in the model's order with ``related`` joined, each holding the request in hand
    (as ``service_request.<related manager>.select_related(…)`` gives them)."""
    rows = list(_joined(model.objects.filter(service_request_id=service_request.pk), related))
    for row in rows:
        row.service_request = service_request  # the same request: no query per row
    return rows


def _attach_relations(service_request: ServiceRequest, *, people: bool = True) -> None:
    """The request's optional relations, read only when set (at most six short queries: the
    people not already in hand, the case with its judge, the line, the requester, the transfer
    division, the linked requests), set on the request as ``select_related`` would. With
    ``people=False`` (``service_request_get``) the people other than the assignee (in hand),
    the line, the requester and the transfer division are left to Django.

    Every relation here but ``repeat_of`` is PROTECTed, so a row read by its id exists;
    ``repeat_of`` is SET_NULL, and a repeat deleted meanwhile reads as none."""
    users: dict[Any, Any] = {service_request.assignee_id: service_request.assignee}
    for name in _USER_RELATIONS:
        user_id = getattr(service_request, f"{name}_id")
        if user_id is not None and (people or user_id in users):
            if user_id not in users:
                users[user_id] = by_pk(User, user_id, "org_unit")
            setattr(service_request, name, users[user_id])
    if service_request.related_case_id is not None:
        service_request.related_case = by_pk(CourtCase, service_request.related_case_id, "judge")
    if people:
        _attach_more(service_request)
    linked = {service_request.merged_into_id, service_request.repeat_of_id} - {None}
    if linked:
        requests = ServiceRequest.objects.only("id", "number", "repeat_count").in_bulk(linked)
        for name in ("merged_into", "repeat_of"):
            linked_id = getattr(service_request, f"{name}_id")
            if linked_id is not None:
                setattr(service_request, name, requests.get(linked_id))


def service_request_people(service_request: ServiceRequest) -> dict[str, User | None]:
    """The request's first contact, registering user and transfer user by relation name (None
    where unset): those who are not its assignee (in hand) in one query. What the request
    page's cards show, read on a miss of their cache only (``views.detail``)."""
    user_ids = {name: getattr(service_request, f"{name}_id") for name in _USER_RELATIONS}
    wanted = set(user_ids.values()) - {None, service_request.assignee_id}
    found: dict[Any, User | None] = dict(User.objects.in_bulk(wanted)) if wanted else {}
    if service_request.assignee_id is not None:
        found[service_request.assignee_id] = service_request.assignee
    return {name: found.get(user_id) for name, user_id in user_ids.items()}


def _attach_more(service_request: ServiceRequest) -> None:
    """``_attach_relations``'s line, requester and transfer division."""
    if service_request.line_id is not None:
        service_request.line = by_pk(Line, service_request.line_id)
    if service_request.requester_id is not None:
        service_request.requester = by_pk(Person, service_request.requester_id)
    if service_request.transfer_division_id is not None:
        service_request.transfer_division = by_pk(OrgUnit, service_request.transfer_division_id)


# The parts of the request page besides the request, by the names the detail view uses.
_SECTION_MODELS: dict[str, type[Any]] = {
    "replies": Reply,
    "feedback": Feedback,
    "return_visits": ReturnVisit,
    "supervisions": Supervision,
    "clock_changes": ClockChange,
    "attachments": Attachment,
}


SECTIONS_CACHE_SECONDS = 600


def detail_sections(
    service_request: ServiceRequest, *, version: int | None = None, checklist: bool = True
) -> dict[str, bool]:
    """Which parts of the request page have anything in them — replies, feedback, return
    visits, supervisions, clock changes, attachments, and whether its matter type has a
    checklist — in one query (an ``EXISTS`` each), so that the page reads only the parts that
    exist.

    With ``version`` (the request's newest event: ``service_request_last_event_id``) the six
    parts' answer is cached under it, as the page caches the parts themselves: each of them
    changes only with an event on the request. The checklist, edited in the configuration
    without one, is asked each time; with ``checklist=False`` it is not asked and the answer
    leaves it out (the request page asks it only when an action depends on it)."""
    if version is None:
        return _detail_sections_read(service_request, with_checklist=checklist)
    key = f"desk:detail-sections:{service_request.pk}:{version}"
    parts: dict[str, bool] | None = cache.get(key)
    if parts is None:
        parts = _detail_sections_read(service_request, with_checklist=False)
        cache.set(key, parts, SECTIONS_CACHE_SECONDS)
    if not checklist:
        return dict(parts)
    return {**parts, "checklist": has_checklist(service_request)}


def has_checklist(service_request: ServiceRequest) -> bool:
    """Whether the request's matter type has a published 一次告知 checklist."""
    return ChecklistVersion.objects.filter(matter_type_id=service_request.matter_type_id).exists()


def _detail_sections_read(
    service_request: ServiceRequest, *, with_checklist: bool
) -> dict[str, bool]:
    checks: dict[str, Exists] = {
        f"has_{name}": Exists(model.objects.filter(service_request_id=service_request.pk))
        for name, model in _SECTION_MODELS.items()
    }
    names = list(_SECTION_MODELS)
    if with_checklist:
        checks["has_checklist"] = Exists(
            ChecklistVersion.objects.filter(matter_type_id=service_request.matter_type_id)
        )
        names.append("checklist")
    # Named ``has_…``: an annotation may not take the name of a relation (``replies``).
    answer: QuerySet[Any] = (
        ServiceRequest.objects.filter(pk=service_request.pk).order_by().values(**checks)
    )
    found: dict[str, Any] | None = answer.first()
    if found is None:  # the request is gone (merged requests stay; nothing deletes one)
        return dict.fromkeys(names, False)
    return {name: bool(found[f"has_{name}"]) for name in names}


def service_request_last_event_id(service_request: ServiceRequest) -> int:
    """The id of the request's newest event: what its page caches are keyed by (every change
    of the request, its replies, feedback, visits, supervisions, clock changes and attachments
    writes an event)."""
    return last_event_id(service_request)


def service_request_timeline(service_request: ServiceRequest) -> list[Event]:
    """The request's events, oldest first (``core.timeline.timeline_for``). Without their actors'
    rows: the page and the API name who did it by the label each event keeps (``actor_label``),
    and joining the users made the timeline's read and its rows several times wider."""
    return list(timeline_for(service_request).select_related(None))


def track(*, number: str, mobile: str) -> ServiceRequest | None:
    """Public tracking: the number and the phone it was registered with must both match."""
    found = (
        ServiceRequest.objects.select_related("matter_type")
        .filter(number=number.strip().upper()[:20])
        .first()
    )
    if found is None or not mobile:
        return None
    try:
        canonical = normalize_mobile(mobile)
    except ValidationError:
        return None
    if found.requester_mobile_hash != phone_hash(canonical):
        return None
    return found


@dataclass
class CallerCard:
    """What a judge or receptionist sees when a known number calls (DESIGN flow 1)."""

    mobile_masked: str
    persons: list[Person]
    open_requests: list[ServiceRequest]
    cases: list[CourtCase]


def caller_card(*, user: Viewer, mobile: str) -> CallerCard:
    digest = phone_hash(mobile)
    persons = list(
        scope_queryset(Person.objects.filter(phones__number_hash=digest), user).distinct()[:5]
    )
    requests = list(
        _base(user)
        .filter(
            Q(requester__in=persons) | Q(requester_mobile_hash=digest), status__in=OPEN_STATUSES
        )
        .order_by("-id")[:10]
    )
    cases = list(
        scope_queryset(
            CourtCase.objects.filter(parties__person__in=persons).select_related(
                "judge", "division"
            ),
            user,
        ).distinct()[:10]
    )
    return CallerCard(
        mobile_masked=mask_mobile(mobile), persons=persons, open_requests=requests, cases=cases
    )


def current_checklist(*, matter_type: MatterType) -> ChecklistVersion | None:
    """The matter type's latest published 一次告知 checklist, or None before the first."""
    return ChecklistVersion.objects.filter(matter_type=matter_type).order_by("-version").first()


def division_head_for(*, service_request: ServiceRequest) -> User | None:
    """The active head of the request's division (escalations and overdue notices go to them);
    while a transfer awaits acceptance, of the division it was sent to (as ``can_supervise``)."""
    division = service_request.division or service_request.transfer_division
    if division is None:
        return None
    return (
        User.objects.filter(org_unit=division, user_roles__role=Role.DIVISION_HEAD, is_active=True)
        .order_by("id")
        .first()
    )


def may_reveal_mobile(user: User, service_request: ServiceRequest) -> bool:
    """Who may see the requester's full number: whoever may act on the request, supervise it
    or make its return visit."""
    from youjie.desk.permissions import can_act_on, can_record_return_visit, can_supervise

    return bool(
        can_act_on(user, service_request)
        or can_supervise(user, service_request)
        or can_record_return_visit(user, service_request)
    )


def service_request_reveal_mobile(*, user: User, service_request: ServiceRequest) -> str:
    """The requester's full mobile number, for a call back or a return visit; each showing is
    audited like a person's full number (people.selectors.person_reveal). Those who may act on
    the request, supervise it or make its return visit may see it."""
    from youjie.core.audit import audit_record
    from youjie.core.crypto import decrypt_text
    from youjie.core.errors import PermissionDenied

    if not may_reveal_mobile(user, service_request):
        raise PermissionDenied("您无权查看该诉求人的完整电话")
    if not service_request.requester_mobile_encrypted:
        raise NotFound("该诉求未留电话")
    value = decrypt_text(service_request.requester_mobile_encrypted)
    audit_record(
        actor=user,
        action="view_full_phone",
        subject=service_request,
        fields=["requester_mobile"],
        purpose="回电或回访",
    )
    return value


def _named(blank: Q) -> Case:
    """0 for a template that leaves a condition blank (it applies to all), 1 for one that
    names it: the more conditions named, the more specific the template."""
    return Case(When(blank, then=Value(0)), default=Value(1), output_field=IntegerField())


def reply_templates_for(*, user: User, service_request: ServiceRequest) -> QuerySet[ReplyTemplate]:
    """The reply templates the request page offers ``user`` (issue 12, item 14): the active
    ones whose matter type is the request's, whose role is one of the user's roles and whose
    unit is the user's own or one above it; a blank matter type, role or unit applies to all.
    Most specific first: one written for this matter type before a general one, then one for
    the user's role, then the one of the nearest unit."""
    unit = user.org_unit
    # The materialised path ("/1/4/9/") holds the ids of the unit and of every unit above it.
    unit_ids = [int(part) for part in unit.path.split("/") if part.isdigit()] if unit else []
    any_matter_type = Q(matter_type__isnull=True)
    any_role = Q(role__isnull=True) | Q(role="")
    any_unit = Q(unit__isnull=True)
    return (
        ReplyTemplate.objects.filter(is_active=True)
        .filter(any_matter_type | Q(matter_type_id=service_request.matter_type_id))
        .filter(any_role | Q(role__in=sorted(user.role_set)))
        .filter(any_unit | Q(unit_id__in=unit_ids))
        .annotate(
            for_matter_type=_named(any_matter_type),
            for_role=_named(any_role),
            unit_depth=Length("unit__path"),
        )
        .order_by(
            "-for_matter_type", "-for_role", F("unit_depth").desc(nulls_last=True), "name", "id"
        )
    )


def requester_party_match(*, service_request: ServiceRequest) -> PartyMatch | None:
    """The party of the linked case the requester is shown to be, or None: no linked case, or
    nothing matched (issue 12, item 3). The request page and the API's request detail show the
    same answer."""
    if service_request.related_case_id is None:
        return None
    return case_party_match(
        court_case_id=service_request.related_case_id,
        person_id=service_request.requester_id,
        mobile_hash=service_request.requester_mobile_hash,
    )


def case_query_verification(*, service_request: ServiceRequest) -> Event | None:
    """The party check a 案件查询 request passed for the case it names now (the newest
    ``case_query_verified`` event, youjie/desk/services/case_query.py), or None: until then the
    request page tells nothing of the case."""
    if service_request.related_case_id is None:
        return None
    subject_type, subject_id = subject_key(service_request)
    return (
        Event.objects.filter(
            subject_type=subject_type,
            subject_id=subject_id,
            verb=VERIFIED_VERB,
            data__case_id=service_request.related_case_id,
        )
        .order_by("-id")
        .first()
    )
