"""Reads for court cases and case imports. Every read is scoped to the user."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from youjie.core.errors import NotFound, ValidationFailed
from youjie.core.viewers import Viewer
from youjie.courtcases.models import CaseImport, CaseParty, CourtCase
from youjie.courtcases.numbers import normalise_case_number_text, parse_case_number
from youjie.courtcases.permissions import can_import_cases
from youjie.orgs.choices import OrgKind
from youjie.orgs.models import OrgUnit
from youjie.orgs.scoping import access, scope_queryset
from youjie.people.models import Person, PersonPhone

MAX_QUERY_LENGTH = 60
MAX_ID = 2**63 - 1  # larger integers overflow the database driver (500 instead of 404)


def _base_queryset() -> QuerySet[CourtCase]:
    return CourtCase.objects.select_related("court", "division", "judge", "clerk")


def court_case_list(
    *,
    user: Viewer,
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
    *, user: Viewer, pk: int | None = None, case_number: str | None = None
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


def court_cases_for_person(*, user: Viewer, person: Person) -> QuerySet[CourtCase]:
    """The cases naming ``person`` as a party that ``user`` may see."""
    return (
        scope_queryset(_base_queryset(), user)
        .filter(pk__in=CourtCase.objects.filter(parties__person=person).values("pk"))
        .order_by("-year", "-sequence", "-id")
    )


def importable_courts(*, user: Viewer) -> QuerySet[OrgUnit]:
    """The courts ``user`` may import case lists for: courts inside their scope."""
    if not can_import_cases(user):
        return OrgUnit.objects.none()
    courts = OrgUnit.objects.filter(kind=OrgKind.COURT, is_active=True).exclude(court_code="")
    return scope_queryset(courts, user).order_by("path")


def importable_court_get(*, user: Viewer, court_code: str) -> OrgUnit:
    court = importable_courts(user=user).filter(court_code=court_code.strip()).first()
    if court is None:
        raise NotFound("法院不存在或您无权为其导入案件")
    return court


def case_import_get(*, user: Viewer, pk: int, with_errors: bool = True) -> CaseImport:
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


def case_import_list(*, user: Viewer) -> QuerySet[CaseImport]:
    return (
        CaseImport.objects.select_related("court", "uploaded_by")
        .filter(court__in=importable_courts(user=user))
        .defer("rows", "errors")
        .order_by("-id")
    )


# --- is a requester a party of the case? ---------------------------------------------------------


@dataclass(frozen=True)
class PartyMatch:
    """The party of a case a requester was matched to, and on what ground."""

    party: CaseParty
    basis: str  # "人员档案一致", "身份证号一致" or "手机号码一致"

    @property
    def label(self) -> str:
        return f"{self.party.get_role_display()}{self.party.name}（{self.basis}）"


def case_party_match(
    *, court_case_id: int, person_id: int | None, mobile_hash: str
) -> PartyMatch | None:
    """The party of case ``court_case_id`` the requester is shown to be, else None.

    A requester is verified when their person record is a party's, when their ID number is a
    party's (same keyed hash), or when their phone is on file for a party's person. A name alone
    proves nothing: anybody can type a name (issue 12, item 3). Internal read for the desk
    (the request itself has already been fetched through its scope).
    """
    parties = list(
        CaseParty.objects.filter(court_case_id=court_case_id, person__isnull=False)
        .select_related("person")
        .only("id", "role", "name", "person__id", "person__id_number_hash")
    )
    if not parties:
        return None
    if person_id is not None:
        for party in parties:
            if party.person_id == person_id:
                return PartyMatch(party=party, basis="人员档案一致")
        id_hash = (
            Person.objects.filter(pk=person_id).values_list("id_number_hash", flat=True).first()
        )
        for party in parties:
            if id_hash and party.person is not None and party.person.id_number_hash == id_hash:
                return PartyMatch(party=party, basis="身份证号一致")
    if mobile_hash:
        by_person = {party.person_id: party for party in parties}
        matched = (
            PersonPhone.objects.filter(person_id__in=list(by_person), number_hash=mobile_hash)
            .order_by("person_id")
            .values_list("person_id", flat=True)
            .first()
        )
        if matched is not None:
            return PartyMatch(party=by_person[matched], basis="手机号码一致")
    return None
