"""Reads for court cases and case imports. Every read is scoped to the user."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from youjie.core.errors import NotFound, ValidationFailed
from youjie.core.viewers import Viewer
from youjie.courtcases.choices import HearingStatus, SecondInstanceResult
from youjie.courtcases.deadlines import closed_over_limit_q, limit_aliases, open_over_limit_q
from youjie.courtcases.models import CaseImport, CaseParty, CourtCase, Hearing, HearingParticipant
from youjie.courtcases.numbers import (
    FIRST_INSTANCE_TYPE_CODES,
    PRE_LITIGATION_TYPE_CODES,
    normalise_case_number_text,
    parse_case_number,
)
from youjie.courtcases.permissions import can_import_cases
from youjie.orgs.choices import OrgKind
from youjie.orgs.models import OrgUnit
from youjie.orgs.scoping import access, scope_queryset
from youjie.people.models import Person, PersonPhone

MAX_QUERY_LENGTH = 60
MAX_ID = 2**63 - 1  # larger integers overflow the database driver (500 instead of 404)


def _base_queryset() -> QuerySet[CourtCase]:
    return CourtCase.objects.select_related("court", "division", "judge", "clerk")


# --- the drill-down from the court figures ----------------------------------------------------

REVERSED_OR_REMANDED = "reversed_or_remanded"
REVERSED_OR_REMANDED_RESULTS: tuple[str, ...] = (
    SecondInstanceResult.REVERSED,
    SecondInstanceResult.REMANDED,
)
DRILL_EARLIEST = date(1990, 1, 1)
DRILL_LATEST = date(2100, 12, 31)


@dataclass(frozen=True)
class CaseDrillDown:
    """The filters a court figure links the case list with (youjie.analytics court figures).

    Each is one condition, all are ANDed; the figures are defined by the same conditions, so
    that the list holds exactly the cases a figure counts (e.g. 旧存 at a period's start S:
    ``filed_to`` = S − 1 day and ``open_on`` = S).
    """

    division_id: int | None = None
    judge_id: int | None = None
    filed_from: date | None = None
    filed_to: date | None = None
    closed_from: date | None = None
    closed_to: date | None = None
    # Not closed before this day: open at its start (closed on it or later, or not at all).
    open_on: date | None = None
    first_instance: bool = False  # 民初, 刑初, 行初 (numbers.FIRST_INSTANCE_TYPE_CODES)
    appealed: bool = False
    petitioned: bool = False  # 申请再审或申诉 (CourtCase.petitioned)
    result: str = ""  # a SecondInstanceResult value, or REVERSED_OR_REMANDED
    over_limit: bool = False  # closed after the statutory limit (courtcases.deadlines)
    over_limit_on: date | None = None  # open at the end of this day and past the limit
    litigation_only: bool = False  # without the pre-litigation numbers (诉前调, 诉前保 …)

    def is_set(self) -> bool:
        return any(getattr(self, field.name) for field in fields(self))

    def q(self) -> Q:
        q = Q()
        if self.division_id is not None:
            q &= Q(division_id=self.division_id)
        if self.judge_id is not None:
            q &= Q(judge_id=self.judge_id)
        for name, lookup in (
            ("filed_from", "filed_on__gte"),
            ("filed_to", "filed_on__lte"),
            ("closed_from", "closed_on__gte"),
            ("closed_to", "closed_on__lte"),
        ):
            value = getattr(self, name)
            if value is not None:
                q &= Q(**{lookup: value})
        if self.open_on is not None:
            q &= Q(closed_on__isnull=True) | Q(closed_on__gte=self.open_on)
        if self.first_instance:
            q &= Q(type_code__in=FIRST_INSTANCE_TYPE_CODES)
        if self.appealed:
            q &= Q(appealed=True)
        if self.petitioned:
            q &= Q(petitioned=True)
        if self.result == REVERSED_OR_REMANDED:
            q &= Q(second_instance_result__in=REVERSED_OR_REMANDED_RESULTS)
        elif self.result:
            q &= Q(second_instance_result=self.result)
        if self.over_limit:
            q &= closed_over_limit_q()
        if self.over_limit_on is not None:
            within = DRILL_EARLIEST <= self.over_limit_on <= DRILL_LATEST
            q &= open_over_limit_q(self.over_limit_on) if within else Q(pk__in=[])
        if self.litigation_only:
            q &= ~Q(type_code__in=PRE_LITIGATION_TYPE_CODES)
        return q

    def apply(self, queryset: QuerySet[CourtCase]) -> QuerySet[CourtCase]:
        if self.over_limit:
            queryset = queryset.alias(**limit_aliases())
        return queryset.filter(self.q())


def court_case_list(
    *,
    user: Viewer,
    query: str = "",
    type_code: str = "",
    stage: str = "",
    year: int | None = None,
    drill: CaseDrillDown | None = None,
) -> QuerySet[CourtCase]:
    """The cases ``user`` may see, filtered. ``query`` matches the case number or the cause;
    a query that parses as a case number matches that number exactly. ``drill`` narrows to the
    cases behind one court figure."""
    queryset = scope_queryset(_base_queryset(), user)
    if drill is not None:
        queryset = drill.apply(queryset)
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


# --- hearings --------------------------------------------------------------------------------

UPCOMING_DAYS_DEFAULT = 30
UPCOMING_DAYS_MAX = 366


def _hearing_queryset() -> QuerySet[Hearing]:
    return Hearing.objects.select_related(
        "court_case",
        "court_case__court",
        "court_case__division",
        "presiding_judge",
        "clerk",
        "postponed_from",
    )


def hearing_get(*, user: Viewer, pk: int) -> Hearing:
    """One hearing whose court case ``user`` may see, or NotFound."""
    if not 0 < pk <= MAX_ID:
        raise NotFound()
    return access(_hearing_queryset(), user, pk=pk)


def hearings_of_case(*, user: Viewer, court_case: CourtCase) -> list[Hearing]:
    """The case's hearings, newest first, each with its participants (two statements)."""
    return list(
        scope_queryset(_hearing_queryset(), user)
        .filter(court_case=court_case)
        .prefetch_related(
            Prefetch("participants", queryset=HearingParticipant.objects.order_by("id"))
        )
        .order_by("-scheduled_at", "-id")
    )


def hearings_upcoming(
    *, user: Viewer, days: int = UPCOMING_DAYS_DEFAULT, now: datetime | None = None
) -> QuerySet[Hearing]:
    """Scheduled hearings ``user`` may see up to ``days`` ahead, soonest first — those whose
    time has passed but that nobody marked held yet included (they wait for it)."""
    now = now or timezone.now()
    days = max(1, min(days, UPCOMING_DAYS_MAX))
    return (
        scope_queryset(_hearing_queryset(), user)
        .filter(status=HearingStatus.SCHEDULED, scheduled_at__lt=now + timedelta(days=days))
        .order_by("scheduled_at", "id")
    )
