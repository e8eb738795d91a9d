"""Reads of supervision (issue 13 items 5–7): supervision letters (督办函) and whom an office may
write to, meetings (调度会, 三日一研究) with their minutes and tasks, the three-day review's
agenda built from the data (``review_agenda_build``), the daily bulletin's figures and
bulletins, what the offices decided about one matter, and the timeline of each record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from youjie.core.models import Event
from youjie.core.timeline import timeline_for
from youjie.core.viewers import Viewer
from youjie.orgs.choices import OrgKind, Role
from youjie.orgs.models import OrgUnit, User
from youjie.orgs.scoping import access, region_subtree_codes, scope_queryset
from youjie.petitions.choices import AidStatus, LetterStatus, MeetingStatus, MeetingTaskStatus
from youjie.petitions.models import (
    Aid,
    CoordinationRequest,
    DailyBulletin,
    MeetingMatter,
    MeetingTask,
    PetitionMatter,
    PetitionMatterQuerySet,
    ReviewMeeting,
    SupervisionLetter,
    coordination_overdue_q,
)
from youjie.petitions.selectors.common import (
    MATTER_RELATED,
    _figure_aggregates,
    _today,
    visible_matters,
)
from youjie.petitions.selectors.records import _unmet_links
from youjie.workdays.calendar import SHANGHAI, is_workday

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


def supervision_timeline(
    record: SupervisionLetter | ReviewMeeting | DailyBulletin,
) -> QuerySet[Event]:
    """The events of a letter, a meeting or a bulletin (fetched through its scoped getter)."""
    return timeline_for(record)
