"""Reads of the petitions app, every one scoped to the user asking (``youjie.petitions.scopes``).

Pages, the API, dashboards, the daily bulletin and the 三日一研究 agenda build on these:

- ``matter_list`` / ``matter_get`` / ``matter_timeline``: lists with filters, one matter (404
  outside the scope), its events;
- ``campaign_list`` / ``campaign_get`` / ``campaign_matter_list``;
- ``matter_figures``: total / resolved / settled / in progress / overdue / terminated of a set
  of matters, and ``campaign_progress_by_region`` / ``campaign_progress_by_unit`` by 属地 and by
  责任单位 (what the user may see of the campaign only);
- ``matters_of_lead_official``, ``matters_without_progress`` (三日一研究) and
  ``follow_ups_due`` (回头看 to confirm or reopen).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from youjie.core.audit import audit_record
from youjie.core.errors import NotFound
from youjie.core.models import Event
from youjie.core.timeline import timeline_for
from youjie.core.viewers import Viewer
from youjie.courtcases.models import CourtCase
from youjie.desk.models import ServiceRequest
from youjie.orgs.choices import OrgKind, Role
from youjie.orgs.models import OrgUnit, Region, User
from youjie.orgs.scoping import access, region_subtree_codes, scope_queryset
from youjie.people.models import Person
from youjie.petitions.choices import (
    HANDLING_UNIT_KINDS,
    MEETING_KINDS,
    OPEN_MATTER_STATUSES,
    RESOLVED_MATTER_STATUSES,
    RESPONSIBLE_UNIT_KINDS,
    AidStatus,
    CampaignStatus,
    CoordinationStatus,
    FollowUpStatus,
    LetterStatus,
    MatterStatus,
    MeetingStatus,
    MeetingTaskStatus,
    PetitionerRole,
)
from youjie.petitions.models import (
    Aid,
    AidWageBase,
    Campaign,
    CampaignMatter,
    CoordinationRequest,
    DailyBulletin,
    MatterReturnVisit,
    MeetingMatter,
    MeetingTask,
    OutcomeEvidence,
    Petitioner,
    PetitionLabel,
    PetitionMatter,
    PetitionMatterQuerySet,
    ReviewMeeting,
    SupervisionLetter,
    TaskForceMember,
    WorkRecord,
    WorkRecordAttachment,
    coordination_overdue_q,
    matter_overdue_q,
)
from youjie.workdays.calendar import SHANGHAI, is_workday

MATTER_RELATED = (
    "region",
    "county_office",
    "responsible_unit",
    "handling_unit",
    "lead_official",
    "handler",
)


def _today() -> date:
    return timezone.localtime(timezone.now(), SHANGHAI).date()


def visible_matters(*, user: Viewer) -> PetitionMatterQuerySet:
    """Every matter ``user`` may see (no filter, no ordering beyond the model's)."""
    queryset = scope_queryset(PetitionMatter.objects.all(), user)
    assert isinstance(queryset, PetitionMatterQuerySet)
    return queryset


# Pseudo-statuses for drilling down from a figure: every counted matter, the open ones
# (已登记, 办理中), the resolved ones (事了, 事心双解 too), as ``Figures`` counts them.
STATUS_GROUPS = {
    "counted": lambda queryset: queryset.counted(),
    "open": lambda queryset: queryset.counted().open(),
    "done": lambda queryset: queryset.counted().resolved(),
}
STATUS_GROUP_LABELS = {
    "counted": "全部（不含依法终结）",
    "open": "未化解（已登记、办理中）",
    "done": "已化解（含事心双解）",
}


def matter_list(
    *,
    user: Viewer,
    status: str = "",
    region_code: str = "",
    campaign_id: int | None = None,
    label_code: str = "",
    lead_official_id: int | None = None,
    responsible_unit_id: int | None = None,
    overdue: bool = False,
    include_terminated: bool = True,
    search: str = "",
    not_met: bool = False,
) -> PetitionMatterQuerySet:
    """The matters ``user`` may see, filtered, newest first, with their related rows.
    ``not_met``: only those with a petitioner not yet met (``not_yet_met_q``)."""
    queryset = visible_matters(user=user)
    if status in STATUS_GROUPS:
        # The figures' groups, so that a figure drills down to exactly its matters.
        queryset = STATUS_GROUPS[status](queryset)
    elif status:
        queryset = queryset.filter(status=status)
    if region_code:
        queryset = queryset.filter(region_id=region_code)
    if campaign_id is not None:
        queryset = queryset.filter(campaign_matters__campaign_id=campaign_id)
    if label_code:
        queryset = queryset.filter(labels__code=label_code)
    if lead_official_id is not None:
        queryset = queryset.filter(lead_official_id=lead_official_id)
    if responsible_unit_id is not None:
        queryset = queryset.filter(responsible_unit_id=responsible_unit_id)
    if overdue:
        queryset = queryset.overdue(today=_today())
    if not include_terminated:
        queryset = queryset.counted()
    if search:
        queryset = queryset.filter(Q(number__icontains=search) | Q(title__icontains=search))
    if not_met:
        queryset = queryset.filter(
            pk__in=PetitionMatter.objects.filter(not_yet_met_q()).values("pk")
        )
    return queryset.select_related(*MATTER_RELATED).order_by("-id")


def matter_get(*, user: Viewer, pk: int) -> PetitionMatter:
    """One matter ``user`` may see, or NotFound (404: existence is not leaked)."""
    return access(PetitionMatter.objects.select_related(*MATTER_RELATED), user, pk=pk)


def matter_timeline(matter: PetitionMatter) -> QuerySet[Event]:
    """The matter's events, oldest first (call with a matter fetched through ``matter_get``)."""
    return timeline_for(matter)


def matters_of_lead_official(*, user: Viewer, lead_official_id: int) -> PetitionMatterQuerySet:
    """A lead official's matters (包案), within what ``user`` may see; still counted ones."""
    return matter_list(user=user, lead_official_id=lead_official_id, include_terminated=False)


def matters_without_progress(*, user: Viewer, since: datetime) -> PetitionMatterQuerySet:
    """Open, counted matters whose last progress is older than ``since`` (三日一研究: the caller
    passes the moment three working days ago)."""
    return (
        visible_matters(user=user)
        .open()
        .counted()
        .filter(last_progress_at__lt=since)
        .select_related(*MATTER_RELATED)
        .order_by("last_progress_at", "id")
    )


def labels_active() -> QuerySet[PetitionLabel]:
    return PetitionLabel.objects.filter(is_active=True).order_by("sort_order", "code")


# --- campaigns --------------------------------------------------------------------------------


def campaign_list(*, user: Viewer, status: str = "") -> QuerySet[Campaign]:
    queryset = scope_queryset(Campaign.objects.select_related("issuing_office"), user)
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("-starts_on", "-id")


def campaign_get(*, user: Viewer, pk: int) -> Campaign:
    return access(Campaign.objects.select_related("issuing_office"), user, pk=pk)


def campaign_matter_list(
    *, user: Viewer, campaign: Campaign, follow_up_status: str = ""
) -> QuerySet[CampaignMatter]:
    """The campaign's matters that ``user`` may see, with their follow-up."""
    queryset = scope_queryset(CampaignMatter.objects.filter(campaign=campaign), user)
    if follow_up_status:
        queryset = queryset.filter(status=follow_up_status)
    return queryset.select_related(
        *(f"matter__{name}" for name in MATTER_RELATED), "campaign"
    ).order_by("id")


def follow_ups_due(*, user: Viewer, on: date | None = None) -> QuerySet[CampaignMatter]:
    """Follow-ups whose period has ended by ``on`` (today): to confirm stable or reopen."""
    day = on or _today()
    return (
        scope_queryset(CampaignMatter.objects.all(), user)
        .filter(status=FollowUpStatus.PENDING, follow_up_due_on__lte=day)
        .exclude(matter__status=MatterStatus.TERMINATED)
        .select_related("campaign", "matter", "matter__region")
        .order_by("follow_up_due_on", "id")
    )


# --- figures ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    """Counts of a set of counted matters (依法终结 ones are not counted: DOMAIN.md §2)."""

    key: str
    name: str
    total: int
    resolved: int  # 事了 (settled included)
    settled: int  # 事心双解
    in_progress: int  # registered or in progress
    overdue: int  # open and past a statutory clock


def _figure_aggregates(prefix: str, today: date) -> dict[str, Count]:
    return {
        "total": Count("pk"),
        "resolved": Count("pk", filter=Q(**{f"{prefix}status__in": RESOLVED_MATTER_STATUSES})),
        "settled": Count("pk", filter=Q(**{f"{prefix}status": MatterStatus.SETTLED})),
        "in_progress": Count("pk", filter=Q(**{f"{prefix}status__in": OPEN_MATTER_STATUSES})),
        "overdue": Count("pk", filter=matter_overdue_q(today=today, prefix=prefix)),
    }


def matter_figures(*, user: Viewer, today: date | None = None) -> Figures:
    """The figures of every counted matter ``user`` may see."""
    day = today or _today()
    row = visible_matters(user=user).counted().aggregate(**_figure_aggregates("", day))
    return Figures(key="", name="合计", **row)


def _campaign_rows(user: Viewer, campaign: Campaign) -> QuerySet[CampaignMatter]:
    return scope_queryset(CampaignMatter.objects.filter(campaign=campaign), user).filter(
        matter__no_further_counting=False
    )


def campaign_progress_by_region(
    *, user: Viewer, campaign: Campaign, today: date | None = None
) -> list[Figures]:
    """The campaign's figures per 属地 (region), of the matters ``user`` may see."""
    day = today or _today()
    rows = (
        _campaign_rows(user, campaign)
        .values("matter__region_id", "matter__region__name")
        .annotate(**_figure_aggregates("matter__", day))
        .order_by("matter__region_id")
    )
    return [
        Figures(
            key=str(row.pop("matter__region_id")), name=str(row.pop("matter__region__name")), **row
        )
        for row in rows
    ]


def campaign_progress_by_unit(
    *, user: Viewer, campaign: Campaign, today: date | None = None
) -> list[Figures]:
    """The campaign's figures per responsible unit (责任单位), of the matters ``user`` may see."""
    day = today or _today()
    rows = (
        _campaign_rows(user, campaign)
        .values("matter__responsible_unit_id", "matter__responsible_unit__name")
        .annotate(**_figure_aggregates("matter__", day))
        .order_by("matter__responsible_unit_id")
    )
    return [
        Figures(
            key=str(row.pop("matter__responsible_unit_id") or ""),
            name=str(row.pop("matter__responsible_unit__name") or "未明确责任单位"),
            **row,
        )
        for row in rows
    ]


@dataclass(frozen=True)
class CampaignProgress:
    by_region: list[Figures]
    by_unit: list[Figures]


def _figures_add(rows: dict[str, Figures], key: str, name: str, row: dict[str, int]) -> None:
    before = rows.get(key)
    if before is None:
        rows[key] = Figures(key=key, name=name, **row)
        return
    rows[key] = Figures(
        key=key,
        name=name,
        total=before.total + row["total"],
        resolved=before.resolved + row["resolved"],
        settled=before.settled + row["settled"],
        in_progress=before.in_progress + row["in_progress"],
        overdue=before.overdue + row["overdue"],
    )


def campaign_progress(
    *, user: Viewer, campaign: Campaign, today: date | None = None
) -> CampaignProgress:
    """Both breakdowns of ``campaign_progress_by_region`` and ``campaign_progress_by_unit`` from
    one statement grouped by (region, unit): the campaign's matters are read once, not twice
    (the dashboard over 10,000 matters, issue 13). Sums of counts over disjoint groups are the
    groups' counts: the results equal the two functions' (tests/test_scoping.py)."""
    day = today or _today()
    grouped = (
        _campaign_rows(user, campaign)
        .values(
            "matter__region_id",
            "matter__region__name",
            "matter__responsible_unit_id",
            "matter__responsible_unit__name",
        )
        .annotate(**_figure_aggregates("matter__", day))
        .order_by()
    )
    regions: dict[str, Figures] = {}
    units: dict[str, Figures] = {}
    for row in grouped:
        region_key = str(row.pop("matter__region_id"))
        region_name = str(row.pop("matter__region__name"))
        unit_id = row.pop("matter__responsible_unit_id")
        unit_name = row.pop("matter__responsible_unit__name")
        _figures_add(regions, region_key, region_name, row)
        _figures_add(units, str(unit_id or ""), str(unit_name or "未明确责任单位"), row)
    return CampaignProgress(
        by_region=[regions[key] for key in sorted(regions)],
        # NULL first, then by id: the order of campaign_progress_by_unit's ORDER BY unit_id.
        by_unit=[units[key] for key in sorted(units, key=lambda key: (key != "", int(key or 0)))],
    )


# --- pages, dashboards and exports ------------------------------------------------------------
# (The reads the pages, the API and the home panels need beyond the foundation's.)


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


@dataclass(frozen=True)
class ClockState:
    """The statutory clock a matter is on now, as the lists and the detail page show it."""

    label: str  # "办理期限 2026-12-30"
    article: str  # "《信访工作条例》第三十四条"
    state: str  # "done", "none", "running", "due_soon", "overdue"
    days: int | None  # days left (negative: days past)

    @property
    def text(self) -> str:
        if self.days is None:
            return self.label
        if self.days < 0:
            return f"{self.label}（已超期{-self.days}日）"
        if self.days == 0:
            return f"{self.label}（今日届满）"
        return f"{self.label}（剩余{self.days}日）"


DUE_SOON_DAYS = 7


def clock_state(matter: PetitionMatter, today: date | None = None) -> ClockState:
    """The clock in force: the 15-day written notice until it is given, then the handling
    period (extended when an extension was approved); nothing once the matter has left
    handling. Computed from the stored deadlines, as ``matter_overdue_q`` is."""
    from youjie.petitions.deadlines import REGULATION

    day = today or _today()
    if matter.status not in OPEN_MATTER_STATUSES:
        return ClockState(label=matter.get_status_display(), article="", state="done", days=None)
    if not matter.statutory_clocks:
        return ClockState(
            label="按政法机关有关规定办理",
            article=f"{REGULATION}第二十三条第四款",
            state="none",
            days=None,
        )

    def running(label: str, due: date, article: str) -> ClockState:
        left = (due - day).days
        state = "overdue" if left < 0 else ("due_soon" if left <= DUE_SOON_DAYS else "running")
        return ClockState(label=f"{label} {due:%Y-%m-%d}", article=article, state=state, days=left)

    if matter.notified_on is None and matter.notice_due_on is not None:
        forwarded = matter.origin in ("assigned", "supervised", "desk")
        paragraph = "第三款" if forwarded else "第二款"
        notice = running("书面告知期限", matter.notice_due_on, f"{REGULATION}第二十三条{paragraph}")
        if notice.state == "overdue" or matter.effective_due is None:
            return notice
    due = matter.effective_due
    if due is None:
        return ClockState(label="尚未受理", article="", state="none", days=None)
    label = "延长后办理期限" if matter.extended_due_on else "办理期限"
    return running(label, due, f"{REGULATION}第三十四条")


def matter_rows(matters: Sequence[PetitionMatter], today: date | None = None) -> list[MatterRow]:
    """A page of matters with their clock state and labels (one query for the labels)."""
    day = today or _today()
    ids = [matter.pk for matter in matters]
    labels: dict[int, list[str]] = {}
    for matter_id, name in (
        PetitionMatter.labels.through.objects.filter(petitionmatter_id__in=ids)
        .order_by("petitionlabel__sort_order", "petitionlabel__code")
        .values_list("petitionmatter_id", "petitionlabel__name")
    ):
        labels.setdefault(matter_id, []).append(name)
    return [
        MatterRow(matter, clock_state(matter, day), labels.get(matter.pk, [])) for matter in matters
    ]


@dataclass(frozen=True)
class MatterRow:
    matter: PetitionMatter
    clock: ClockState
    labels: list[str]


@dataclass(frozen=True)
class MatterDetail:
    """What the matter page shows beside the matter itself, each list read once."""

    petitioners: list[Petitioner]
    task_force: list[TaskForceMember]
    labels: list[PetitionLabel]
    court_cases: list[CourtCase]
    desk_requests: list[ServiceRequest]
    campaign_rows: list[CampaignMatter]
    evidence: list[OutcomeEvidence]
    return_visits: list[MatterReturnVisit]
    events: list[Event]


def matter_detail(*, user: Viewer, matter: PetitionMatter) -> MatterDetail:
    """The matter's petitioners (with their masked phones), task force, labels, linked court
    cases and desk requests, campaigns with their follow-up, evidence, return visits and events.
    Call with a matter fetched through ``matter_get``: what hangs off it follows its scope; the
    court cases and desk requests are listed whole (their numbers are the matter's facts), the
    pages link only those ``user`` may open."""
    from django.db.models import Prefetch

    from youjie.people.models import PersonPhone

    phones = Prefetch("person__phones", queryset=PersonPhone.objects.order_by("-is_primary", "id"))
    return MatterDetail(
        petitioners=list(matter.petitioner_links.select_related("person").prefetch_related(phones)),
        task_force=list(matter.task_force_members.select_related("user", "unit")),
        labels=list(matter.labels.order_by("sort_order", "code")),
        court_cases=list(matter.court_cases.select_related("judge").order_by("id")),
        desk_requests=list(matter.desk_requests.order_by("id")),
        campaign_rows=list(
            matter.campaign_matters.select_related("campaign").order_by("-campaign__starts_on")
        ),
        evidence=list(matter.evidence.select_related("recorded_by").order_by("-id")),
        return_visits=list(matter.return_visits.select_related("visitor").order_by("-id")),
        events=list(matter_timeline(matter)),
    )


def matters_for_export(queryset: PetitionMatterQuerySet) -> PetitionMatterQuerySet:
    """``matter_list``'s rows with what the export prints (petitioners, labels) prefetched."""
    return queryset.prefetch_related("petitioner_links__person", "labels")


# --- choices for the assignment forms and the API ----------------------------------------------


def lead_official_choices() -> QuerySet[User]:
    """Active lead officials (包案领导) anywhere in the city: a matter may be led from above."""
    return (
        User.objects.filter(
            is_active=True, is_service_account=False, user_roles__role=Role.LEAD_OFFICIAL
        )
        .select_related("org_unit")
        .distinct()
        .order_by("org_unit__path", "display_name", "id")
    )


def handler_choices() -> QuerySet[User]:
    """Active staff who may handle a matter or sit on its task force (承办人, 专班成员)."""
    return (
        User.objects.filter(
            is_active=True,
            is_service_account=False,
            user_roles__role__in=(Role.CASE_HANDLER, Role.LEAD_OFFICIAL, Role.OFFICE_OFFICER),
        )
        .select_related("org_unit")
        .distinct()
        .order_by("org_unit__path", "display_name", "id")
    )


def responsible_unit_choices() -> QuerySet[OrgUnit]:
    """政法单位 that answer for a matter (指导 responsibility)."""
    return OrgUnit.objects.filter(is_active=True, kind__in=sorted(RESPONSIBLE_UNIT_KINDS)).order_by(
        "path"
    )


def handling_unit_choices() -> QuerySet[OrgUnit]:
    """Units that may handle a matter (直接 responsibility)."""
    return OrgUnit.objects.filter(is_active=True, kind__in=sorted(HANDLING_UNIT_KINDS)).order_by(
        "path"
    )


def region_choices(*, user: Viewer) -> QuerySet[Region]:
    """The county-level regions whose matters ``user`` may register (the office's own and
    those below it; every county of the city for the city office)."""
    from youjie.orgs.scoping import user_scope

    scope = user_scope(user)
    regions = Region.objects.filter(org_units__kind=OrgKind.OFFICE).distinct()
    if not scope.everything:
        regions = regions.filter(code__in=sorted(scope.region_codes))
    return regions.order_by("code")


# --- campaigns: figures over time -------------------------------------------------------------


def campaign_figures(*, user: Viewer, campaign: Campaign, today: date | None = None) -> Figures:
    """The campaign's total figures, of the matters ``user`` may see."""
    day = today or _today()
    row = _campaign_rows(user, campaign).aggregate(**_figure_aggregates("matter__", day))
    return Figures(key="", name="合计", **row)


def figures_sum(rows: Sequence[Figures]) -> Figures:
    """The total of figures over disjoint sets of matters — a campaign's regions (every matter
    has exactly one 属地), so ``figures_sum(campaign_progress_by_region(…))`` equals
    ``campaign_figures(…)`` without a second aggregate over the campaign's matters."""
    return Figures(
        key="",
        name="合计",
        total=sum(row.total for row in rows),
        resolved=sum(row.resolved for row in rows),
        settled=sum(row.settled for row in rows),
        in_progress=sum(row.in_progress for row in rows),
        overdue=sum(row.overdue for row in rows),
    )


@dataclass(frozen=True)
class BurnDown:
    """The campaign's remaining unresolved matters day by day, with the ideal straight line
    from the number taken on to zero at the campaign's end."""

    days: list[str]
    remaining: list[int | None]  # None after today (the future is not drawn)
    ideal: list[float]


BURNDOWN_MAX_DAYS = 400


def campaign_burndown(
    *, user: Viewer, campaign: Campaign, today: date | None = None, total: int | None = None
) -> BurnDown:
    """From the campaign's start to its end: how many of its matters were still unresolved on
    each day. The campaign's targets count from its start (the day a matter was entered is a
    clerical date); a matter counts as resolved from its 事了 date in the current resolution
    round, so a matter reopened by 回头看 counts as unresolved again; matters terminated by law
    are not counted (DOMAIN.md §2). Two aggregate queries, whatever the number of matters (one
    when the caller passes ``total``, the campaign's counted matters ``user`` sees)."""
    from datetime import timedelta

    day = today or _today()
    rows = _campaign_rows(user, campaign)
    if total is None:
        total = rows.count()
    resolved_by_day = dict(
        rows.filter(
            matter__status__in=RESOLVED_MATTER_STATUSES, matter__matter_resolved_on__isnull=False
        )
        .values_list("matter__matter_resolved_on")
        .annotate(count=Count("pk"))
        .order_by()
    )
    start, end = campaign.starts_on, campaign.ends_on
    span = min((end - start).days, BURNDOWN_MAX_DAYS)
    days = [start + timedelta(days=offset) for offset in range(span + 1)]
    resolved = sum(count for when, count in resolved_by_day.items() if when < start)
    remaining: list[int | None] = []
    for current in days:
        resolved += resolved_by_day.get(current, 0)
        remaining.append(total - resolved if current <= day else None)
    ideal = [round(total * (1 - index / span), 1) if span else 0.0 for index in range(len(days))]
    return BurnDown(days=[f"{d:%m-%d}" for d in days], remaining=remaining, ideal=ideal)


def campaign_open_for_user(*, user: Viewer) -> Campaign | None:
    """The campaign a dashboard opens on: of the active campaigns ``user`` may see, the one
    taking on the most matters (the 百日攻坚 rather than a small 回头看 begun since), the newest
    on a tie; else the newest in preparation; else the newest."""
    campaigns = campaign_list(user=user)
    # A correlated count (read from the (campaign, matter) index) rather than a join grouped by
    # every column of the campaign; 0 for a campaign without matters, as the join counted.
    size = (
        CampaignMatter.objects.filter(campaign=OuterRef("pk"))
        .order_by()
        .values("campaign")
        .annotate(size=Count("pk"))
        .values("size")
    )
    active = (
        campaigns.filter(status=CampaignStatus.ACTIVE)
        .annotate(size=Coalesce(Subquery(size), 0))
        .order_by("-size", "-starts_on", "-id")
        .first()
    )
    if active is not None:
        return active
    return campaigns.filter(status=CampaignStatus.DRAFT).first() or campaigns.first()


def matters_by_numbers(*, user: Viewer, numbers: Sequence[str]) -> dict[str, PetitionMatter]:
    """The matters ``user`` may see among ``numbers`` (信访〔2026〕3号), by number."""
    cleaned = [number.strip() for number in numbers if number.strip()]
    found = visible_matters(user=user).filter(number__in=cleaned)
    return {matter.number: matter for matter in found}


def matters_of_handler(*, user: Viewer, handler_id: int) -> PetitionMatterQuerySet:
    """The counted matters a handler handles or works on in a task force, within what
    ``user`` may see."""
    worked = Q(handler_id=handler_id) | Q(task_force_members__user_id=handler_id)
    ids = PetitionMatter.objects.filter(worked).values("pk")
    return (
        visible_matters(user=user)
        .counted()
        .filter(pk__in=ids)
        .select_related(*MATTER_RELATED)
        .order_by("-id")
    )


# --- work records, 每案必见, coordination requests, aid (issue 13 item 4, P2) --------------------

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


def aid_export_audit(*, user: User, count: int, filters: str) -> None:
    """An export of the aid list names persons and amounts: audited like a reveal."""
    audit_record(
        actor=user,
        action="export_aid_list",
        subject=user,
        fields=["person", "amount", "court_case"],
        purpose=f"导出救助名单{count}条 {filters}"[:200],
    )


def today_beijing() -> date:
    return _today()


def clock_today() -> date:
    """Today in Beijing time (the day every petitions clock counts)."""
    return _today()


def visible_ids(model: type[models.Model], user: Viewer, ids: Sequence[int]) -> set[int]:
    """Which of ``ids`` (rows of ``model``) ``user`` may see: the pages link only those."""
    if not ids:
        return set()
    queryset = scope_queryset(model._default_manager.filter(pk__in=list(ids)), user)
    return set(queryset.values_list("pk", flat=True))


# --- supervision letters, meetings, the daily bulletin (P3: issue 13 items 5–7) ---------------

LETTER_RELATED = ("issuing_office", "recipient_unit", "sent_by", "replied_by", "document")
AGENDA_SECTION_MAX = 100


def letter_list(
    *, user: Viewer, status: str = "", overdue: bool = False, search: str = ""
) -> QuerySet[SupervisionLetter]:
    """The 督办函 ``user`` may see (the city office: all it sent; a county office: those
    addressed to its county), newest first."""
    queryset = scope_queryset(SupervisionLetter.objects.all(), user)
    if status:
        queryset = queryset.filter(status=status)
    if overdue:
        queryset = queryset.filter(status=LetterStatus.SENT, due_on__lt=_today())
    if search:
        queryset = queryset.filter(Q(number__icontains=search) | Q(title__icontains=search))
    return queryset.select_related(*LETTER_RELATED).order_by("-id")


def letter_get(*, user: Viewer, pk: int) -> SupervisionLetter:
    return access(SupervisionLetter.objects.select_related(*LETTER_RELATED), user, pk=pk)


def letter_by_number(number: str) -> SupervisionLetter | None:
    """A sent letter by its 发文字号, unscoped (the management command, run by the operator)."""
    text = number.strip()
    if not text:
        return None
    return SupervisionLetter.objects.select_related(*LETTER_RELATED).filter(number=text).first()


def letter_matters(*, user: Viewer, letter: SupervisionLetter) -> PetitionMatterQuerySet:
    """The matters a letter names that ``user`` may see (a handler sees the letter for their
    one matter, not the others it names)."""
    return (
        visible_matters(user=user)
        .filter(pk__in=letter.matters.values("pk"))
        .select_related(*MATTER_RELATED)
        .order_by("id")
    )


def letter_recipient_choices(office: OrgUnit) -> QuerySet[OrgUnit]:
    """Units ``office`` may write to: county offices and committees and political-legal units
    of its region, itself excluded."""
    regions = sorted(region_subtree_codes(office.region_id))
    return (
        OrgUnit.objects.filter(
            is_active=True,
            region_id__in=regions,
            kind__in=(
                OrgKind.OFFICE,
                OrgKind.COMMITTEE,
                OrgKind.COURT,
                OrgKind.PROCURATORATE,
                OrgKind.POLICE,
                OrgKind.JUSTICE,
            ),
        )
        .exclude(pk=office.pk)
        .order_by("path")
    )


def meeting_list(*, user: Viewer, kind: str = "") -> QuerySet[ReviewMeeting]:
    queryset = scope_queryset(ReviewMeeting.objects.all(), user)
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset.select_related("office", "chair").order_by("-held_on", "-id")


def meeting_get(*, user: Viewer, pk: int) -> ReviewMeeting:
    return access(ReviewMeeting.objects.select_related("office", "chair"), user, pk=pk)


def meeting_minutes(*, user: Viewer, meeting: ReviewMeeting) -> QuerySet[MeetingMatter]:
    """The matters taken at the meeting (逐案解剖) that ``user`` may see."""
    return (
        scope_queryset(MeetingMatter.objects.filter(meeting=meeting), user)
        .select_related("matter", "matter__region", "recorded_by")
        .order_by("id")
    )


def meeting_tasks(*, user: Viewer, meeting: ReviewMeeting) -> QuerySet[MeetingTask]:
    return (
        scope_queryset(MeetingTask.objects.filter(meeting=meeting), user)
        .select_related("matter", "owner", "done_by")
        .order_by("due_on", "id")
    )


def meeting_task_get(*, user: Viewer, pk: int) -> MeetingTask:
    return access(
        MeetingTask.objects.select_related("meeting", "meeting__office", "matter", "owner"),
        user,
        pk=pk,
    )


def tasks_of_owner(*, user: Viewer, owner_id: int, open_only: bool = True) -> QuerySet[MeetingTask]:
    """A person's meeting tasks, within what ``user`` may see (their own, on their home)."""
    queryset = scope_queryset(MeetingTask.objects.filter(owner_id=owner_id), user)
    if open_only:
        queryset = queryset.filter(status=MeetingTaskStatus.OPEN)
    return queryset.select_related("meeting", "matter").order_by("due_on", "id")


def meetings_not_held(*, user: Viewer, today: date | None = None) -> QuerySet[ReviewMeeting]:
    """Meetings whose day has come and that are not yet recorded as held."""
    day = today or _today()
    return meeting_list(user=user).filter(status=MeetingStatus.SCHEDULED, held_on__lte=day)


def task_owner_choices(office: OrgUnit) -> QuerySet[User]:
    """Who a meeting of ``office`` may give a task to: active staff with a petitions role in
    units of its region."""
    regions = sorted(region_subtree_codes(office.region_id))
    return (
        User.objects.filter(
            is_active=True,
            org_unit__region_id__in=regions,
            user_roles__role__in=(
                Role.OFFICE_OFFICER,
                Role.CASE_HANDLER,
                Role.LEAD_OFFICIAL,
                Role.COURT_LEADER,
                Role.DIVISION_HEAD,
            ),
        )
        .select_related("org_unit")
        .distinct()
        .order_by("org_unit__path", "username")
    )


def workdays_before(day: date, count: int) -> date:
    """The ``count``-th working day before ``day`` (``day`` itself not counted)."""
    current = day
    remaining = count
    while remaining > 0:
        current -= timedelta(days=1)
        if is_workday(current):
            remaining -= 1
    return current


def review_stalled_since(day: date) -> datetime:
    """The moment before which a matter's last progress leaves it with no progress for three
    whole working days on ``day``: the start of the third working day before it."""
    start = workdays_before(day, 3)
    return datetime.combine(start, time.min, tzinfo=SHANGHAI)


def _agenda_item(kind: str, pk: int, label: str, detail: str) -> dict[str, object]:
    return {"kind": kind, "id": pk, "label": label[:300], "detail": detail[:300]}


def _section(key: str, title: str, items: list[dict[str, object]], count: int) -> dict[str, Any]:
    return {"key": key, "title": title, "count": count, "items": items}


def review_agenda_build(*, office: OrgUnit, day: date, now: datetime) -> dict[str, Any]:
    """The 三日一研究 agenda of ``office`` on ``day`` from the data now, as named sections (a
    snapshot the meeting keeps): matters with no progress for three working days, overdue
    supervision letters, overdue coordination replies, aid awaiting approval, petitioners the
    lead official has not met (每案必见), overdue meeting tasks. Not scoped to a user: it reads
    the office's region (the periodic task has no user); the meeting page is scoped."""
    regions = sorted(region_subtree_codes(office.region_id))
    matters = PetitionMatter.objects.counted().filter(region_id__in=regions)
    since = review_stalled_since(day)
    sections = []

    stalled = matters.open().filter(last_progress_at__lt=since).order_by("last_progress_at", "id")
    sections.append(
        _section(
            "stalled",
            "三个工作日无进展的事项",
            [
                _agenda_item(
                    "matter",
                    matter.pk,
                    f"{matter.number} {matter.title}",
                    "最近进展："
                    + timezone.localtime(matter.last_progress_at, SHANGHAI).strftime("%Y-%m-%d"),
                )
                for matter in stalled[:AGENDA_SECTION_MAX]
            ],
            stalled.count(),
        )
    )

    letters = (
        SupervisionLetter.objects.overdue(today=day)
        .filter(Q(recipient_unit__region_id__in=regions) | Q(issuing_office=office))
        .select_related("recipient_unit")
        .order_by("due_on", "id")
    )
    sections.append(
        _section(
            "overdue_letters",
            "逾期未答复的督办函",
            [
                _agenda_item(
                    "letter",
                    letter.pk,
                    f"{letter.number} {letter.title}",
                    f"受函单位：{letter.recipient_unit.name}；答复期限：{letter.due_on:%Y-%m-%d}",
                )
                for letter in letters[:AGENDA_SECTION_MAX]
            ],
            letters.count(),
        )
    )

    coordination = (
        CoordinationRequest.objects.filter(
            coordination_overdue_q(today=day),
            matter__region_id__in=regions,
            matter__no_further_counting=False,
        )
        .select_related("matter", "department")
        .order_by("due_on", "id")
    )
    sections.append(
        _section(
            "overdue_coordination",
            "逾期未答复的协调事项",
            [
                _agenda_item(
                    "matter",
                    request.matter_id,
                    f"{request.matter.number} {request.matter.title}",
                    f"协调部门：{request.department.name}；答复期限：{request.due_on:%Y-%m-%d}",
                )
                for request in coordination[:AGENDA_SECTION_MAX]
            ],
            coordination.count(),
        )
    )

    aids = (
        Aid.objects.filter(
            status=AidStatus.APPLIED,
            matter__region_id__in=regions,
            matter__no_further_counting=False,
        )
        .select_related("matter")
        .order_by("applied_on", "id")
    )
    sections.append(
        _section(
            "aid_awaiting",
            "待审批的救助",
            [
                _agenda_item(
                    "matter",
                    aid.matter_id,
                    f"{aid.matter.number} {aid.matter.title}",
                    f"{aid.get_kind_display()} {aid.amount}元；申请日期：{aid.applied_on:%Y-%m-%d}"
                    + (
                        f"；审批期限：{aid.decision_due_on:%Y-%m-%d}" if aid.decision_due_on else ""
                    ),
                )
                for aid in aids[:AGENDA_SECTION_MAX]
            ],
            aids.count(),
        )
    )

    unmet = (
        _unmet_links()
        .filter(matter__region_id__in=regions)
        .values("matter_id", "matter__number", "matter__title", "matter__lead_official_id")
        .annotate(people=Count("pk"))
        .order_by("matter_id")
    )
    unmet_rows = list(unmet[:AGENDA_SECTION_MAX])
    sections.append(
        _section(
            "not_met",
            "包案领导尚未见面的信访人（每案必见）",
            [
                _agenda_item(
                    "matter",
                    int(row["matter_id"]),
                    f"{row['matter__number']} {row['matter__title']}",
                    f"尚未见面的信访人{row['people']}人"
                    + ("" if row["matter__lead_official_id"] else "（尚未明确包案领导）"),
                )
                for row in unmet_rows
            ],
            unmet.count(),
        )
    )

    tasks = (
        MeetingTask.objects.overdue(today=day)
        .filter(matter__region_id__in=regions)
        .select_related("matter", "owner")
        .order_by("due_on", "id")
    )
    sections.append(
        _section(
            "overdue_tasks",
            "逾期未落实的会议交办任务",
            [
                _agenda_item(
                    "matter",
                    task.matter_id,
                    f"{task.matter.number} {task.matter.title}",
                    f"{task.description[:80]}；责任人：{task.owner.get_full_name()}；"
                    f"期限：{task.due_on:%Y-%m-%d}",
                )
                for task in tasks[:AGENDA_SECTION_MAX]
            ],
            tasks.count(),
        )
    )
    return {
        "day": day.isoformat(),
        "generated_at": now.isoformat(),
        "office": office.name,
        "stalled_since": since.isoformat(),
        "sections": sections,
    }


# The daily bulletin (每日一通报).


def _rate(resolved: int, total: int) -> str:
    """化解率 in per cent with one decimal, "0.0" for no matters (a string: JSON keeps it)."""
    if not total:
        return "0.0"
    return str((Decimal(resolved * 100) / Decimal(total)).quantize(Decimal("0.1"), ROUND_HALF_UP))


def _ranked(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rank by resolution rate (highest first), then fewer overdue, then more matters."""
    ordered = sorted(
        rows, key=lambda row: (-Decimal(row["rate"]), row["overdue"], -row["total"], row["key"])
    )
    for position, row in enumerate(ordered, start=1):
        row["rank"] = position
    return ordered


def bulletin_figures(*, office: OrgUnit, day: date, now: datetime) -> dict[str, Any]:
    """The figures of every counted matter of ``office``'s region on ``day``: totals, then per
    region (属地) and per responsible unit: total, resolved (事了, 事心双解 included), settled,
    in progress, progress that day, overdue, resolution rate and ranking. Three aggregate
    queries (``values()`` + ``annotate(Count(...))``), whatever the number of matters."""
    regions = sorted(region_subtree_codes(office.region_id))
    start = datetime.combine(day, time.min, tzinfo=SHANGHAI)
    end = start + timedelta(days=1)
    aggregates: dict[str, Count] = {
        **_figure_aggregates("", day),
        "progress_today": Count(
            "pk", filter=Q(last_progress_at__gte=start, last_progress_at__lt=end)
        ),
    }
    matters = PetitionMatter.objects.counted().filter(region_id__in=regions)
    totals = matters.aggregate(**aggregates)
    region_rows = [
        {
            "key": str(row.pop("region_id")),
            "name": str(row.pop("region__name")),
            **row,
            "rate": _rate(row["resolved"], row["total"]),
        }
        for row in matters.values("region_id", "region__name")
        .annotate(**aggregates)
        .order_by("region_id")
    ]
    unit_rows = [
        {
            "key": str(row.pop("responsible_unit_id") or ""),
            "name": str(row.pop("responsible_unit__name") or "未明确责任单位"),
            **row,
            "rate": _rate(row["resolved"], row["total"]),
        }
        for row in matters.values("responsible_unit_id", "responsible_unit__name")
        .annotate(**aggregates)
        .order_by("responsible_unit_id")
    ]
    return {
        "day": day.isoformat(),
        "as_of": min(now, end).astimezone(SHANGHAI).isoformat(),
        "office": office.name,
        "totals": {**totals, "rate": _rate(totals["resolved"], totals["total"])},
        "regions": _ranked(region_rows),
        "units": _ranked(unit_rows),
    }


def bulletin_list(*, user: Viewer) -> QuerySet[DailyBulletin]:
    return (
        scope_queryset(DailyBulletin.objects.all(), user)
        .select_related("office", "document")
        .order_by("-day")
    )


def bulletin_get(*, user: Viewer, pk: int) -> DailyBulletin:
    return access(DailyBulletin.objects.select_related("office", "document"), user, pk=pk)


def bulletin_of_day(day: date) -> DailyBulletin | None:
    """The bulletin issued for ``day``, unscoped (the periodic task and the command)."""
    return DailyBulletin.objects.select_related("office", "document").filter(day=day).first()


@dataclass(frozen=True)
class MatterSupervision:
    """What the offices decided about one matter: the supervision letters naming it, the
    meetings' opinions on it (逐案解剖) and the tasks they set, each as the viewer may see."""

    letters: list[SupervisionLetter]
    minutes: list[MeetingMatter]
    tasks: list[MeetingTask]

    def __bool__(self) -> bool:
        return bool(self.letters or self.minutes or self.tasks)


def matter_supervision(*, user: Viewer, matter: PetitionMatter) -> MatterSupervision:
    """Three short scoped reads, newest first (a matter has a handful of each)."""
    letters = scope_queryset(
        SupervisionLetter.objects.filter(matters=matter).exclude(status=LetterStatus.DRAFT),
        user,
    ).select_related("recipient_unit", "issuing_office")
    minutes = scope_queryset(MeetingMatter.objects.filter(matter=matter), user).select_related(
        "meeting"
    )
    tasks = scope_queryset(MeetingTask.objects.filter(matter=matter), user).select_related(
        "meeting", "owner"
    )
    return MatterSupervision(
        letters=list(letters.order_by("-sent_on", "-id")[:20]),
        minutes=list(minutes.order_by("-meeting__held_on", "-id")[:20]),
        tasks=list(tasks.order_by("status", "due_on", "id")[:20]),
    )


def figures_for(matters: PetitionMatterQuerySet, *, today: date | None = None) -> Figures:
    """The figures of a set of matters (already scoped by the caller's selector)."""
    day = today or _today()
    row = matters.counted().order_by().aggregate(**_figure_aggregates("", day))
    return Figures(key="", name="合计", **row)


def supervision_timeline(
    record: SupervisionLetter | ReviewMeeting | DailyBulletin,
) -> QuerySet[Event]:
    """The events of a letter, a meeting or a bulletin (fetched through its scoped getter)."""
    return timeline_for(record)
