"""Desk figures (诉事速办统计): received, 回音率, 按期办结率, satisfaction and return visits.

Every figure is aggregated by the database (``Count``/``Sum`` with ``filter=``, i.e.
``COUNT(CASE WHEN … END)``) over the requests the viewer's *basis* allows; no request row is
loaded into Python. Two grouped queries give every breakdown, whatever the volume: one over the
requests with their one-to-one feedback, one over the return visits (a request may have several
visits, so joining them into the first query would count a request twice). Both group at the
finest grain — division × judge × channel × matter type — and compute this period and the same
period last year at once; each breakdown (and the total) is the sum of those partial counts.

Who sees which figures (``desk_figures_basis``) is documented on that function.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from youjie.analytics import desk_contributions as desk_counts
from youjie.analytics.choices import FigureGrain
from youjie.analytics.figures import Breakdown, Counts, DeskFigures, FigureRow
from youjie.analytics.models import DESK_FIGURES, DeskFigureDay, FigureRefresh
from youjie.analytics.periods import Period, next_month
from youjie.analytics.permissions import city_office_region
from youjie.core.errors import PermissionDenied
from youjie.core.viewers import Viewer
from youjie.desk.choices import RUNNING_STATUSES, Channel, ReturnVisitStatus
from youjie.desk.models import Feedback, MatterType, ReturnVisit, ServiceRequest, Supervision
from youjie.desk.permissions import is_desk_staff
from youjie.orgs.choices import Role
from youjie.orgs.models import OrgUnit, User
from youjie.orgs.scoping import court_of_user, region_subtree_codes, scope_queryset

SATISFIED_AT_OR_ABOVE = desk_counts.SATISFIED_AT_OR_ABOVE
ANSWERED_STATUSES = desk_counts.ANSWERED_STATUSES
ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class FiguresBasis:
    """The requests a viewer's figures are computed over, and whether only aggregates may show.

    ``days``: the same requests' rows of the day table (``models.DeskFigureDay``) when the basis
    is whole courts or a division, which the figures are then read from; None for a judge's or
    clerk's own requests (assigned, routed, on their lines, of their cases: a few, computed
    from the requests)."""

    requests: QuerySet[ServiceRequest]
    label: str
    aggregates_only: bool
    days: QuerySet[DeskFigureDay] | None = None
    # Names the basis in a cache key of its kept figures ("court:23", "division:7", "city:…").
    key: str = ""


def desk_figures_basis(*, user: Viewer) -> FiguresBasis:
    """Which requests a user's desk figures count (DESIGN.md "Who sees what").

    - Desk staff — receptionists, judges, clerks, division heads, court leaders — get figures over
      exactly the requests they may see, through ``orgs.scoping.scope_queryset``: a division
      head their division, a court leader and a receptionist their court, a judge or clerk what
      is assigned or routed to them, came on their lines or concerns their cases.
    - A **city** office officer (专项办 of a city-level region) sees "desk figures, not desk
      content": figures are computed over **all** requests of every court in the office's
      region, bypassing ``scope_queryset`` (which gives office officers no desk rows at all),
      and only aggregates are ever shown — no title, content, requester or request number, on
      the page or in the export (``aggregates_only``). This is the one exception to scoping.
    - Everybody else, including county office officers and administrators, is refused (403).
    """
    region = city_office_region(user)
    if region is not None:
        codes = sorted(region_subtree_codes(region))
        return FiguresBasis(
            requests=ServiceRequest.objects.filter(court__region_id__in=codes),
            label="全市各法院（仅统计数字）",
            aggregates_only=True,
            days=DeskFigureDay.objects.filter(
                court_id__in=list(
                    OrgUnit.objects.filter(region_id__in=codes).values_list("pk", flat=True)
                )
            ),
            key=f"city:{region}",
        )
    if not is_desk_staff(user):
        raise PermissionDenied("您没有查看诉事速办统计的权限")
    # Joined: the figures are read through their date indexes, not the viewer's whole history.
    requests = scope_queryset(ServiceRequest.objects.all(), user, joined=True)
    unit = user.org_unit if isinstance(user, User) else None
    days: QuerySet[DeskFigureDay] | None = None
    # Names the basis in a cache key of its kept figures ("court:23", "division:7", "city:…").
    key: str = ""
    if user.has_role(Role.COURT_LEADER, Role.RECEPTIONIST):
        label = "本院"
        court = court_of_user(user)
        if court is not None:
            requests = ServiceRequest.objects.filter(court=court)
            days = DeskFigureDay.objects.filter(court=court)
            key = f"court:{court.pk}"
    elif user.has_role(Role.DIVISION_HEAD):
        label = "本庭室"
        if unit is not None:
            # The division's requests (one offered to it by a transfer counts once accepted).
            requests = ServiceRequest.objects.filter(division=unit)
            days = DeskFigureDay.objects.filter(division=unit)
            key = f"division:{unit.pk}"
    else:
        label = "本人承办及相关诉求"
    return FiguresBasis(requests=requests, label=label, aggregates_only=False, days=days, key=key)


# --- the rules of each figure -----------------------------------------------------------------


def _within(field: str, lower: datetime, upper: datetime) -> Q:
    return Q(**{f"{field}__gte": lower, f"{field}__lt": upper})


def supervised_when_overdue() -> QuerySet[Supervision, Any]:
    """Requests supervised (督办) after their deadline had passed.

    Supervision replaces ``completion_due`` with the supervisor's new deadline; answering by that
    new deadline must not turn an overdue request into one "closed on time".
    """
    return Supervision.objects.filter(previous_deadline__lt=F("created_at")).values(
        "service_request_id"
    )


def _request_aggregates(tag: str, period: Period, now: datetime) -> dict[str, Any]:
    """The request-side figures of one period, as filtered aggregates named ``<figure>_<tag>``.

    Received (受理量)
        Requests registered (``created_at``) in the period, whatever became of them.

    Responded on time (回音率) = on time ÷ decided
        A request is *on time* when ``first_responded_at`` ≤ ``first_response_due`` (an
        on-the-spot answer, an interim reply or the answer all count as the first response);
        it is *late* when it was responded after the deadline, or is still unresponded with a
        running clock (registered, awaiting acceptance, in progress). Each request is decided
        once and counted in exactly one period: an on-time request in the period of its first
        response, a late one in the period where its first-response deadline fell — and only once
        that deadline has passed. Requests merged, withdrawn or paused without a response are not
        counted (they needed none, or their clock is stopped).

    Closed on time (按期办结率) = on time ÷ decided
        The court's part of closure is the answer reaching the requester: ``replied_at``.
        (``closed_at`` also waits for the requester's rating or the end of the feedback window,
        which the court does not control.) A request is *on time* when it is replied or closed
        with ``replied_at`` ≤ ``completion_due`` and it was not supervised after becoming overdue
        (``supervised_when_overdue``). ``completion_due`` already carries approved extensions and
        pauses. It is *late* when answered after the deadline, supervised when overdue, or still
        unanswered with a running clock (including a request reopened after its answer). On-time
        requests count in the period of ``replied_at``; late ones in the period of
        ``completion_due``, once passed. Merged, withdrawn and paused requests are not counted.

    Satisfaction (满意度)
        Ratings submitted (``Feedback.submitted_at``) in the period: their number, the sum of
        the 1–5 scores (mean = sum ÷ number) and how many scored 4 or 5 (满意率).
    """
    lower, upper = period.bounds()
    decided_upper = min(upper, now)

    response_on_time = Q(
        first_responded_at__isnull=False, first_responded_at__lte=F("first_response_due")
    )
    response_late = Q(first_responded_at__gt=F("first_response_due")) | Q(
        first_responded_at__isnull=True, status__in=RUNNING_STATUSES
    )
    response_counted_on_time = response_on_time & _within("first_responded_at", lower, upper)
    response_counted_late = response_late & _within("first_response_due", lower, decided_upper)

    overdue_supervised = Q(pk__in=supervised_when_overdue())
    answered = Q(status__in=ANSWERED_STATUSES, replied_at__isnull=False)
    completion_on_time = answered & Q(replied_at__lte=F("completion_due")) & ~overdue_supervised
    completion_late = Q(status__in=RUNNING_STATUSES) | (
        answered & (Q(replied_at__gt=F("completion_due")) | overdue_supervised)
    )
    completion_counted_on_time = completion_on_time & _within("replied_at", lower, upper)
    completion_counted_late = completion_late & _within("completion_due", lower, decided_upper)

    rated = Q(feedback__satisfaction__isnull=False) & _within(
        "feedback__submitted_at", lower, upper
    )
    return {
        f"received_{tag}": Count("pk", filter=_within("created_at", lower, upper)),
        f"response_on_time_{tag}": Count("pk", filter=response_counted_on_time),
        f"response_decided_{tag}": Count(
            "pk", filter=response_counted_on_time | response_counted_late
        ),
        f"completion_on_time_{tag}": Count("pk", filter=completion_counted_on_time),
        f"completion_decided_{tag}": Count(
            "pk", filter=completion_counted_on_time | completion_counted_late
        ),
        f"rated_{tag}": Count("pk", filter=rated),
        f"satisfaction_sum_{tag}": Sum("feedback__satisfaction", filter=rated, default=0),
        f"satisfied_{tag}": Count(
            "pk", filter=rated & Q(feedback__satisfaction__gte=SATISFIED_AT_OR_ABOVE)
        ),
    }


RELEVANT_FIELDS = (
    "created_at",
    "first_responded_at",
    "first_response_due",
    "replied_at",
    "completion_due",
)


def _relevant(period: Period) -> Q:
    """Rows that can contribute to a figure of the period: one of their dates falls in it.

    Each term is a range on one column of the request table (the ratings through an id
    subquery), so that with an index on each column SQLite and PostgreSQL read only these rows
    (an OR of index ranges) instead of the whole table.
    """
    lower, upper = period.bounds()
    rated = Feedback.objects.filter(_within("submitted_at", lower, upper)).values(
        "service_request_id"
    )
    q = Q(pk__in=rated)
    for field in RELEVANT_FIELDS:
        q |= _within(field, lower, upper)
    return q


# --- breakdowns --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dimension:
    key: str
    title: str
    field: str  # the grouping column on ServiceRequest
    label_fields: tuple[str, ...]
    empty_label: str
    # The row order: the organisation tree for divisions, the administrators' order for matter
    # types, the name for judges — never a score (DOMAIN.md §9: ranking is banned).
    order_field: str = ""


DIMENSIONS: tuple[Dimension, ...] = (
    Dimension(
        "division", "按庭室", "division_id", ("division__name",), "未分派庭室", "division__path"
    ),
    Dimension(
        "assignee",
        "按承办人",
        "assignee_id",
        ("assignee__display_name", "assignee__username"),
        "未指定承办人",
    ),
    Dimension("channel", "按渠道", "channel", (), ""),
    Dimension(
        "matter_type",
        "按事项类型",
        "matter_type_id",
        ("matter_type__name",),
        "未分类",
        "matter_type__sort_order",
    ),
)


def _label(dimension: Dimension, values: dict[str, Any], prefix: str = "") -> str:
    key = values[prefix + dimension.field]
    if dimension.key == "channel":
        return str(Channel(key).label) if key in Channel.values else str(key)
    if key is None:
        return dimension.empty_label
    for field in dimension.label_fields:
        if values.get(prefix + field):
            return str(values[prefix + field])
    return str(key)


def _counts(row: dict[str, Any], tag: str) -> Counts:
    return Counts(
        received=row[f"received_{tag}"],
        response_on_time=row[f"response_on_time_{tag}"],
        response_decided=row[f"response_decided_{tag}"],
        completion_on_time=row[f"completion_on_time_{tag}"],
        completion_decided=row[f"completion_decided_{tag}"],
        rated=row[f"rated_{tag}"],
        satisfaction_sum=row[f"satisfaction_sum_{tag}"] or 0,
        satisfied=row[f"satisfied_{tag}"],
    )


def _order(dimension: Dimension, values: dict[str, Any], prefix: str = "") -> tuple[Any, ...]:
    """The row's place: unassigned last, then the dimension's order, then the name."""
    key = values[prefix + dimension.field]
    if dimension.key == "channel":
        return (Channel.values.index(key) if key in Channel.values else len(Channel.values),)
    order = values.get(prefix + dimension.order_field) if dimension.order_field else None
    return (key is None, order is None, order if order is not None else 0)


def _dimension_fields(dimension: Dimension) -> tuple[str, ...]:
    order = (dimension.order_field,) if dimension.order_field else ()
    return (dimension.field, *dimension.label_fields, *order)


GRAIN: tuple[str, ...] = tuple(
    dict.fromkeys(field for dimension in DIMENSIONS for field in _dimension_fields(dimension))
)


class _Rollup:
    """Sums the partial counts of the finest grain into each breakdown's rows."""

    def __init__(self) -> None:
        self.rows: dict[str, dict[str, FigureRow]] = {d.key: {} for d in DIMENSIONS}
        self.orders: dict[tuple[str, str], tuple[Any, ...]] = {}

    def row(self, dimension: Dimension, values: dict[str, Any], prefix: str = "") -> FigureRow:
        key = str(values[prefix + dimension.field])
        rows = self.rows[dimension.key]
        found = rows.get(key)
        if found is None:
            found = rows[key] = FigureRow(key=key, label=_label(dimension, values, prefix))
            self.orders[(dimension.key, key)] = _order(dimension, values, prefix)
        return found

    def _place(self, dimension: Dimension, row: FigureRow) -> tuple[Any, ...]:
        return (*self.orders[(dimension.key, row.key)], row.label)

    def breakdowns(self) -> list[Breakdown]:
        found = []
        for dimension in DIMENSIONS:
            rows = sorted(self.rows[dimension.key].values(), key=partial(self._place, dimension))
            found.append(Breakdown(key=dimension.key, title=dimension.title, rows=rows))
        return found


def _breakdowns(
    *,
    requests: QuerySet[ServiceRequest],
    current: Period,
    previous: Period,
    now: datetime,
) -> list[Breakdown]:
    """Every breakdown from two grouped queries at the finest grain.

    The requests are grouped once by division × judge × channel × matter type (a few hundred
    to a few thousand groups, however many requests) with all the figures of both periods as
    filtered aggregates; each breakdown is then the sum of those partial counts, which are all
    additive. Grouping four times would scan the requests four times.
    """
    rollup = _Rollup()
    request_rows = (
        requests.filter(_relevant(current) | _relevant(previous))
        .order_by()
        .values(*GRAIN)
        .annotate(
            **_request_aggregates("current", current, now),
            **_request_aggregates("previous", previous, now),
        )
    )
    for values in request_rows:
        current_counts, previous_counts = _counts(values, "current"), _counts(values, "previous")
        for dimension in DIMENSIONS:
            row = rollup.row(dimension, values)
            row.current.add(current_counts)
            row.previous.add(previous_counts)

    cur_lower, cur_upper = current.bounds()
    prev_lower, prev_upper = previous.bounds()
    prefix = "service_request__"
    # The visits of the two periods first (a range on done_at), each then checked against the
    # basis by its request's id: cheaper than listing every request of the basis.
    visible = Exists(requests.filter(pk=OuterRef("service_request_id")))
    visit_rows = (
        ReturnVisit.objects.filter(
            _within("done_at", cur_lower, cur_upper) | _within("done_at", prev_lower, prev_upper),
            status=ReturnVisitStatus.DONE,
        )
        .filter(visible)
        .order_by()
        .values(*(prefix + field for field in GRAIN), "result")
        .annotate(
            current=Count("pk", filter=_within("done_at", cur_lower, cur_upper)),
            previous=Count("pk", filter=_within("done_at", prev_lower, prev_upper)),
        )
    )
    for values in visit_rows:
        result = values["result"]
        for dimension in DIMENSIONS:
            row = rollup.row(dimension, values, prefix)
            for counts, number in (
                (row.current, values["current"]),
                (row.previous, values["previous"]),
            ):
                if number:
                    counts.visits[result] = counts.visit(result) + number
    return rollup.breakdowns()


def desk_figures_kept_at(*, basis: FiguresBasis) -> datetime | None:
    """When the day table the basis's figures are read from was last brought up to date; None
    when they are computed from the requests (no table for the basis, or not built yet)."""
    if basis.days is None:
        return None
    return (
        FigureRefresh.objects.filter(name=DESK_FIGURES)
        .values_list("refreshed_at", flat=True)
        .first()
    )


def desk_figures(
    *, basis: FiguresBasis, period: Period, now: datetime | None = None
) -> DeskFigures:
    """All desk figures of ``period`` and the same period last year, over ``basis``: read from
    the day table kept by the background engine when the basis has one and it has been built
    (``as_of`` its last refresh: 数据截至), else computed from the requests as of ``now``."""
    if basis.days is not None:
        refreshed_at = desk_figures_kept_at(basis=basis)
        if refreshed_at is not None:
            return _figures_from_days(
                basis=basis, days=basis.days, period=period, as_of=refreshed_at
            )
    return desk_figures_from_requests(basis=basis, period=period, now=now)


def desk_figures_from_requests(
    *, basis: FiguresBasis, period: Period, now: datetime | None = None
) -> DeskFigures:
    """The desk figures computed from the requests themselves (two grouped queries over every
    request with a date in either period), as of ``now``."""
    now = now or timezone.now()
    previous = period.previous_year()
    breakdowns = _breakdowns(requests=basis.requests, current=period, previous=previous, now=now)
    return _desk_figures(basis, period, previous, breakdowns, as_of=now)


def _desk_figures(
    basis: FiguresBasis,
    period: Period,
    previous: Period,
    breakdowns: list[Breakdown],
    *,
    as_of: datetime,
) -> DeskFigures:
    total = FigureRow(key="total", label="合计")
    # Every request has exactly one channel: the channel rows add up to the total.
    for row in next(b for b in breakdowns if b.key == "channel").rows:
        total.current.add(row.current)
        total.previous.add(row.previous)
    return DeskFigures(
        period_label=period.label,
        previous_label=previous.label,
        basis_label=basis.label,
        total=total,
        breakdowns=breakdowns,
        as_of=as_of,
    )


def _ranges(period: Period) -> list[tuple[FigureGrain, date, date]]:
    """The day table's rows that make up ``period``, as (grain, first day, day after): the day
    rows of the part of a month before the first whole month, the month rows of the whole
    months (a month row's day is the month's first), the day rows after the last whole month."""
    start, stop = period.start, period.end + ONE_DAY
    first_whole = start if start.day == 1 else next_month(start)
    whole_end = stop.replace(day=1)  # the whole months are those beginning in [first, end)
    if first_whole >= whole_end:
        return [(FigureGrain.DAY, start, stop)]
    ranges = [(FigureGrain.MONTH, first_whole, whole_end)]
    if start < first_whole:
        ranges.insert(0, (FigureGrain.DAY, start, first_whole))
    if whole_end < stop:
        ranges.append((FigureGrain.DAY, whole_end, stop))
    return ranges


def _labels(
    division_ids: set[Any], assignee_ids: set[Any], matter_type_ids: set[Any]
) -> dict[str, dict[Any, dict[str, Any]]]:
    """The names and orders the breakdowns show, of the divisions, assignees and matter types
    that have figures (one query each)."""
    return {
        "division": {
            row["pk"]: dict(row)
            for row in OrgUnit.objects.filter(pk__in=division_ids).values("pk", "name", "path")
        },
        "assignee": {
            row["pk"]: dict(row)
            for row in User.objects.filter(pk__in=assignee_ids).values(
                "pk", "display_name", "username"
            )
        },
        "matter_type": {
            row["pk"]: dict(row)
            for row in MatterType.objects.filter(pk__in=matter_type_ids).values(
                "pk", "name", "sort_order"
            )
        },
    }


def _row_values(
    dimension: str, key: Any, labels: dict[str, dict[Any, dict[str, Any]]]
) -> dict[str, Any]:
    """A breakdown's row as the grouped query over the requests names it (``GRAIN``)."""
    if dimension == "channel":
        return {"channel": key}
    found = labels[dimension].get(key, {})
    if dimension == "division":
        names = {"division__name": found.get("name"), "division__path": found.get("path")}
    elif dimension == "assignee":
        names = {
            "assignee__display_name": found.get("display_name"),
            "assignee__username": found.get("username"),
        }
    else:
        names = {
            "matter_type__name": found.get("name"),
            "matter_type__sort_order": found.get("sort_order"),
        }
    return {f"{dimension}_id": key, **names}


def _counts_of(values: dict[str, Any]) -> Counts:
    counts = Counts(
        received=values["received"] or 0,
        response_on_time=values["response_on_time"] or 0,
        response_decided=values["response_decided"] or 0,
        completion_on_time=values["completion_on_time"] or 0,
        completion_decided=values["completion_decided"] or 0,
        rated=values["rated"] or 0,
        satisfaction_sum=values["satisfaction_sum"] or 0,
        satisfied=values["satisfied"] or 0,
    )
    for result, column in desk_counts.VISIT_COLUMNS.items():
        if values[column]:
            counts.visits[result] = values[column]
    return counts


def _figures_from_days(
    *, basis: FiguresBasis, days: QuerySet[DeskFigureDay], period: Period, as_of: datetime
) -> DeskFigures:
    """The figures as sums over the day table: for each period (this one and last year's) and
    each of its ranges of rows (``_ranges``), one query grouped by division and breakdown row
    (an index range each: the basis's court or division, the grain, the days); a division's
    figures are the sums of its channel rows. Then the rows' names, and the breakdowns in the
    order ``_breakdowns`` gives them."""
    previous = period.previous_year()
    sums: dict[tuple[str, Any], tuple[Counts, Counts]] = {}

    def add(dimension: str, key: Any, index: int, counts: Counts) -> None:
        both = sums.setdefault((dimension, key), (Counts(), Counts()))
        both[index].add(counts)

    for index, one in enumerate((period, previous)):
        for grain, first, after in _ranges(one):
            rows = (
                days.filter(grain=grain, day__gte=first, day__lt=after)
                .order_by()
                .values("division_id", "dimension", "key")
                .annotate(**{column: Sum(column) for column in desk_counts.COLUMNS})
            )
            for values in rows:
                counts = _counts_of(values)
                dimension, key = values["dimension"], values["key"]
                if dimension == "channel":
                    add("division", values["division_id"], index, counts)
                else:
                    key = int(key) if key else None
                add(dimension, key, index, counts)
    empty = (Counts(), Counts())
    kept = {group: both for group, both in sums.items() if both != empty}
    labels = _labels(
        *({key for (dimension, key) in kept if dimension == name} - {None}
          for name in ("division", "assignee", "matter_type"))
    )  # fmt: skip
    rollup = _Rollup()
    by_key = {dimension.key: dimension for dimension in DIMENSIONS}
    for (name, key), (current, before) in kept.items():
        row = rollup.row(by_key[name], _row_values(name, key, labels))
        row.current.add(current)
        row.previous.add(before)
    return _desk_figures(basis, period, previous, rollup.breakdowns(), as_of=as_of)
