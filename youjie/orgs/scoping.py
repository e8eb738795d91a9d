"""Scoping: the one mechanism that decides what a user may see.

Every list, fetch, search, export and API call goes through ``scope_queryset`` or
``access``. A model takes part by registering a ``ScopeRule`` that names which of its
fields carry an org unit, a region, or an assigned user. A user's ``Scope`` says which
unit subtrees, which regions and which assignments are theirs, by role
(../shared/DESIGN.md "Who sees what"). Several roles give the union.

Every function here takes a ``Viewer`` (``youjie.core.viewers``): anybody, ``request.user`` as
it comes. An anonymous visitor has the empty scope and sees nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.core.exceptions import FieldDoesNotExist
from django.db import connection, models
from django.db.models import Q

from youjie.core.errors import NotFound
from youjie.core.viewers import Viewer
from youjie.orgs.choices import OrgKind, Role
from youjie.orgs.models import OrgUnit, Region, User

M = TypeVar("M", bound=models.Model)


@dataclass
class ScopeRule:
    unit_fields: tuple[str, ...] = ()
    region_fields: tuple[str, ...] = ()
    user_fields: tuple[str, ...] = ()
    extra: list[Callable[[User], Q]] = field(default_factory=list)
    # Roles that see every row of this model (e.g. administrators for configuration).
    global_roles: frozenset[str] = frozenset()
    # True once a path runs through a multi-valued (reverse) relation, which would duplicate rows.
    multi_valued: bool = False
    # True when every ``extra`` filter stays on single-valued paths (or ``pk__in`` subqueries),
    # so that it cannot duplicate rows either: the filter then applies directly, not through
    # ``pk IN (SELECT …)`` (a semi-join per statement: the petitions dashboard's aggregates).
    extra_single_valued: bool = False


_REGISTRY: dict[type[models.Model], ScopeRule] = {}


def register_scope(model: type[models.Model], rule: ScopeRule) -> None:
    _REGISTRY[model] = rule


def extend_scope(
    model: type[models.Model],
    *,
    user_fields: tuple[str, ...] = (),
    extra: Callable[[User], Q] | None = None,
) -> None:
    """Let another app add a path (e.g. courtcases: a judge sees the parties of their cases).

    Such paths run through reverse relations, so the rule is marked multi-valued.
    """
    rule = _REGISTRY[model]
    rule.user_fields = tuple(dict.fromkeys(rule.user_fields + user_fields))
    rule.multi_valued = True
    if extra is not None:
        rule.extra.append(extra)
        rule.extra_single_valued = False


def rule_for(model: type[models.Model]) -> ScopeRule:
    try:
        return _REGISTRY[model]
    except KeyError as exc:
        raise LookupError(f"{model.__name__} has no registered scope rule") from exc


@dataclass(frozen=True)
class Scope:
    everything: bool = False
    unit_paths: tuple[str, ...] = ()
    region_codes: frozenset[str] = frozenset()
    user_id: int | None = None


def region_subtree_codes(code: str) -> frozenset[str]:
    codes = {code}
    frontier = [code]
    while frontier:
        children = list(
            Region.objects.filter(parent_id__in=frontier).values_list("code", flat=True)
        )
        frontier = [child for child in children if child not in codes]
        codes.update(frontier)
    return frozenset(codes)


def nearest_unit(unit: OrgUnit | None, kind: str) -> OrgUnit | None:
    """``unit`` itself or its nearest ancestor of ``kind`` (e.g. a division's court)."""
    while unit is not None:
        if unit.kind == kind:
            return unit
        unit = unit.parent
    return None


def court_of_user(user: Viewer) -> OrgUnit | None:
    """The court a staff member works in: their unit or its nearest court ancestor."""
    return nearest_unit(user.org_unit, OrgKind.COURT) if isinstance(user, User) else None


def _has_global_role(rule: ScopeRule, user: Viewer) -> bool:
    """Whether ``user`` holds a role that sees every row of the rule's model (never anonymous
    visitors: they have no roles)."""
    return bool(rule.global_roles) and isinstance(user, User) and user.has_role(*rule.global_roles)


def _region_subtree_of(user: User, code: str) -> frozenset[str]:
    """``region_subtree_codes(code)``, kept on the user object as ``role_set`` is: a page asks
    for an officer's scope several times (the petitions detail page: eight times, two
    statements each), and the user object lives for one request."""
    kept: tuple[str, frozenset[str]] | None = user.__dict__.get("_region_subtree")
    if kept is None or kept[0] != code:
        kept = (code, region_subtree_codes(code))
        user.__dict__["_region_subtree"] = kept
    return kept[1]


def user_scope(user: Viewer) -> Scope:
    if not isinstance(user, User) or not user.is_active:
        return Scope()
    if user.is_superuser:
        return Scope(everything=True, user_id=user.pk)
    unit: OrgUnit | None = user.org_unit
    unit_paths: list[str] = []
    regions: set[str] = set()
    roles = user.role_set
    if unit is not None:
        if roles & {Role.RECEPTIONIST, Role.COURT_LEADER}:
            court = nearest_unit(unit, OrgKind.COURT) or unit
            unit_paths.append(court.path)
        if roles & {Role.DIVISION_HEAD, Role.DEPARTMENT_LIAISON, Role.INTEGRATION}:
            unit_paths.append(unit.path)
        if Role.OFFICE_OFFICER in roles:
            regions |= _region_subtree_of(user, unit.region_id)
    return Scope(
        everything=False,
        unit_paths=tuple(path for path in unit_paths if path),
        region_codes=frozenset(regions),
        user_id=user.pk,
    )


def scope_q(
    model: type[models.Model],
    user: Viewer,
    scope: Scope | None = None,
    *,
    joined: bool | None = None,
) -> Q | None:
    """The filter for ``user`` on ``model``; None means everything is visible.

    Paths through a forward relation are joins (``joined=True``) or ``relation IN (SELECT …)``
    subqueries (``joined=False``, see ``_through_subquery``); by default, subqueries on
    PostgreSQL and joins on SQLite (see ``scope_queryset``)."""
    if joined is None:
        joined = connection.vendor != "postgresql"
    rule = rule_for(model)
    scope = scope or user_scope(user)
    if scope.everything or _has_global_role(rule, user):
        return None
    q = Q(pk__in=[])
    if scope.unit_paths:
        in_subtrees = Q()
        for path in scope.unit_paths:
            in_subtrees |= Q(path__startswith=path)
        for unit_field in rule.unit_fields:
            if not unit_field:
                q |= in_subtrees
            elif joined:
                for path in scope.unit_paths:
                    q |= Q(**{f"{unit_field}__path__startswith": path})
            else:
                q |= _through_subquery(
                    model, f"{unit_field}__in", OrgUnit.objects.filter(in_subtrees).values("pk")
                )
    if scope.region_codes:
        for region_field in rule.region_fields:
            q |= _path_q(model, f"{region_field}__in", sorted(scope.region_codes), joined)
    if scope.user_id is not None and isinstance(user, User):
        for user_field in rule.user_fields:
            q |= _path_q(model, user_field, scope.user_id, joined)
        for extra in rule.extra:
            q |= extra(user)
    return q


def _path_q(model: type[models.Model], lookup: str, value: Any, joined: bool) -> Q:
    return Q(**{lookup: value}) if joined else _through_subquery(model, lookup, value)


def _through_subquery(model: type[models.Model], lookup: str, value: Any) -> Q:
    """``Q(lookup=value)``, with a leading forward relation turned into ``relation IN (SELECT …)``.

    ``court__path__startswith`` as a join makes every list statement join the related table
    once per scope path; with eight such joins PostgreSQL spent 20–30 ms *planning* a 26-row
    queue page. ``court_id IN (SELECT id FROM orgs_orgunit WHERE …)`` is evaluated once by
    either database and adds no join. Reverse (multi-valued) relations stay as they are."""
    head, _, rest = lookup.partition("__")
    if not rest:
        return Q(**{lookup: value})
    try:
        field = model._meta.get_field(head)
    except FieldDoesNotExist:
        return Q(**{lookup: value})
    if not (field.many_to_one or field.one_to_one) or not field.concrete:
        return Q(**{lookup: value})
    related = field.related_model
    assert related is not None and not isinstance(related, str)
    if rest in ("in", "exact", "pk", related._meta.pk.name):
        return Q(**{lookup: value})
    inner = _through_subquery(related, rest, value)
    return Q(**{f"{head}__in": related._default_manager.filter(inner).values("pk")})


def scope_key(model: type[models.Model], user: Viewer) -> tuple[Any, ...] | None:
    """What ``scope_q(model, user)`` depends on, as a hashable value: two users with the same
    key get the same filter (a key for caching what depends on the scope only). None when the
    rule has extra filters, which may depend on anything about the user."""
    rule = rule_for(model)
    scope = user_scope(user)
    if scope.everything or _has_global_role(rule, user):
        return (model._meta.label, "everything")
    if rule.extra:
        return None
    return (model._meta.label, scope)


def scope_queryset(
    queryset: models.QuerySet[M], user: Viewer, *, joined: bool | None = None
) -> models.QuerySet[M]:
    """``queryset`` limited to what ``user`` may see.

    How the scope's paths through relations are written is a matter of plans, measured at a
    million requests (docs/performance.md, fifth round):

    - On PostgreSQL, by default, as ``IN (SELECT …)`` subqueries: with one join per path it
      spent 20–30 ms *planning* each queue page.
    - On SQLite, by default, as joins. SQLite keeps no statistics here and takes any indexable
      term as a good entry point: given the subqueries it read a court's whole history through
      ``court_id`` and sorted it (a receptionist's unfiltered API list 5 ms → 1.8 s), where
      with joins it walks the ids newest first and stops after the page.
    - ``joined=True`` everywhere, for statements that must be driven by their own indexes:
      the desk figures by date range (a division head's dashboard on PostgreSQL 700 → 520 ms,
      against driving from the division's whole history)."""
    q = scope_q(queryset.model, user, joined=joined)
    if q is None:
        return queryset
    rule = rule_for(queryset.model)
    if rule.multi_valued or (rule.extra and not rule.extra_single_valued):
        # Paths through multi-valued relations would duplicate rows: filter by id instead.
        visible = queryset.model._default_manager.filter(q).values("pk")
        return queryset.filter(pk__in=visible)
    return queryset.filter(q)


def sees_every_row(model: type[models.Model], user: Viewer, scope: Scope) -> bool:
    """Whether ``scope`` (``user``'s) passes every row of ``model``: ``scope_q`` is then None."""
    return scope.everything or _has_global_role(rule_for(model), user)


def in_subtrees(unit: OrgUnit, scope: Scope) -> bool:
    """Whether ``unit`` lies in one of the scope's unit subtrees, as ``scope_q`` tests a row's
    units (``path`` starting with one of ``scope.unit_paths``)."""
    return any(unit.path.startswith(root) for root in scope.unit_paths)


def admitted_in_hand(obj: models.Model, user: Viewer, scope: Scope | None = None) -> bool:
    """Whether what ``obj`` already holds shows that ``user`` may see it, without a query: the
    scope holds everything, or a unit the rule names is loaded on ``obj`` (``select_related``)
    and lies in one of the scope's subtrees, or a user field the rule names directly holds the
    user's id. Each is one disjunct of ``scope_q``, so True means ``scope_queryset`` would
    return the row (``desk/tests/test_scope_statement.py`` checks it against the query); False means
    "ask the database" (``can_see``), not "hidden".

    For pages that read one row by its id: the scoped statement's subqueries cost
    PostgreSQL ~0.5 ms to plan and Django as much to compile on every request page, where the
    row read by its id usually carries its own answer."""
    rule = rule_for(type(obj))
    scope = scope or user_scope(user)
    if sees_every_row(type(obj), user, scope):
        return True
    if scope.unit_paths:
        for unit_field in rule.unit_fields:
            if not unit_field or "__" in unit_field:
                continue
            relation = obj._meta.get_field(unit_field)
            if not isinstance(relation, models.ForeignKey) or not relation.is_cached(obj):
                continue
            unit = getattr(obj, unit_field)
            if unit is not None and in_subtrees(unit, scope):
                return True
    if scope.user_id is not None:
        for user_field in rule.user_fields:
            if "__" not in user_field and getattr(obj, f"{user_field}_id", None) == scope.user_id:
                return True
    return False


def access(queryset: models.QuerySet[M], user: Viewer, **lookup: Any) -> M:
    """Fetch one object the user may see, or raise NotFound (404) — never 403, never leak."""
    obj = scope_queryset(queryset, user).filter(**lookup).first()
    if obj is None:
        raise NotFound()
    return obj


def can_see(obj: models.Model, user: Viewer) -> bool:
    return scope_queryset(type(obj)._default_manager.filter(pk=obj.pk), user).exists()


register_scope(
    User,
    ScopeRule(
        unit_fields=("org_unit",), user_fields=("id",), global_roles=frozenset({Role.ADMINISTRATOR})
    ),
)
register_scope(
    OrgUnit,
    ScopeRule(unit_fields=("",), global_roles=frozenset({Role.ADMINISTRATOR})),
)
