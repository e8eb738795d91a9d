"""Reads of the work on a matter (issue 13 item 4): 每案必见 (the petitioners the lead official has
not met yet: ``not_yet_met_q`` and ``petitioners_not_met``), work records and their files,
who may take part in one, coordination requests (协调联动) with the departments and liaisons
they go to, and aid (the 国家司法救助 cap and wage base, the list, one aid, the audited export).
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet

from youjie.core.errors import NotFound
from youjie.core.viewers import Viewer
from youjie.orgs.choices import OrgKind, Role
from youjie.orgs.models import OrgUnit, User
from youjie.orgs.scoping import access, scope_queryset
from youjie.people.models import Person
from youjie.petitions.choices import (
    MEETING_KINDS,
    OPEN_MATTER_STATUSES,
    AidStatus,
    CoordinationStatus,
    PetitionerRole,
)
from youjie.petitions.models import (
    Aid,
    AidWageBase,
    CoordinationRequest,
    Petitioner,
    PetitionMatter,
    PetitionMatterQuerySet,
    TaskForceMember,
    WorkRecord,
    WorkRecordAttachment,
    coordination_overdue_q,
)
from youjie.petitions.selectors.common import _today, today_beijing, visible_matters

AID_CAP_MONTHS = 36  # 国家司法救助: generally at most 36 months of the wage base (DOMAIN.md §8)
CENT = Decimal("0.01")
# Who the lead official must meet (每案必见): the petitioners themselves and joint
# representatives; an agent (代理人) speaks for them but is not the one to be met.
MET_ROLES = (PetitionerRole.PETITIONER, PetitionerRole.JOINT_REPRESENTATIVE)


def met_by_lead_official(*, matter_ref: str, lead_ref: str, person_ref: str) -> Exists:
    """A meeting (约访/接访/走访/带案下访) on the matter that its lead official attended and
    that names the petitioner: refs are OuterRef paths from the outer query."""
    return Exists(
        WorkRecord.objects.filter(
            matter_id=OuterRef(matter_ref),
            kind__in=MEETING_KINDS,
            lead_official_id=OuterRef(lead_ref),
            petitioners_met=OuterRef(person_ref),
        )
    )


def _unmet_links() -> QuerySet[Petitioner]:
    """Every petitioner link of an open, counted matter whose lead official has not met that
    petitioner yet (no lead official yet: nobody has met them)."""
    return Petitioner.objects.filter(
        role__in=MET_ROLES,
        matter__status__in=OPEN_MATTER_STATUSES,
        matter__no_further_counting=False,
    ).exclude(
        met_by_lead_official(
            matter_ref="matter_id", lead_ref="matter__lead_official_id", person_ref="person_id"
        )
    )


def petitioners_not_met(*, user: Viewer) -> QuerySet[Petitioner]:
    """每案必见: the petitioners (a person in a matter) of the matters ``user`` may see whom the
    matter's lead official has not met yet, oldest matter first. The lead official's home and
    the dashboards show these; ``.count()`` gives the figure."""
    return (
        scope_queryset(_unmet_links(), user)
        .select_related("person", "matter", "matter__lead_official", "matter__region")
        .order_by("matter__received_on", "matter_id", "id")
    )


def matter_petitioners_not_met(*, matter: PetitionMatter) -> QuerySet[Petitioner]:
    """每案必见 for one matter (fetched through ``matter_get``): its petitioners the lead official
    has not met yet (none once the matter is no longer open)."""
    return _unmet_links().filter(matter=matter).select_related("person").order_by("id")


def not_yet_met_q(prefix: str = "") -> Q:
    """Open, counted matters (through ``prefix``) with a petitioner whom the lead official has not
    met yet (每案必见). The one place that decides "not yet met": the lists' filter, the
    dashboards and the home panels all use it. A petitioner counts as met once a meeting record
    (约访/接访/走访/带案下访) that the matter's lead official attended names them
    (``petitioners_not_met`` lists them one by one)."""
    unmet = Petitioner.objects.filter(
        role__in=MET_ROLES, matter_id=OuterRef(f"{prefix}pk")
    ).exclude(
        met_by_lead_official(
            matter_ref="matter_id", lead_ref="matter__lead_official_id", person_ref="person_id"
        )
    )
    return Q(
        Exists(unmet),
        **{
            f"{prefix}status__in": OPEN_MATTER_STATUSES,
            f"{prefix}no_further_counting": False,
        },
    )


def matters_not_yet_met(*, user: Viewer) -> PetitionMatterQuerySet:
    """The matters ``user`` may see where a petitioner has not yet been met (每案必见)."""
    matching = PetitionMatter.objects.filter(not_yet_met_q()).values("pk")
    return visible_matters(user=user).filter(pk__in=matching)


def petitioners_not_yet_met(*, user: Viewer, lead_official_id: int | None = None) -> int:
    """How many petitioners (person and matter) are still to be met, of the matters ``user``
    sees (of one lead official's, when given)."""
    links = petitioners_not_met(user=user)
    if lead_official_id is not None:
        links = links.filter(matter__lead_official_id=lead_official_id)
    return links.count()


# Work records.


def work_records_for(*, matter: PetitionMatter) -> QuerySet[WorkRecord]:
    """The matter's work records, newest first, with who took part, whom they met and files."""
    return (
        WorkRecord.objects.filter(matter=matter)
        .select_related("lead_official", "recorded_by")
        .prefetch_related("participants", "petitioners_met", "attachments")
        .order_by("-held_on", "-id")
    )


def work_record_get(*, user: Viewer, pk: int) -> WorkRecord:
    return access(WorkRecord.objects.select_related("matter"), user, pk=pk)


def work_record_attachment_get(*, user: Viewer, record_pk: int, pk: int) -> WorkRecordAttachment:
    """One file of a work record ``user`` may see (404 otherwise)."""
    attachment = access(WorkRecordAttachment.objects.select_related("record"), user, pk=pk)
    # Compared here, not filtered: an id past the column's range must be a 404, and Django
    # guards primary-key lookups only.
    if attachment.record_id != record_pk:
        raise NotFound()
    return attachment


def matter_people(*, matter: PetitionMatter, also: User | None = None) -> QuerySet[User]:
    """Who may be named as taking part in a work record: the matter's lead official, handler
    and task-force members, the officers of its county office, and ``also`` (who records it)."""
    ids = [pk for pk in (matter.lead_official_id, matter.handler_id) if pk is not None]
    if also is not None:
        ids.append(also.pk)
    ids += [
        pk
        for pk in TaskForceMember.objects.filter(matter=matter, user__isnull=False).values_list(
            "user_id", flat=True
        )
        if pk is not None
    ]
    return (
        User.objects.filter(
            Q(pk__in=ids)
            | Q(org_unit_id=matter.county_office_id, user_roles__role=Role.OFFICE_OFFICER),
            is_active=True,
            is_service_account=False,
        )
        .select_related("org_unit")
        .distinct()
        .order_by("display_name", "id")
    )


def matter_petitioner_persons(*, matter: PetitionMatter) -> QuerySet[Person]:
    """The persons named in the matter (to record whom a meeting met, whom an aid is for)."""
    return Person.objects.filter(petitioner_links__matter=matter).order_by("petitioner_links__id")


# Coordination requests (协调联动).


def coordination_list(
    *,
    user: Viewer,
    status: str = "",
    overdue: bool = False,
    department_id: int | None = None,
    today: date | None = None,
) -> QuerySet[CoordinationRequest]:
    """The coordination requests ``user`` may see (a liaison: their department's), most urgent
    first: open ones by their last day, then answered ones newest first."""
    queryset = scope_queryset(CoordinationRequest.objects.all(), user)
    if status:
        queryset = queryset.filter(status=status)
    if overdue:
        queryset = queryset.filter(coordination_overdue_q(today=today or _today()))
    if department_id is not None:
        queryset = queryset.filter(department_id=department_id)
    return queryset.select_related(
        "matter", "matter__region", "department", "liaison", "sent_by", "replied_by"
    ).order_by("-status", "due_on", "-id")


def coordination_get(*, user: Viewer, pk: int) -> CoordinationRequest:
    return access(
        CoordinationRequest.objects.select_related(
            "matter", "department", "liaison", "sent_by", "replied_by"
        ),
        user,
        pk=pk,
    )


def coordination_open(*, user: Viewer) -> QuerySet[CoordinationRequest]:
    """The requests still waiting for a reply that ``user`` sees (a liaison's home page)."""
    return coordination_list(user=user, status=CoordinationStatus.SENT)


def coordination_for_matter(*, matter: PetitionMatter) -> QuerySet[CoordinationRequest]:
    return (
        CoordinationRequest.objects.filter(matter=matter)
        .select_related("department", "liaison", "sent_by", "replied_by")
        .order_by("-sent_on", "-id")
    )


def department_choices() -> QuerySet[OrgUnit]:
    """The government departments a coordination request may go to (住建, 民政, 人社, 医保 …)."""
    return OrgUnit.objects.filter(kind=OrgKind.DEPARTMENT, is_active=True).order_by("code")


def liaison_choices() -> QuerySet[User]:
    """Active department liaisons, with their units."""
    return (
        User.objects.filter(
            is_active=True,
            user_roles__role=Role.DEPARTMENT_LIAISON,
            org_unit__kind=OrgKind.DEPARTMENT,
        )
        .select_related("org_unit")
        .distinct()
        .order_by("org_unit__code", "display_name", "id")
    )


# Aid (国家司法救助 and social assistance).


def aid_cap_amount(monthly_wage: Decimal) -> Decimal:
    """The 国家司法救助 cap: 36 months of the wage base, to the 分 (DOMAIN.md §8)."""
    return (monthly_wage * AID_CAP_MONTHS).quantize(CENT, rounding=ROUND_HALF_UP)


def aid_wage_base_for(*, on: date) -> AidWageBase | None:
    """The wage base of an application made ``on``: the previous year's figure, or when it is
    not published yet the latest published one before it (DOMAIN.md §8)."""
    return AidWageBase.objects.filter(year__lte=on.year - 1).order_by("-year").first()


def aid_list(
    *, user: Viewer, status: str = "", kind: str = "", overdue: bool = False
) -> QuerySet[Aid]:
    """The aid ``user`` may see, newest application first. ``overdue``: 国家司法救助 past its
    decision or payment clock."""
    queryset = scope_queryset(Aid.objects.all(), user)
    if status:
        queryset = queryset.filter(status=status)
    if kind:
        queryset = queryset.filter(kind=kind)
    if overdue:
        day = today_beijing()
        queryset = queryset.filter(
            Q(status=AidStatus.APPLIED, decision_due_on__lt=day)
            | Q(status=AidStatus.APPROVED, payment_due_on__lt=day)
        )
    return queryset.select_related(
        "matter", "matter__region", "person", "court_case", "applied_by"
    ).order_by("-applied_on", "-id")


def aid_get(*, user: Viewer, pk: int) -> Aid:
    return access(
        Aid.objects.select_related("matter", "matter__region", "person", "court_case"),
        user,
        pk=pk,
    )


def aid_for_matter(*, matter: PetitionMatter) -> QuerySet[Aid]:
    return (
        Aid.objects.filter(matter=matter)
        .select_related("person", "court_case", "applied_by")
        .prefetch_related("approvals__approver")
        .order_by("-applied_on", "-id")
    )
