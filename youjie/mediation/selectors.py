"""Reads of the mediation app, every one scoped (``youjie.mediation.scopes``): a mediator reads
their own mediations, court staff their court's, nobody else anything (a 404)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from youjie.core.errors import NotFound
from youjie.core.models import Event
from youjie.core.timeline import timeline_for
from youjie.core.viewers import Viewer
from youjie.filings.models import Filing
from youjie.mediation.choices import MediationStatus, SessionStatus
from youjie.mediation.models import (
    JudicialConfirmation,
    Mediation,
    MediationExtension,
    MediationSession,
)
from youjie.mediation.permissions import COURT_MEDIATOR_ROLES, staff_court
from youjie.orgs.choices import OrgKind, Role
from youjie.orgs.models import OrgUnit, User
from youjie.orgs.scoping import access, region_subtree_codes, scope_queryset
from youjie.workdays.calendar import SHANGHAI

ID_MAX = 2**63 - 1
SEARCH_MAX = 100


def clock_today() -> date:
    return timezone.localtime(timezone.now(), SHANGHAI).date()


def _base() -> QuerySet[Mediation]:
    return Mediation.objects.select_related(
        "filing", "court", "organisation", "mediator", "assigned_by"
    )


def mediation_list(
    *,
    user: Viewer,
    status: str = "",
    overdue: bool = False,
    mine: bool = False,
    search: str = "",
) -> QuerySet[Mediation]:
    """The mediations ``user`` may see, newest first; ``overdue``: under way past their due
    date; ``mine``: those the user conducts."""
    mediations = scope_queryset(_base(), user)
    if status == "open":
        mediations = mediations.filter(
            status__in=[MediationStatus.ASSIGNED, MediationStatus.ACCEPTED, MediationStatus.AGREED]
        )
    elif status:
        mediations = mediations.filter(status=status)
    if overdue:
        mediations = mediations.filter(status=MediationStatus.ACCEPTED, due_on__lt=clock_today())
    if mine:
        mediations = mediations.filter(mediator_id=getattr(user, "pk", None))
    search = search.strip()[:SEARCH_MAX]
    if search:
        mediations = mediations.filter(
            Q(number__icontains=search)
            | Q(filing__number__icontains=search)
            | Q(filing__cause__icontains=search)
        )
    return mediations.order_by("-id")


def mediation_get(*, user: Viewer, pk: int) -> Mediation:
    """The mediation if ``user`` may see it, else NotFound (404)."""
    if not 0 < pk <= ID_MAX:
        raise NotFound()
    return access(_base(), user, pk=pk)


def mediation_sessions(mediation: Mediation) -> list[MediationSession]:
    return list(
        MediationSession.objects.filter(mediation=mediation)
        .select_related("scheduled_by", "recorded_by")
        .order_by("scheduled_at", "id")
    )


def session_of(mediation: Mediation, session_id: int | None) -> MediationSession:
    """One session of a mediation the caller already sees; NotFound for another's."""
    if session_id is None or not 0 < session_id <= ID_MAX:
        raise NotFound("调解会议不存在")
    session = (
        MediationSession.objects.filter(mediation=mediation, pk=session_id)
        .select_related("mediation__court", "mediation__filing")
        .first()
    )
    if session is None:
        raise NotFound("调解会议不存在")
    return session


def scheduled_sessions(mediation: Mediation) -> list[MediationSession]:
    return [s for s in mediation_sessions(mediation) if s.status == SessionStatus.SCHEDULED]


def mediation_extensions(mediation: Mediation) -> list[MediationExtension]:
    return list(
        MediationExtension.objects.filter(mediation=mediation)
        .select_related("recorded_by")
        .order_by("id")
    )


def confirmation_of(mediation: Mediation) -> JudicialConfirmation | None:
    return (
        JudicialConfirmation.objects.filter(mediation=mediation)
        .select_related("recorded_by")
        .first()
    )


def mediation_timeline(mediation: Mediation) -> list[Event]:
    return list(timeline_for(mediation))


def filing_timeline(filing: Filing) -> list[Event]:
    return list(timeline_for(filing))


def filing_for_delegation(*, user: Viewer, filing_id: int) -> Filing:
    """A filing the user's court is competent for, if the user is its staff; else NotFound.
    (Scoped by construction: the filings app's own access rules are not needed for this.)"""
    court = staff_court(user)
    if court is None or not 0 < filing_id <= ID_MAX:
        raise NotFound()
    filing = (
        Filing.objects.select_related("competent_court", "receiving_court")
        .filter(pk=filing_id, competent_court=court)
        .first()
    )
    if filing is None:
        raise NotFound()
    return filing


def mediation_organisations(court: OrgUnit) -> QuerySet[OrgUnit]:
    """The active mediation organisations a court delegates to: its region's and those of the
    regions under it."""
    regions = region_subtree_codes(court.region_id)
    return OrgUnit.objects.filter(
        kind=OrgKind.MEDIATION, is_active=True, region_id__in=regions
    ).order_by("name")


def mediator_choices(court: OrgUnit) -> QuerySet[User]:
    """Who may be chosen: the mediators of those organisations, and the court's own judges and
    mediators (法官+调解)."""
    organisations = mediation_organisations(court).values("pk")
    in_court = Q(org_unit__path__startswith=court.path) if court.path else Q(pk__in=[])
    return (
        User.objects.filter(is_active=True)
        .filter(
            (Q(org_unit__in=organisations) & Q(user_roles__role=Role.MEDIATOR))
            | (in_court & Q(user_roles__role__in=COURT_MEDIATOR_ROLES))
        )
        .select_related("org_unit")
        .distinct()
        .order_by("org_unit__name", "display_name", "username")
    )


@dataclass(frozen=True)
class MediatorFigures:
    waiting: int  # delegated, not yet accepted
    under_way: int
    overdue: int
    sessions_ahead: int


def mediator_figures(*, user: User) -> MediatorFigures:
    today = clock_today()
    mine = Mediation.objects.filter(mediator=user)
    return MediatorFigures(
        waiting=mine.filter(status=MediationStatus.ASSIGNED).count(),
        under_way=mine.filter(status=MediationStatus.ACCEPTED).count(),
        overdue=mine.filter(status=MediationStatus.ACCEPTED, due_on__lt=today).count(),
        sessions_ahead=MediationSession.objects.filter(
            mediation__mediator=user,
            mediation__status=MediationStatus.ACCEPTED,
            status=SessionStatus.SCHEDULED,
            scheduled_at__gte=timezone.now(),
        ).count(),
    )


def court_figures(*, court: OrgUnit) -> MediatorFigures:
    today = clock_today()
    ours = Mediation.objects.filter(court=court)
    return MediatorFigures(
        waiting=ours.filter(status=MediationStatus.ASSIGNED).count(),
        under_way=ours.filter(status=MediationStatus.ACCEPTED).count(),
        overdue=ours.filter(status=MediationStatus.ACCEPTED, due_on__lt=today).count(),
        sessions_ahead=MediationSession.objects.filter(
            mediation__court=court,
            mediation__status=MediationStatus.ACCEPTED,
            status=SessionStatus.SCHEDULED,
            scheduled_at__gte=timezone.now(),
        ).count(),
    )
