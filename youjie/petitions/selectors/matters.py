"""Reads of matters: the list with its filters (and the figures' status groups), one matter (404
outside the scope), its timeline, its detail page, its clock (``clock_state``), the rows of a
page, the export, the lead official's and the handler's matters, the three-day review's
stalled matters, ``matter_figures`` and the choices of the registration and assignment forms.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Q, QuerySet

from youjie.core.models import Event
from youjie.core.timeline import timeline_for
from youjie.core.viewers import Viewer
from youjie.courtcases.models import CourtCase
from youjie.desk.models import ServiceRequest
from youjie.orgs.choices import OrgKind, Role
from youjie.orgs.models import OrgUnit, Region, User
from youjie.orgs.scoping import access
from youjie.petitions.choices import (
    HANDLING_UNIT_KINDS,
    OPEN_MATTER_STATUSES,
    RESPONSIBLE_UNIT_KINDS,
)
from youjie.petitions.models import (
    CampaignMatter,
    MatterReturnVisit,
    OutcomeEvidence,
    Petitioner,
    PetitionLabel,
    PetitionMatter,
    PetitionMatterQuerySet,
    TaskForceMember,
)
from youjie.petitions.selectors.common import (
    MATTER_RELATED,
    Figures,
    _figure_aggregates,
    _today,
    visible_matters,
)
from youjie.petitions.selectors.records import not_yet_met_q

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


def matter_figures(*, user: Viewer, today: date | None = None) -> Figures:
    """The figures of every counted matter ``user`` may see."""
    day = today or _today()
    row = visible_matters(user=user).counted().aggregate(**_figure_aggregates("", day))
    return Figures(key="", name="合计", **row)


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
