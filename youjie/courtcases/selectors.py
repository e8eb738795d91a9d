"""Reads for court cases and case imports. Every read is scoped to the user."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from youjie.core.errors import NotFound, ValidationFailed
from youjie.courtcases.models import CaseImport, CourtCase
from youjie.courtcases.numbers import normalise_case_number_text, parse_case_number
from youjie.courtcases.permissions import can_import_cases
from youjie.orgs.choices import OrgKind
from youjie.orgs.models import OrgUnit
from youjie.orgs.scoping import access, scope_queryset

MAX_QUERY_LENGTH = 60
MAX_ID = 2**63 - 1  # larger integers overflow the database driver (500 instead of 404)


def _base_queryset() -> QuerySet[CourtCase]:
    return CourtCase.objects.select_related("court", "division", "judge", "clerk")


def court_case_list(
    *,
    user: Any,
    query: str = "",
    type_code: str = "",
    stage: str = "",
    year: int | None = None,
) -> QuerySet[CourtCase]:
    """The cases ``user`` may see, filtered. ``query`` matches the case number or the cause;
    a query that parses as a case number matches that number exactly."""
    queryset = scope_queryset(_base_queryset(), user)
    query = query.strip()[:MAX_QUERY_LENGTH]
    if query:
        try:
            number = parse_case_number(query)
        except ValidationError:
            # Stored numbers are canonical: full-width brackets, ASCII digits.
            text = normalise_case_number_text(query).replace("(", "（").replace(")", "）")
            queryset = queryset.filter(Q(case_number__icontains=text) | Q(cause__icontains=query))
        else:
            queryset = queryset.filter(case_number=number.canonical)
    if type_code:
        queryset = queryset.filter(type_code=type_code)
    if stage:
        queryset = queryset.filter(stage=stage)
    if year is not None:
        queryset = queryset.filter(year=year) if 0 < year < 10_000 else queryset.none()
    return queryset.order_by("-year", "-sequence", "-id")


def court_case_get(
    *, user: Any, pk: int | None = None, case_number: str | None = None
) -> CourtCase:
    """One case by id or by case number (any accepted spelling), or NotFound.

    An unparseable case number raises ValidationFailed (422), not 404: the caller made a
    typo, which is worth telling them.
    """
    if pk is not None:
        if not 0 < pk <= MAX_ID:
            raise NotFound()
        return access(_base_queryset(), user, pk=pk)
    if case_number is None:
        raise NotFound()
    try:
        number = parse_case_number(case_number)
    except ValidationError as exc:
        message = "；".join(exc.messages)
        raise ValidationFailed(message, fields={"case_number": list(exc.messages)}) from exc
    return access(_base_queryset(), user, case_number=number.canonical)


def court_cases_for_person(*, user: Any, person: Any) -> QuerySet[CourtCase]:
    """The cases naming ``person`` as a party that ``user`` may see."""
    return (
        scope_queryset(_base_queryset(), user)
        .filter(pk__in=CourtCase.objects.filter(parties__person=person).values("pk"))
        .order_by("-year", "-sequence", "-id")
    )


def importable_courts(*, user: Any) -> QuerySet[OrgUnit]:
    """The courts ``user`` may import case lists for: courts inside their scope."""
    if not can_import_cases(user):
        return OrgUnit.objects.none()
    courts = OrgUnit.objects.filter(kind=OrgKind.COURT, is_active=True).exclude(court_code="")
    return scope_queryset(courts, user).order_by("path")


def importable_court_get(*, user: Any, court_code: str) -> OrgUnit:
    court = importable_courts(user=user).filter(court_code=court_code.strip()).first()
    if court is None:
        raise NotFound("法院不存在或您无权为其导入案件")
    return court


def case_import_get(*, user: Any, pk: int, with_errors: bool = True) -> CaseImport:
    """An import the user may see: one for a court they may import for.

    The staged rows (up to 50,000) are never loaded here, and the error list not when
    ``with_errors`` is false (the progress poll, every second).
    """
    if not 0 < pk <= MAX_ID:
        raise NotFound()
    deferred = ("rows",) if with_errors else ("rows", "errors")
    case_import = (
        CaseImport.objects.select_related("court", "uploaded_by")
        .defer(*deferred)
        .filter(pk=pk, court__in=importable_courts(user=user))
        .first()
    )
    if case_import is None:
        raise NotFound()
    return case_import


def case_import_list(*, user: Any) -> QuerySet[CaseImport]:
    return (
        CaseImport.objects.select_related("court", "uploaded_by")
        .filter(court__in=importable_courts(user=user))
        .defer("rows", "errors")
        .order_by("-id")
    )
