"""Meetings on matters: leaders' dispatch meetings (调度会) that take matters one by one (逐案解剖)
and the three-day review (三日一研究) whose agenda is generated from the data on every third
working day. Every decision becomes a task (``MeetingTask``: matter, what, owner, deadline) with
its events; a task reported done counts as progress on its matter.

- ``meeting_create`` (a dispatch meeting), ``meeting_hold``, ``meeting_matter_record`` (the
  minute of one matter), ``meeting_task_create``, ``meeting_task_complete``;
- ``review_day_is_due`` / ``review_next_day``: the 三日一研究 calendar, counted on
  ``youjie.workdays`` from ``YOUJIE_PETITIONS_REVIEW_START``;
- ``review_agenda_generate``: the agenda of an office's due day, once (the periodic task in
  ``tasks.py`` calls it; a unique constraint holds if two workers race).

A meeting's ``status`` changes only in ``meeting_status_set`` and a task's in
``meeting_task_status_set`` (MEETING_TRANSITIONS, MEETING_TASK_TRANSITIONS).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from youjie.core.errors import PermissionDenied, ValidationFailed
from youjie.core.timeline import event_record
from youjie.documents.official import chinese_date
from youjie.orgs.choices import OrgKind
from youjie.orgs.models import OrgUnit, User
from youjie.orgs.scoping import region_subtree_codes, scope_queryset
from youjie.petitions.choices import MatterStatus, MeetingKind, MeetingStatus, MeetingTaskStatus
from youjie.petitions.models import (
    REASON_MAX,
    TEXT_MAX,
    TITLE_MAX,
    MeetingMatter,
    MeetingTask,
    PetitionMatter,
    ReviewMeeting,
)
from youjie.petitions.permissions import (
    PETITION_ROLES,
    can_complete_task,
    can_run_meetings,
)
from youjie.petitions.policy import supervision_policy
from youjie.petitions.selectors import review_agenda_build
from youjie.petitions.services.common import (
    Errors,
    add_error,
    check_not_future,
    check_order,
    clean_text,
    matter_progress_touch,
    notify_user,
    raise_if_errors,
    today,
)
from youjie.petitions.transitions import MEETING_TASK_TRANSITIONS, MEETING_TRANSITIONS
from youjie.workdays.calendar import (
    SHANGHAI,
    first_workday_on_or_after,
    is_workday,
    workdays_between,
)

MEETING_DAYS_AHEAD_MAX = 365
TASK_DAYS_MAX = 365
REVIEW_EVERY_WORKDAYS = 3
ATTENDEES_MAX = REASON_MAX


# --- the status helpers -----------------------------------------------------------------------


def meeting_status_set(
    *,
    meeting: ReviewMeeting,
    to_status: str,
    actor: User,
    verb: str,
    data: dict[str, Any] | None = None,
    update_fields: list[str] | None = None,
) -> None:
    """The only place that changes a meeting's ``status`` (MEETING_TRANSITIONS)."""
    source = meeting.status
    MEETING_TRANSITIONS.check(source, to_status)
    meeting.status = to_status
    meeting.save(update_fields=sorted({"status", "updated_at", *(update_fields or [])}))
    event_record(
        subject=meeting, verb=verb, actor=actor, from_state=source, to_state=to_status, data=data
    )


def meeting_task_status_set(
    *,
    task: MeetingTask,
    to_status: str,
    actor: User,
    verb: str,
    data: dict[str, Any] | None = None,
    update_fields: list[str] | None = None,
) -> None:
    """The only place that changes a meeting task's ``status`` (MEETING_TASK_TRANSITIONS)."""
    source = task.status
    MEETING_TASK_TRANSITIONS.check(source, to_status)
    task.status = to_status
    task.save(update_fields=sorted({"status", *(update_fields or [])}))
    event_record(
        subject=task, verb=verb, actor=actor, from_state=source, to_state=to_status, data=data
    )


# --- checks -----------------------------------------------------------------------------------


def _own_office(actor: User) -> OrgUnit:
    office = actor.org_unit
    if office is None or office.kind != OrgKind.OFFICE or not can_run_meetings(actor, office):
        raise PermissionDenied("只有专项办干部可以召开调度会、记录研究意见和交办任务")
    return office


def _meeting_matter(
    errors: Errors, *, actor: User, meeting: ReviewMeeting, matter: PetitionMatter | None
) -> PetitionMatter | None:
    """A counted matter of the meeting office's region that the actor may see."""
    if matter is None:
        add_error(errors, "matter", "请选择信访事项")
        return None
    found = (
        scope_queryset(PetitionMatter.objects.filter(pk=matter.pk), actor)
        .select_related("region")
        .first()
    )
    if found is None:
        add_error(errors, "matter", "信访事项不存在或无权查看")
        return None
    if found.status == MatterStatus.TERMINATED or found.no_further_counting:
        add_error(errors, "matter", f"{found.number}已依法终结，不再研究交办")
    elif found.region_id not in region_subtree_codes(meeting.office.region_id):
        add_error(errors, "matter", f"{found.number}不在“{meeting.office.name}”的属地范围内")
    return found


def _check_meeting_fields(
    errors: Errors, *, title: str, held_on: date | None, attendees: str, summary: str
) -> tuple[str, str, str]:
    title = clean_text(errors, "title", "会议名称", title, max_length=TITLE_MAX, required=True)
    attendees = clean_text(errors, "attendees", "参会人员", attendees, max_length=ATTENDEES_MAX)
    summary = clean_text(errors, "summary", "会议纪要", summary, max_length=TEXT_MAX)
    if held_on is None:
        add_error(errors, "held_on", "请填写会议日期")
    elif held_on > today() + timedelta(days=MEETING_DAYS_AHEAD_MAX):
        add_error(errors, "held_on", f"会议日期不能晚于{MEETING_DAYS_AHEAD_MAX}日之后")
    elif held_on.year < 2000:
        add_error(errors, "held_on", "会议日期有误")
    return title, attendees, summary


# --- dispatch meetings ------------------------------------------------------------------------


def meeting_create(
    *,
    actor: User,
    title: str,
    held_on: date | None,
    chair: User | None = None,
    attendees: str = "",
    summary: str = "",
) -> ReviewMeeting:
    """A leaders' dispatch meeting (调度会) of the actor's office, scheduled; its matters,
    minutes and tasks are recorded on its page, and it is marked held (``meeting_hold``)."""
    office = _own_office(actor)
    errors: Errors = {}
    title, attendees, summary = _check_meeting_fields(
        errors, title=title, held_on=held_on, attendees=attendees, summary=summary
    )
    if chair is not None and not chair.is_active:
        add_error(errors, "chair", "主持人账号已停用")
    raise_if_errors(errors, "会议信息有误")
    assert held_on is not None
    with transaction.atomic():
        meeting = ReviewMeeting.objects.create(
            kind=MeetingKind.DISPATCH,
            office=office,
            title=title,
            held_on=held_on,
            chair=chair,
            attendees=attendees,
            summary=summary,
            created_by=actor,
        )
        event_record(
            subject=meeting,
            verb="created",
            actor=actor,
            data={"kind": meeting.kind, "held_on": held_on.isoformat()},
        )
    return meeting


def meeting_hold(
    *, actor: User, meeting: ReviewMeeting, attendees: str = "", summary: str = ""
) -> ReviewMeeting:
    """The meeting took place (not before its day): its attendees and summary recorded."""
    if not can_run_meetings(actor, meeting.office):
        raise PermissionDenied("只有召集会议的专项办干部可以确认会议召开")
    errors: Errors = {}
    attendees = clean_text(errors, "attendees", "参会人员", attendees, max_length=ATTENDEES_MAX)
    summary = clean_text(errors, "summary", "会议纪要", summary, max_length=TEXT_MAX)
    raise_if_errors(errors, "会议信息有误")
    with transaction.atomic():
        locked = ReviewMeeting.objects.select_for_update(of=("self",)).get(pk=meeting.pk)
        MEETING_TRANSITIONS.check(locked.status, MeetingStatus.HELD)
        if locked.held_on > today():
            raise ValidationFailed(
                f"会议定于{chinese_date(locked.held_on)}召开，召开后才能确认",
                fields={"held_on": ["会议尚未召开"]},
            )
        fields = []
        if attendees:
            locked.attendees = attendees
            fields.append("attendees")
        if summary:
            locked.summary = summary
            fields.append("summary")
        meeting_status_set(
            meeting=locked,
            to_status=MeetingStatus.HELD,
            actor=actor,
            verb="held",
            update_fields=fields,
        )
    return locked


def meeting_matter_record(
    *, actor: User, meeting: ReviewMeeting, matter: PetitionMatter | None, minute: str
) -> MeetingMatter:
    """逐案解剖: the meeting's minute on one matter (a second one for the same matter replaces
    the first, the event keeps both). An event on the matter's timeline."""
    if not can_run_meetings(actor, meeting.office):
        raise PermissionDenied("只有召集会议的专项办干部可以记录研究意见")
    errors: Errors = {}
    found = _meeting_matter(errors, actor=actor, meeting=meeting, matter=matter)
    minute = clean_text(errors, "minute", "研究意见", minute, max_length=TEXT_MAX, required=True)
    raise_if_errors(errors, "研究意见有误")
    assert found is not None
    with transaction.atomic():
        row, created = MeetingMatter.objects.select_for_update().get_or_create(
            meeting=meeting,
            matter=found,
            defaults={"minute": minute, "recorded_by": actor},
        )
        if not created:
            previous = row.minute
            row.minute, row.recorded_by = minute, actor
            row.save(update_fields=["minute", "recorded_by"])
        event_record(
            subject=found,
            verb="meeting_discussed" if created else "meeting_minute_updated",
            actor=actor,
            data={
                "meeting_id": meeting.pk,
                "meeting": meeting.title,
                "kind": meeting.kind,
                "held_on": meeting.held_on.isoformat(),
                "minute": minute[:500],
                **({} if created else {"previous": previous[:500]}),
            },
        )
    return row


def meeting_task_create(
    *,
    actor: User,
    meeting: ReviewMeeting,
    matter: PetitionMatter | None,
    description: str,
    owner: User | None,
    due_on: date | None,
) -> MeetingTask:
    """A decision of the meeting as a task on one matter, with its owner and deadline; events on
    the task and on the matter's timeline, and a message to the owner through the outbox."""
    if not can_run_meetings(actor, meeting.office):
        raise PermissionDenied("只有召集会议的专项办干部可以交办任务")
    errors: Errors = {}
    found = _meeting_matter(errors, actor=actor, meeting=meeting, matter=matter)
    description = clean_text(
        errors, "description", "任务内容", description, max_length=REASON_MAX, required=True
    )
    if owner is None:
        add_error(errors, "owner", "请选择责任人")
    elif not owner.is_active or not (owner.is_superuser or owner.has_role(*PETITION_ROLES)):
        add_error(errors, "owner", "责任人应为在岗的专项办干部、包案领导、承办人或单位领导")
    if due_on is None:
        add_error(errors, "due_on", "请填写完成期限")
    else:
        check_order(errors, "due_on", "完成期限", due_on, meeting.held_on, "会议日期")
        if due_on > meeting.held_on + timedelta(days=TASK_DAYS_MAX):
            add_error(errors, "due_on", f"完成期限不能晚于会议日期后{TASK_DAYS_MAX}日")
    raise_if_errors(errors, "交办任务信息有误")
    assert found is not None and owner is not None and due_on is not None
    with transaction.atomic():
        task = MeetingTask.objects.create(
            meeting=meeting,
            matter=found,
            description=description,
            owner=owner,
            due_on=due_on,
            created_by=actor,
        )
        data = {
            "task_id": task.pk,
            "meeting_id": meeting.pk,
            "meeting": meeting.title,
            "description": description[:500],
            "owner": owner.get_full_name() or owner.get_username(),
            "due_on": due_on.isoformat(),
        }
        event_record(subject=task, verb="created", actor=actor, data=data)
        event_record(subject=found, verb="meeting_task_assigned", actor=actor, data=data)
        notify_user(
            user=owner,
            matter=found,
            subject=f"会议交办任务：{found.number}",
            body=(
                f"{meeting.get_kind_display()}“{meeting.title}”交办：{description[:200]}"
                f"（{found.number}），请于{chinese_date(due_on)}前完成。"
            ),
            key=f"meeting_task:{task.pk}",
        )
    return task


def meeting_task_complete(
    *, actor: User, task: MeetingTask, note: str, done_on: date | None = None
) -> MeetingTask:
    """The owner (or the office) reports the task done; progress on its matter."""
    errors: Errors = {}
    note = clean_text(errors, "note", "落实情况", note, max_length=REASON_MAX, required=True)
    day = done_on or today()
    check_not_future(errors, "done_on", "完成日期", day)
    with transaction.atomic():
        locked = (
            MeetingTask.objects.select_for_update(of=("self",))
            .select_related("meeting", "meeting__office", "matter")
            .get(pk=task.pk)
        )
        if not can_complete_task(actor, locked):
            raise PermissionDenied("只有任务责任人或召集会议的专项办干部可以报告任务落实情况")
        MEETING_TASK_TRANSITIONS.check(locked.status, MeetingTaskStatus.DONE)
        check_order(errors, "done_on", "完成日期", day, locked.meeting.held_on, "会议日期")
        raise_if_errors(errors, "落实情况有误")
        locked.done_on, locked.done_note, locked.done_by = day, note, actor
        late = day > locked.due_on
        meeting_task_status_set(
            task=locked,
            to_status=MeetingTaskStatus.DONE,
            actor=actor,
            verb="done",
            data={"done_on": day.isoformat(), "late": late},
            update_fields=["done_on", "done_note", "done_by"],
        )
        event_record(
            subject=locked.matter,
            verb="meeting_task_done",
            actor=actor,
            data={
                "task_id": locked.pk,
                "meeting_id": locked.meeting_id,
                "description": locked.description[:500],
                "note": note[:500],
                "done_on": day.isoformat(),
                "late": late,
            },
        )
        matter_progress_touch(matter=locked.matter)
    return locked


# --- 三日一研究 --------------------------------------------------------------------------------


def _review_first_day() -> date:
    return first_workday_on_or_after(supervision_policy().review_start)


def review_day_is_due(day: date) -> bool:
    """Whether ``day`` is a 三日一研究 day: the first working day on or after the configured
    start, then every third working day after it (holidays and 调休 make-up days counted by
    ``youjie.workdays``)."""
    first = _review_first_day()
    if day < first or not is_workday(day):
        return False
    return workdays_between(first, day) % REVIEW_EVERY_WORKDAYS == 0


def review_next_day(after: date) -> date:
    """The first 三日一研究 day on or after ``after``."""
    day = max(after, _review_first_day())
    for _ in range(366):
        if review_day_is_due(day):
            return day
        day += timedelta(days=1)
    raise ValidationFailed("未来一年内没有三日一研究的会议日，请检查工作日历")


def review_agenda_generate(
    *,
    office: OrgUnit,
    day: date | None = None,
    actor: User | None = None,
    now: datetime | None = None,
) -> ReviewMeeting:
    """The 三日一研究 of ``office`` on ``day`` (today), its agenda generated from the data now:
    a snapshot kept on the meeting. Once per office and day: the existing one is returned.
    Refused on a day that is not a review day and for a future day. ``actor`` None: the
    periodic task (the events name 系统)."""
    moment = now or timezone.now()
    day = day or today()
    if actor is not None and not can_run_meetings(actor, office):
        raise PermissionDenied("只有本专项办干部可以生成三日一研究议程")
    if day > today():
        raise ValidationFailed("不能生成未来日期的三日一研究议程", code="review_future")
    existing = ReviewMeeting.objects.filter(
        kind=MeetingKind.THREE_DAY, office=office, held_on=day
    ).first()
    if existing is not None:
        return existing
    if not review_day_is_due(day):
        following = review_next_day(day)
        raise ValidationFailed(
            f"{chinese_date(day)}不是三日一研究的会议日（下一次：{chinese_date(following)}）",
            code="review_not_due",
        )
    agenda = review_agenda_build(office=office, day=day, now=moment)
    try:
        with transaction.atomic():
            meeting = ReviewMeeting.objects.create(
                kind=MeetingKind.THREE_DAY,
                office=office,
                title=f"三日一研究（{chinese_date(day)}）",
                held_on=day,
                agenda=agenda,
                created_by=actor,
            )
            event_record(
                subject=meeting,
                verb="agenda_generated",
                actor=actor or "系统",
                data={
                    "sections": {section["key"]: section["count"] for section in agenda["sections"]}
                },
            )
    except IntegrityError:
        # Another worker generated it meanwhile (uniq_pet_three_day_review).
        return ReviewMeeting.objects.get(kind=MeetingKind.THREE_DAY, office=office, held_on=day)
    return meeting


def review_offices() -> list[OrgUnit]:
    """The offices whose 三日一研究 agenda the periodic task generates."""
    codes = supervision_policy().review_offices
    return list(OrgUnit.objects.filter(code__in=codes, is_active=True).order_by("code"))


def review_agendas_generate_if_due(*, now: datetime | None = None) -> list[ReviewMeeting]:
    """The periodic task's step: on a 三日一研究 day, once the configured time has come, the
    agenda of each configured office that has none yet."""
    moment = now or timezone.now()
    local = timezone.localtime(moment, SHANGHAI)
    day = local.date()
    if local.time() < supervision_policy().review_time or not review_day_is_due(day):
        return []
    done = set(
        ReviewMeeting.objects.filter(kind=MeetingKind.THREE_DAY, held_on=day).values_list(
            "office_id", flat=True
        )
    )
    return [
        review_agenda_generate(office=office, day=day, now=moment)
        for office in review_offices()
        if office.pk not in done
    ]
