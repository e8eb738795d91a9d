"""Reads of the desk: queues, overdue, search, the request page, the caller screen-pop."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import F, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from youjie.core.compiled import objects, values_rows
from youjie.core.errors import NotFound, ValidationFailed
from youjie.core.models import Event
from youjie.core.textsearch import fts5_match_expression, query_terms
from youjie.core.timeline import subject_key, timeline_by_key
from youjie.courtcases.models import CourtCase
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
    Reply,
    ReturnVisit,
    ServiceRequest,
    Supervision,
)
from youjie.desk.search import has_uncommon_term, search_ids_sql
from youjie.orgs.models import Line, OrgUnit, User
from youjie.orgs.scoping import scope_key, scope_queryset
from youjie.people.identity import phone_hash
from youjie.people.models import Person
from youjie.people.validators import mask_mobile, normalize_mobile

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


def _base(user: Any) -> QuerySet[ServiceRequest]:
    return scope_queryset(ServiceRequest.objects.select_related(*LIST_RELATED), user)


def for_rows(queryset: QuerySet[ServiceRequest]) -> QuerySet[Any]:
    """``queryset`` as the dicts of ``ROW_VALUES`` a queue row shows (same rows, same order)."""
    rows: QuerySet[Any] = queryset.select_related(None).values(*ROW_VALUES)
    return rows


@dataclass(frozen=True)
class Listing:
    """A queue as the rows ``for_rows`` gives, read page by page. ``key`` names everything the
    statement depends on (the viewer's scope and the queue's arguments): the statement is then
    compiled once per process (``core.compiled``). None: built and compiled on every read."""

    key: Hashable | None
    build: Callable[[], QuerySet[ServiceRequest]]

    def rows(self, offset: int, limit: int) -> list[dict[str, Any]]:
        if self.key is None:
            return list(for_rows(self.build())[offset : offset + limit])
        return values_rows(
            ServiceRequest, self.key, lambda: for_rows(self.build()), offset=offset, limit=limit
        )


def listing(
    name: str, user: Any, build: Callable[[], QuerySet[ServiceRequest]], *arguments: Hashable
) -> Listing:
    """A ``Listing`` of ``build()``, whose statement depends on the viewer's scope and
    ``arguments`` only (never on the clock)."""
    scope = scope_key(ServiceRequest, user)
    key = None if scope is None else (name, getattr(user, "pk", None), scope, *arguments)
    return Listing(key, build)


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


def my_queue(*, user: Any) -> QuerySet[ServiceRequest]:
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


# PostgreSQL: up to this many open requests, a division's queue is read through its index and
# sorted instead of walking the primary key (``division_listing``).
DIVISION_SORT_MAX = 5_000


def division_listing(*, user: Any, division_id: int | None) -> Listing:
    """The division queue as a ``Listing``, its plan chosen by how many candidates it has.

    On PostgreSQL the walk of ``_newest_first`` grew with every request the other divisions
    received (7 → 17 ms in a benchmark day, without bound): up to ``DIVISION_SORT_MAX``
    candidates are read and sorted instead; the intake division's ~15,000 keep the walk (16 ms,
    where sorting them takes 55). One bounded read of the index decides."""
    sort_open = (
        connection.vendor == "postgresql"
        and division_id is not None
        and not _more_candidates_than(division_id, DIVISION_SORT_MAX)
    )
    return listing(
        "division_queue",
        user,
        lambda: division_queue(user=user, division_id=division_id, sort_open=sort_open),
        division_id,
        sort_open,
    )


def _more_candidates_than(division_id: int, bound: int) -> bool:
    """Whether the division queue has more than ``bound`` candidates (its open requests and
    those transferred to it): reads at most ``bound + 1`` index entries, counts nothing."""
    statuses = list(OPEN_STATUSES)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM ({_DIVISION_IDS_SQL}) AS candidates OFFSET %s LIMIT 1",  # noqa: S608
            [*statuses, division_id, *statuses, division_id, bound],
        )
        return cursor.fetchone() is not None


def division_queue(
    *, user: Any, division_id: int | None = None, sort_open: bool = False
) -> QuerySet[ServiceRequest]:
    """Open requests of the division or transferred to it, newest first.

    Not ``Q(division) | Q(transfer_division)``: SQLite answers that OR by collecting every open
    request of the division, joining each to the scope's tables and sorting them all. The ids of
    the two branches, each read from its own index, go into one ``IN (… UNION ALL …)`` list that
    SQLite walks in id order, stopping after the page (5 ms → 0.3 ms for 1,861 open requests).
    """
    division_id = division_id or getattr(user, "org_unit_id", None)
    # Fixed SQL (the ORM spent more on nesting a UNION into the outer query than SQLite spends
    # running the whole page); the values are parameters.
    statuses = list(OPEN_STATUSES)
    ids = RawSQL(_DIVISION_IDS_SQL, [*statuses, division_id, *statuses, division_id])  # noqa: S611
    return _base(user).filter(pk__in=ids).order_by(_newest_first(sorted_=sort_open))


_OPEN_PLACEHOLDERS = ", ".join(["%s"] * len(OPEN_STATUSES))
_TABLE = ServiceRequest._meta.db_table
_DIVISION_IDS_SQL = (
    f"SELECT id FROM {_TABLE} WHERE status IN ({_OPEN_PLACEHOLDERS}) AND division_id = %s "  # noqa: S608 (our table)
    f"UNION ALL SELECT id FROM {_TABLE} "
    f"WHERE status IN ({_OPEN_PLACEHOLDERS}) AND transfer_division_id = %s"
)


def intake_queue(*, user: Any) -> QuerySet[ServiceRequest]:
    """Registered requests nobody has taken up yet (portal, WeChat, expired transfers)."""
    return _base(user).filter(status=RequestStatus.REGISTERED).order_by("-id")


def overdue_list(*, user: Any, now: datetime | None = None) -> QuerySet[ServiceRequest]:
    return _base(user).filter(overdue_q(now)).order_by("completion_due", "id")


def supervised_list(*, user: Any) -> QuerySet[ServiceRequest]:
    # The few supervised ids first (partial index desk_req_supervised), then the scope over
    # them: left to itself SQLite walked the court's whole history through the scope's indexes
    # (a receptionist's page: 1 s at a million requests).
    supervised = ServiceRequest.objects.filter(is_supervised=True).values("pk")
    return _base(user).filter(pk__in=supervised).order_by("completion_due", "id")


def priority_list(*, user: Any) -> QuerySet[ServiceRequest]:
    return _base(user).filter(priority=Priority.PRIORITY).order_by("-id")


def return_visit_queue(*, user: Any) -> QuerySet[ReturnVisit]:
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


def search(
    *,
    user: Any,
    query: str = "",
    status: str = "",
    matter_type: str = "",
    channel: str = "",
    division_id: int | None = None,
    date_from: datetime | None = None,
    date_to: datetime | None = None,
) -> QuerySet[ServiceRequest]:
    """Chinese full text over title, content and replies, with filters; always scoped."""
    query = query.strip()
    if len(query) > QUERY_MAX:
        raise ValidationFailed(f"检索词不能超过{QUERY_MAX}字", fields={"q": ["内容过长"]})
    rows = _base(user)
    by_fts_rowid = by_gin = False
    if query:
        if query.upper().startswith("SS") and len(query) <= 20:
            rows = rows.filter(number=query.upper())
        elif connection.vendor == "sqlite":
            terms = query_terms(query)
            if not terms:
                return rows.none()
            # Driven from the FTS5 table in rowid (= request id) order, newest first: SQLite
            # walks the matches backwards and stops after one page instead of materialising
            # every match (46,000 for a common two-character word) and sorting them.
            # Fixed SQL; the match expression is a parameter.
            rows = rows.extra(
                tables=["desk_request_fts"],
                where=[
                    "desk_request_fts.rowid = desk_servicerequest.id",
                    "desk_request_fts MATCH %s",
                ],
                params=[fts5_match_expression(terms)],
            )
            by_fts_rowid = True
        else:
            sql = search_ids_sql(query)
            if sql is None:
                return rows.none()
            rows = rows.extra(where=[f"desk_servicerequest.id IN ({sql[0]})"], params=sql[1])  # noqa: S610
            by_gin = has_uncommon_term(query)
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
    if by_fts_rowid:
        # The same order as "-id" (rowid = id), stated on the FTS table so that it drives.
        return rows.extra(order_by=["-desk_request_fts.rowid"])
    # An uncommon word on PostgreSQL: its few matches read through the GIN index and sorted.
    return rows.order_by(_newest_first(sorted_=by_gin))


def service_request_get(*, user: Any, pk: int) -> ServiceRequest:
    """One request the user may see, or NotFound (404) — ``orgs.scoping.access`` without its
    ORDER BY: on a primary-key lookup an ordering sorts nothing, but Django compiles it by
    hashing every selected column.

    The relations every request has come with it; the others are read by
    ``_attach_relations`` only when set. Joining all fourteen made Django compile ~200 columns
    on every page, which cost more than the few short reads that replace it (measured with
    bench/instructions.sh: joining even three more of them costs more than reading them apart).
    """

    def build(pk: int) -> QuerySet[ServiceRequest]:
        queryset = ServiceRequest.objects.select_related(*LIST_RELATED).filter(pk=pk).order_by()
        return scope_queryset(queryset, user)[:1]

    # The statement depends on the viewer's scope only: compiled once per scope.
    scope = scope_key(ServiceRequest, user)
    if scope is None:
        found = list(build(pk))
    else:
        found = objects(ServiceRequest, ("request", getattr(user, "pk", None), scope), build, pk)
    if not found:
        raise NotFound()
    _attach_relations(found[0])
    return found[0]


_USER_RELATIONS = ("first_contact", "created_by", "transfer_user")


def by_pk(model: type[Any], pk: int, *related: str) -> Any:
    """``model.objects.select_related(*related).filter(pk=pk).first()``, its statement compiled
    once per process (``core.compiled``)."""
    found = objects(
        model,
        ("by_pk", model._meta.label, related),
        lambda value: model._default_manager.select_related(*related).filter(pk=value),
        pk,
    )
    return found[0] if found else None


def section(model: type[Any], service_request: ServiceRequest, *related: str) -> list[Any]:
    """The rows of ``model`` that belong to ``service_request`` (its replies, its return
    visits …) in the model's order, as ``service_request.<related manager>.select_related(…)``
    gives them, each holding the request; the statement compiled once per process."""
    found = objects(
        model,
        ("section", model._meta.label, related),
        lambda value: model._default_manager.filter(service_request_id=value).select_related(
            *related
        ),
        service_request.pk,
    )
    field = model._meta.get_field("service_request")
    for row in found:
        field.set_cached_value(row, service_request)
    return found


def _attach_relations(service_request: ServiceRequest) -> None:
    """The request's optional relations, read only when set (at most six short queries: the
    people not already in hand, the case with its judge, the line, the requester, the transfer
    division, the linked requests), cached on the request as ``select_related`` would."""

    def attach(name: str, value: Any) -> None:
        field = ServiceRequest._meta.get_field(name)
        field.set_cached_value(service_request, value)  # type: ignore[union-attr]

    users: dict[Any, Any] = {service_request.assignee_id: service_request.assignee}
    for name in _USER_RELATIONS:
        user_id = getattr(service_request, f"{name}_id")
        if user_id is not None:
            if user_id not in users:
                users[user_id] = by_pk(User, user_id, "org_unit")
            attach(name, users[user_id])
    if service_request.related_case_id is not None:
        attach("related_case", by_pk(CourtCase, service_request.related_case_id, "judge"))
    if service_request.line_id is not None:
        attach("line", by_pk(Line, service_request.line_id))
    if service_request.requester_id is not None:
        attach("requester", by_pk(Person, service_request.requester_id))
    if service_request.transfer_division_id is not None:
        attach("transfer_division", by_pk(OrgUnit, service_request.transfer_division_id))
    linked = {service_request.merged_into_id, service_request.repeat_of_id} - {None}
    if linked:
        requests = ServiceRequest.objects.only("id", "number", "repeat_count").in_bulk(linked)
        for name in ("merged_into", "repeat_of"):
            linked_id = getattr(service_request, f"{name}_id")
            if linked_id is not None:
                attach(name, requests.get(linked_id))


_SECTION_MODELS: dict[str, type[Any]] = {
    "replies": Reply,
    "feedback": Feedback,
    "return_visits": ReturnVisit,
    "supervisions": Supervision,
    "clock_changes": ClockChange,
    "attachments": Attachment,
}


def _sections_sql() -> str:
    parts = [
        f"EXISTS (SELECT 1 FROM {model._meta.db_table} "  # noqa: S608 (names from meta)
        f"WHERE {model._meta.get_field('service_request').column} = %s)"
        for model in _SECTION_MODELS.values()
    ]
    checklist = ChecklistVersion._meta
    parts.append(
        f"EXISTS (SELECT 1 FROM {checklist.db_table} "  # noqa: S608 (names from meta)
        f"WHERE {checklist.get_field('matter_type').column} = %s)"
    )
    return f"SELECT {', '.join(parts)}"


_SECTIONS_SQL = _sections_sql()


def detail_sections(service_request: ServiceRequest) -> dict[str, bool]:
    """Which parts of the request page have anything in them — replies, feedback, return
    visits, supervisions, clock changes, attachments, and whether its matter type has a
    checklist — in one statement, so that the page reads only the parts that exist."""
    params = [service_request.pk] * len(_SECTION_MODELS) + [service_request.matter_type_id]
    with connection.cursor() as cursor:
        cursor.execute(_SECTIONS_SQL, params)
        row = cursor.fetchone()
    names = [*_SECTION_MODELS, "checklist"]
    return {name: bool(value) for name, value in zip(names, row, strict=True)}


def service_request_timeline(service_request: ServiceRequest) -> list[Event]:
    """The request's events, oldest first, with their actors (``core.timeline.timeline_for``,
    its statement compiled once per process)."""
    subject_type, subject_id = subject_key(service_request)
    return objects(
        Event,
        ("timeline", subject_type),
        lambda subject: timeline_by_key(subject_type, subject),
        subject_id,
    )


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


def caller_card(*, user: Any, mobile: str) -> CallerCard:
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
