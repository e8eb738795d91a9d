"""Court performance figures (审判质效): reads, scoped.

``court_figures`` reads a period's figures from the day table the background engine keeps
current (``models.CourtFigureDay``, ``services.court_figures_refresh``): one grouped SUM over
the day rows of the court (a few hundred summed rows, whatever the number of cases), the days
split into the segments the two periods' bounds cut them into; the arithmetic that turns those
sums into the figures is in ``court_contributions``. ``court_figures_from_cases`` computes the
same figures from the cases themselves — one grouped ORM aggregate (``Count``/``Sum`` with
``filter=``) at the grain division × case type — and stays as the definition the day table is
tested against, and as the answer before the table was ever built. The definitions are in
``youjie.analytics.court_figures`` (and on the page); the conditions behind each figure are the
same as the case list's drill-down filters (``courtcases.selectors.CaseDrillDown``), so that a
figure's link lists exactly the cases it counts.

Who reads what: a court leader their court's figures, a division head their division's (the
scoping of CourtCase, ``orgs.scoping``, and of the day table, ``analytics.scopes``); a
division, a judge or a case type narrows that further. A division or judge outside the
viewer's scope is "not found" (404), as every fetch.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import (
    Case,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.utils import timezone

from youjie.analytics.choices import FigureGrain
from youjie.analytics.court_contributions import COLUMNS, ONE_DAY
from youjie.analytics.court_figures import CourtCounts, CourtFigureRow, CourtFigures, Filters
from youjie.analytics.models import COURT_FIGURES, CourtFigureDay, FigureRefresh
from youjie.analytics.periods import Period, next_month
from youjie.analytics.permissions import may_see_court_figures
from youjie.analytics.policy import PETITIONED, acceptance_rate_subtracts
from youjie.core.errors import NotFound, PermissionDenied, ValidationFailed
from youjie.core.viewers import Viewer
from youjie.courtcases.choices import ImportStatus
from youjie.courtcases.deadlines import closed_over_limit_q, limit_aliases, open_over_limit_q
from youjie.courtcases.models import CaseImport, CourtCase
from youjie.courtcases.numbers import (
    FIRST_INSTANCE_TYPE_CODES,
    KNOWN_TYPE_CODES,
    PRE_LITIGATION_TYPE_CODES,
)
from youjie.courtcases.selectors import MAX_ID, REVERSED_OR_REMANDED_RESULTS
from youjie.orgs.choices import OrgKind, Role
from youjie.orgs.models import OrgUnit, User, UserRole
from youjie.orgs.scoping import access, court_of_user, scope_queryset

NO_DIVISION = "未分派庭室"


@dataclass(frozen=True)
class CourtFiguresBasis:
    """The cases a viewer's court figures count, and what narrowed them."""

    court: OrgUnit
    cases: QuerySet[CourtCase]
    days: QuerySet[CourtFigureDay]  # the same cases' rows in the day table
    label: str
    filters: Filters


def court_figures_court(*, user: Viewer) -> OrgUnit:
    """The court whose figures ``user`` reads: their own (403 for anybody else)."""
    if not may_see_court_figures(user):
        raise PermissionDenied("只有院领导和庭长可以查看审判质效统计")
    court = court_of_user(user)
    if court is None or not court.court_code:
        raise PermissionDenied("您所在机构不属于已设置法院代字的法院")
    return court


def court_figures_divisions(*, user: Viewer, court: OrgUnit) -> QuerySet[OrgUnit]:
    """The court's divisions ``user`` may see (a division head: their own)."""
    divisions = OrgUnit.objects.filter(
        kind=OrgKind.DIVISION, path__startswith=court.path, is_active=True
    )
    return scope_queryset(divisions, user).order_by("path")


def court_figures_judges(*, user: Viewer, court: OrgUnit) -> QuerySet[User]:
    """The court's judges ``user`` may see, by name: a filter, never a ranking (DOMAIN.md §9)."""
    judges = User.objects.filter(
        org_unit__path__startswith=court.path,
        is_active=True,
        pk__in=UserRole.objects.filter(role=Role.JUDGE).values("user_id"),
    )
    return scope_queryset(judges, user).order_by("display_name", "username")


def court_figures_basis(
    *,
    user: Viewer,
    court_code: str,
    division_id: int | None = None,
    judge_id: int | None = None,
    type_code: str = "",
) -> CourtFiguresBasis:
    """The cases of the court ``court_code`` that ``user`` may see, narrowed by the filters.

    403 for a viewer without the role; 404 for another court, a division or a judge outside the
    viewer's scope (a division head asking for another division); 422 ``unknown_type`` for a type
    code the case numbers do not use.
    """
    if not may_see_court_figures(user):
        raise PermissionDenied("只有院领导和庭长可以查看审判质效统计")
    court = court_of_user(user)
    if court is None or not court.court_code or court.court_code != court_code.strip():
        raise NotFound("法院不存在或您无权查看其统计")
    cases = scope_queryset(CourtCase.objects.filter(court=court), user)
    # The scope's paths as subqueries: the day rows are read through their (court, day) index.
    days = scope_queryset(CourtFigureDay.objects.filter(court=court), user, joined=False)
    label = court.name if user.has_role(Role.COURT_LEADER) else _unit_name(user)
    parts = [label]
    if division_id is not None:
        if not 0 < division_id <= MAX_ID:
            raise NotFound()
        division = access(court_figures_divisions(user=user, court=court), user, pk=division_id)
        cases = cases.filter(division=division)
        days = days.filter(division=division)
        parts.append(division.name)
    if judge_id is not None:
        if not 0 < judge_id <= MAX_ID:
            raise NotFound()
        judge = access(court_figures_judges(user=user, court=court), user, pk=judge_id)
        cases = cases.filter(judge=judge)
        days = days.filter(judge=judge)
        parts.append(f"承办法官{judge.display_name or judge.username}")
    type_code = type_code.strip()
    if type_code:
        if type_code not in KNOWN_TYPE_CODES:
            raise ValidationFailed(
                f"未知的案件类型代字：{type_code[:16]}",
                code="unknown_type",
                fields={"type": ["未知的案件类型代字"]},
            )
        cases = cases.filter(type_code=type_code)
        days = days.filter(type_code=type_code)
        parts.append(type_code)
    else:
        # 诉前调解 and 诉前保全 numbers are not cases received for trial.
        cases = cases.exclude(type_code__in=PRE_LITIGATION_TYPE_CODES)
        days = days.exclude(type_code__in=PRE_LITIGATION_TYPE_CODES)
    return CourtFiguresBasis(
        court=court,
        cases=cases,
        days=days,
        label=" · ".join(parts),
        filters=Filters(division_id=division_id, judge_id=judge_id, type_code=type_code),
    )


def _unit_name(user: Viewer) -> str:
    unit = user.org_unit if isinstance(user, User) else None
    return unit.name if unit is not None else "本庭室"


# --- the rules of each figure (court_figures.py has them in words) ----------------------------


def _aggregates(tag: str, period: Period, subtracts: tuple[str, ...]) -> dict[str, Any]:
    start, end = period.start, period.end
    carried_over = Q(filed_on__lt=start) & (Q(closed_on__isnull=True) | Q(closed_on__gte=start))
    new = Q(filed_on__gte=start, filed_on__lte=end)
    closed = Q(closed_on__gte=start, closed_on__lte=end, filed_on__lte=end)
    first_instance = closed & Q(type_code__in=FIRST_INSTANCE_TYPE_CODES)
    appealed = first_instance & Q(appealed=True)
    refused = Q(appealed=True)
    if PETITIONED in subtracts:
        refused |= Q(petitioned=True)  # a case appealed and petitioned is subtracted once
    days = ExpressionWrapper(F("closed_on") - F("filed_on"), output_field=DurationField())
    return {
        f"carried_over_{tag}": Count("pk", filter=carried_over),
        f"new_{tag}": Count("pk", filter=new),
        f"closed_{tag}": Count("pk", filter=closed),
        f"first_instance_closed_{tag}": Count("pk", filter=first_instance),
        f"appealed_{tag}": Count("pk", filter=appealed),
        f"petitioned_{tag}": Count("pk", filter=first_instance & Q(petitioned=True)),
        f"not_accepted_{tag}": Count("pk", filter=first_instance & refused),
        f"reversed_or_remanded_{tag}": Count(
            "pk", filter=appealed & Q(second_instance_result__in=REVERSED_OR_REMANDED_RESULTS)
        ),
        f"days_to_close_{tag}": Sum(days, filter=closed),
        f"over_limit_closed_{tag}": Count("pk", filter=closed & closed_over_limit_q()),
        f"over_limit_open_{tag}": Count("pk", filter=open_over_limit_q(end)),
    }


def _relevant(current: Period, previous: Period) -> Q:
    """Cases that can count in either period: filed by the end, and not closed before the base
    period's start unless filed since (a case closed before it was filed — the admin allows
    it, the import does not — is still 新收 of the period it was filed in)."""
    return Q(filed_on__lte=current.end) & (
        Q(closed_on__isnull=True)
        | Q(closed_on__gte=previous.start)
        | Q(filed_on__gte=previous.start)
    )


def _counts(row: dict[str, Any], tag: str) -> CourtCounts:
    days: timedelta | None = row[f"days_to_close_{tag}"]
    return CourtCounts(
        carried_over=row[f"carried_over_{tag}"],
        new=row[f"new_{tag}"],
        closed=row[f"closed_{tag}"],
        first_instance_closed=row[f"first_instance_closed_{tag}"],
        appealed=row[f"appealed_{tag}"],
        petitioned=row[f"petitioned_{tag}"],
        not_accepted=row[f"not_accepted_{tag}"],
        reversed_or_remanded=row[f"reversed_or_remanded_{tag}"],
        days_to_close=days.days if days is not None else 0,
        over_limit_closed=row[f"over_limit_closed_{tag}"],
        over_limit_open=row[f"over_limit_open_{tag}"],
    )


# One group of counts: (division id, division name, division path, type code), this period's
# counts and the same period's a year earlier.
Group = tuple[tuple[int | None, str | None, str | None, str], CourtCounts, CourtCounts]


def court_figures_from_cases(
    *, basis: CourtFiguresBasis, period: Period, now: datetime | None = None
) -> CourtFigures:
    """Every court figure of ``period`` and of the same period a year earlier, computed from
    the cases (the definition the day table is held to). Two queries: the grouped aggregate
    and the court's last import."""
    previous = period.previous_year()
    subtracts = acceptance_rate_subtracts()
    rows = (
        basis.cases.alias(**limit_aliases())
        .filter(_relevant(period, previous))
        .order_by()
        .values("division_id", "division__name", "division__path", "type_code")
        .annotate(
            **_aggregates("current", period, subtracts),
            **_aggregates("previous", previous, subtracts),
        )
    )
    groups: list[Group] = [
        (
            (
                values["division_id"],
                values["division__name"],
                values["division__path"],
                values["type_code"],
            ),
            _counts(values, "current"),
            _counts(values, "previous"),
        )
        for values in rows
    ]
    return _figures(basis, period, subtracts, groups, as_of=now or timezone.now())


def court_figures(*, basis: CourtFiguresBasis, period: Period) -> CourtFigures:
    """Every court figure of ``period`` and of the same period a year earlier, over ``basis``,
    read from the day table (``as_of`` is when it was last brought up to date: 数据截至): the
    rows ``_day_rows`` picks, summed per division, type and segment of days. Until
    the table has been built once, computed from the cases (``as_of`` then is now). Three
    queries: the table's state, the grouped sum and the court's last import."""
    refreshed_at = (
        FigureRefresh.objects.filter(name=COURT_FIGURES)
        .values_list("refreshed_at", flat=True)
        .first()
    )
    if refreshed_at is None:
        return court_figures_from_cases(basis=basis, period=period)
    previous = period.previous_year()
    subtracts = acceptance_rate_subtracts()
    bounds = sorted({period.start, period.end + ONE_DAY, previous.start, previous.end + ONE_DAY})
    segment = Case(
        *(When(day__lt=bound, then=Value(index)) for index, bound in enumerate(bounds)),
        default=Value(len(bounds)),
        output_field=IntegerField(),
    )
    rows = (
        _day_rows(basis, bounds)
        .annotate(segment=segment)
        .order_by()
        .values(
            "division_id", "division__name", "division__path", "type_code", "segment",
            "filed_after",
        )
        .annotate(**{f"sum_{name}": Sum(name) for name in COLUMNS})
    )  # fmt: skip
    sums: dict[tuple[int | None, str | None, str | None, str], list[CourtCounts]] = {}
    for values in rows:
        key = (
            values["division_id"],
            values["division__name"],
            values["division__path"],
            values["type_code"],
        )
        counts = sums.setdefault(key, [CourtCounts(), CourtCounts()])
        vector = [values[f"sum_{name}"] for name in COLUMNS]
        for index, one in enumerate((period, previous)):
            _add_segment(
                counts[index], vector, values["segment"], values["filed_after"], bounds, one,
                subtracts,
            )  # fmt: skip
    groups: list[Group] = [(key, current, before) for key, (current, before) in sums.items()]
    return _figures(basis, period, subtracts, groups, as_of=refreshed_at)


def _day_rows(basis: CourtFiguresBasis, bounds: list[date]) -> QuerySet[CourtFigureDay]:
    """The rows of the day table the periods' figures need: up to the last bound; a chosen
    judge's rows by day; otherwise the month rows of the months no bound cuts through and the
    day rows of the (at most four) months a bound falls inside."""
    last = bounds[-1]
    if basis.filters.judge_id is not None:
        return basis.days.filter(grain=FigureGrain.JUDGE, day__lt=last)
    cut = sorted({bound.replace(day=1) for bound in bounds if bound.day != 1})
    within_cut = Q(pk__in=[])
    for month in cut:
        within_cut |= Q(day__gte=month, day__lt=next_month(month))
    whole_months = Q(grain=FigureGrain.MONTH) & ~Q(day__in=cut)
    return basis.days.filter(
        (whole_months | (Q(grain=FigureGrain.DAY) & within_cut)) & Q(day__lt=last)
    )


def _add_segment(
    counts: CourtCounts,
    vector: list[int],
    segment: int,
    filed_after: date | None,
    bounds: list[date],
    period: Period,
    subtracts: tuple[str, ...],
) -> None:
    """Add to ``counts`` (of ``period``) what one summed row of the day table contributes.

    Segment ``i`` holds the days from ``bounds[i - 1]`` up to the day before ``bounds[i]``; the
    period's own bounds are among them, so each segment lies wholly before the period, in it,
    or after it (``court_contributions`` explains each sum)."""
    value = dict(zip(COLUMNS, vector, strict=True))
    first = bounds.index(period.start)  # segments 0 … first lie before the period
    last = bounds.index(period.end + ONE_DAY)  # segments first + 1 … last lie in it
    if segment <= first:
        counts.carried_over += value["new"] - value["ended"]
    if segment <= last:
        counts.over_limit_open += value["over_limit_from"] - value["over_limit_until"]
    if not first < segment <= last:
        return
    counts.new += value["new"]
    if filed_after is not None and filed_after > period.end:
        return  # closed within the period, but filed after its end: not 结案 of it
    counts.closed += value["closed"]
    counts.first_instance_closed += value["first_instance_closed"]
    counts.appealed += value["appealed"]
    counts.petitioned += value["petitioned"]
    refused = "appealed_or_petitioned" if PETITIONED in subtracts else "appealed"
    counts.not_accepted += value[refused]
    counts.reversed_or_remanded += value["reversed_or_remanded"]
    counts.days_to_close += value["days_to_close"]
    counts.over_limit_closed += value["over_limit_closed"]


def _figures(
    basis: CourtFiguresBasis,
    period: Period,
    subtracts: tuple[str, ...],
    groups: list[Group],
    *,
    as_of: datetime,
) -> CourtFigures:
    """The total, the rows by division (in the organisation's order) and by case type (in the
    standard's order) from the groups' counts; a group with nothing in either period is left
    out (it would be a row of zeros)."""
    previous = period.previous_year()
    filters = basis.filters
    total = CourtFigureRow(key="total", label="合计", filters=filters)
    divisions: dict[int | None, tuple[tuple[bool, str], CourtFigureRow]] = {}
    types: dict[str, CourtFigureRow] = {}
    empty = CourtCounts()
    for (division_id, name, path, code), current, before in groups:
        if current == empty and before == empty:
            continue
        if division_id not in divisions:
            row_filters = Filters(
                division_id=division_id, judge_id=filters.judge_id, type_code=filters.type_code
            )
            divisions[division_id] = (
                (division_id is None, path or ""),
                CourtFigureRow(
                    key=str(division_id), label=name or NO_DIVISION, filters=row_filters
                ),
            )
        if code not in types:
            types[code] = CourtFigureRow(
                key=code,
                label=code,
                filters=Filters(
                    division_id=filters.division_id, judge_id=filters.judge_id, type_code=code
                ),
            )
        for row in (total, divisions[division_id][1], types[code]):
            row.current.add(current)
            row.previous.add(before)
    order = {code: index for index, code in enumerate(KNOWN_TYPE_CODES)}
    last_import = CaseImport.objects.filter(court=basis.court, status=ImportStatus.DONE).aggregate(
        last=Max("finished_at")
    )["last"]
    return CourtFigures(
        court_code=basis.court.court_code,
        court_name=basis.court.name,
        basis_label=basis.label,
        period=period,
        previous_period=previous,
        total=total,
        by_division=[row for _order, row in sorted(divisions.values(), key=lambda item: item[0])],
        by_type=sorted(types.values(), key=lambda row: order.get(row.key, len(order))),
        subtracts=subtracts,
        as_of=as_of,
        last_import_at=last_import,
    )
