"""Registering a petition matter, updating its facts, assigning responsibility (双包案, 一案一专班),
escalating a desk request into a matter and extending the handling period.

Every function checks its input before writing (a Chinese message naming each bad field,
nothing written), runs in one transaction and writes its timeline event there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypedDict, Unpack

from django.db import transaction
from django.utils import timezone

from youjie.core.errors import Conflict, InvalidTransition, PermissionDenied, ValidationFailed
from youjie.core.timeline import event_record
from youjie.courtcases.models import CourtCase
from youjie.desk.models import ServiceRequest
from youjie.orgs.choices import OrgKind, Role
from youjie.orgs.models import OrgUnit, Region, User
from youjie.orgs.scoping import scope_queryset
from youjie.people.models import Person
from youjie.petitions import deadlines
from youjie.petitions.choices import (
    HANDLING_UNIT_KINDS,
    OPEN_MATTER_STATUSES,
    RESPONSIBLE_UNIT_KINDS,
    MatterCategory,
    MatterOrigin,
    MatterStatus,
    PetitionerRole,
    TaskForceRole,
)
from youjie.petitions.models import (
    HISTORY_MAX,
    REASON_MAX,
    TEXT_MAX,
    TITLE_MAX,
    Petitioner,
    PetitionLabel,
    PetitionMatter,
    TaskForceMember,
)
from youjie.petitions.permissions import (
    can_escalate_request,
    can_manage_matter,
    can_register_matter,
    can_work_on_matter,
)
from youjie.petitions.services.common import (
    Errors,
    add_error,
    check_not_future,
    check_order,
    clean_text,
    matter_number,
    matter_status_set,
    next_matter_sequence,
    notify_user,
    raise_if_errors,
    today,
)

MAX_PETITIONERS = 50
MAX_TASK_FORCE = 30
MAX_LINKS = 50
# 转送、交办 reach the organ from elsewhere: the 15-day notice is Art. 23 ¶3's, not ¶2's.
FORWARDED_ORIGINS = frozenset({MatterOrigin.ASSIGNED, MatterOrigin.SUPERVISED, MatterOrigin.DESK})
# 政法单位 that answer for a matter (指导), and the units that may handle one (直接).
RESPONSIBLE_KINDS = RESPONSIBLE_UNIT_KINDS
HANDLING_KINDS = HANDLING_UNIT_KINDS


@dataclass(frozen=True)
class PetitionerInput:
    """A person named in a matter and their role (信访人 by default)."""

    person: Person
    role: str = PetitionerRole.PETITIONER


@dataclass(frozen=True)
class TaskForceInput:
    """A task-force member: a user (their name and unit by default) or a named outsider."""

    user: User | None = None
    name: str = ""
    unit: OrgUnit | None = None
    role: str = TaskForceRole.MEMBER
    duty: str = ""


class MatterChanges(TypedDict, total=False):
    """What ``matter_update`` may change; a key left out stays as it is."""

    title: str
    category: str
    core_demand: str
    root_cause: str
    prior_handling: str
    labels: Sequence[PetitionLabel]
    court_cases: Sequence[CourtCase]
    accepted_on: date | None
    notified_on: date | None


# --- shared checks ----------------------------------------------------------------------------


def county_office_for(region: Region) -> OrgUnit | None:
    """The 专项办 of ``region`` (属地): the one office unit registered for that region."""
    return (
        OrgUnit.objects.filter(kind=OrgKind.OFFICE, region=region, is_active=True)
        .order_by("id")
        .first()
    )


def _check_choice(errors: Errors, field: str, label: str, value: str, values: list[str]) -> None:
    if value not in values:
        add_error(errors, field, f"{label}无效")


def _petitioner_inputs(
    errors: Errors, petitioners: Sequence[Person | PetitionerInput]
) -> list[PetitionerInput]:
    inputs = [p if isinstance(p, PetitionerInput) else PetitionerInput(p) for p in petitioners]
    if not inputs:
        add_error(errors, "petitioners", "请至少填写一名信访人")
    elif len(inputs) > MAX_PETITIONERS:
        add_error(errors, "petitioners", f"信访人不能超过{MAX_PETITIONERS}人")
    persons = [item.person.pk for item in inputs]
    if len(set(persons)) != len(persons):
        add_error(errors, "petitioners", "同一人员不能重复列为信访人")
    for item in inputs:
        if item.role not in PetitionerRole.values:
            add_error(errors, "petitioners", "信访人身份无效")
    return inputs


def _check_labels(errors: Errors, labels: Sequence[PetitionLabel]) -> None:
    if len(labels) > MAX_LINKS:
        add_error(errors, "labels", "标签过多")
    if any(not label.is_active for label in labels):
        add_error(errors, "labels", "不能使用已停用的标签")


def _visible_court_cases(
    errors: Errors, actor: User, court_cases: Sequence[CourtCase]
) -> list[CourtCase]:
    if len(court_cases) > MAX_LINKS:
        add_error(errors, "court_cases", f"关联案件不能超过{MAX_LINKS}件")
        return []
    ids = {case.pk for case in court_cases}
    visible = list(scope_queryset(CourtCase.objects.filter(pk__in=ids), actor))
    if len(visible) != len(ids):
        add_error(errors, "court_cases", "关联案件不存在或无权查看")
    return visible


def _clocks(
    *, received_on: date, accepted_on: date | None, origin: str, extension_days: int = 0
) -> dict[str, object]:
    """The matter's stored deadlines (信访工作条例 Art. 23, 34) and the calendar warning."""
    notice = deadlines.notice_deadline(received_on, forwarded=origin in FORWARDED_ORIGINS)
    values: dict[str, object] = {
        "notice_due_on": notice.due,
        "handling_due_on": None,
        "extended_due_on": None,
    }
    warnings = [notice.warning]
    if accepted_on is not None:
        handling = deadlines.handling_deadline(accepted_on)
        values["handling_due_on"] = handling.due
        warnings.append(handling.warning)
        if extension_days:
            extended = deadlines.handling_deadline(accepted_on, extension_days=extension_days)
            values["extended_due_on"] = extended.due
            warnings.append(extended.warning)
    values["calendar_warning"] = next((w for w in reversed(warnings) if w), "")
    return values


def _lock(matter: PetitionMatter) -> PetitionMatter:
    return PetitionMatter.objects.select_for_update(of=("self",)).get(pk=matter.pk)


def _refuse_if_terminated(matter: PetitionMatter) -> None:
    if matter.status == MatterStatus.TERMINATED:
        raise InvalidTransition(
            f"{matter.number}已依法终结，不再交办、办理", code="matter_terminated"
        )


# --- registration -----------------------------------------------------------------------------


def _matter_insert(
    *,
    actor: User,
    title: str,
    region: Region,
    category: str,
    origin: str,
    core_demand: str,
    received_on: date,
    petitioners: Sequence[Person | PetitionerInput],
    root_cause: str,
    prior_handling: str,
    labels: Sequence[PetitionLabel],
    court_cases: Sequence[CourtCase],
    accepted_on: date | None,
    statutory_clocks: bool,
    check_cases_visible: bool,
) -> tuple[PetitionMatter, list[PetitionerInput], list[CourtCase]]:
    """Check everything, then insert the matter with its links (no event: the caller's)."""
    errors: Errors = {}
    title = clean_text(errors, "title", "事项名称", title, max_length=TITLE_MAX, required=True)
    core_demand = clean_text(
        errors, "core_demand", "核心诉求", core_demand, max_length=TEXT_MAX, required=True
    )
    root_cause = clean_text(errors, "root_cause", "症结", root_cause, max_length=TEXT_MAX)
    prior_handling = clean_text(
        errors, "prior_handling", "既往处理情况", prior_handling, max_length=HISTORY_MAX
    )
    _check_choice(errors, "category", "类别", category, MatterCategory.values)
    _check_choice(errors, "origin", "来源", origin, MatterOrigin.values)
    check_not_future(errors, "received_on", "收到日期", received_on)
    check_not_future(errors, "accepted_on", "受理日期", accepted_on)
    check_order(errors, "accepted_on", "受理日期", accepted_on, received_on, "收到日期")
    inputs = _petitioner_inputs(errors, petitioners)
    _check_labels(errors, labels)
    cases = (
        _visible_court_cases(errors, actor, court_cases)
        if check_cases_visible
        else list(court_cases)
    )
    office = county_office_for(region)
    if office is None:
        add_error(errors, "region", f"属地“{region.name}”尚未设置专项办，请先在机构中设置")
    raise_if_errors(errors, "信访事项信息有误")
    assert office is not None

    year = today().year
    sequence = next_matter_sequence(year=year)
    clocks = (
        _clocks(received_on=received_on, accepted_on=accepted_on, origin=origin)
        if statutory_clocks
        else {}
    )
    matter = PetitionMatter.objects.create(
        number=matter_number(year, sequence),
        year=year,
        sequence=sequence,
        title=title,
        region=region,
        county_office=office,
        category=category,
        origin=origin,
        core_demand=core_demand,
        root_cause=root_cause,
        prior_handling=prior_handling,
        received_on=received_on,
        accepted_on=accepted_on,
        statutory_clocks=statutory_clocks,
        last_progress_at=timezone.now(),
        created_by=actor,
        **clocks,
    )
    Petitioner.objects.bulk_create(
        [Petitioner(matter=matter, person=item.person, role=item.role) for item in inputs]
    )
    if labels:
        matter.labels.set(labels)
    if cases:
        matter.court_cases.set(cases)
    return matter, inputs, cases


def matter_create(
    *,
    actor: User,
    title: str,
    region: Region,
    category: str,
    origin: str,
    core_demand: str,
    received_on: date,
    petitioners: Sequence[Person | PetitionerInput],
    root_cause: str = "",
    prior_handling: str = "",
    labels: Sequence[PetitionLabel] = (),
    court_cases: Sequence[CourtCase] = (),
    accepted_on: date | None = None,
    statutory_clocks: bool = True,
) -> PetitionMatter:
    """Register a matter in ``region`` (属地). Its county office is that region's 专项办; its
    number the next of this year; its 15-day notice clock starts from ``received_on`` and, once
    accepted, its 60-day handling clock from ``accepted_on`` (unless ``statutory_clocks`` is
    off: 条例 Art. 23 ¶4 leaves 诉讼权利救济 matters to the 政法 rules)."""
    if not can_register_matter(actor, region.code):
        raise PermissionDenied("只有属地专项办可以登记该属地的信访事项")
    with transaction.atomic():
        matter, inputs, cases = _matter_insert(
            actor=actor,
            title=title,
            region=region,
            category=category,
            origin=origin,
            core_demand=core_demand,
            received_on=received_on,
            petitioners=petitioners,
            root_cause=root_cause,
            prior_handling=prior_handling,
            labels=labels,
            court_cases=court_cases,
            accepted_on=accepted_on,
            statutory_clocks=statutory_clocks,
            check_cases_visible=True,
        )
        event_record(
            subject=matter,
            verb="registered",
            actor=actor,
            to_state=matter.status,
            data={
                "number": matter.number,
                "petitioners": [item.person.pk for item in inputs],
                "court_cases": [case.case_number for case in cases],
                "labels": [label.code for label in labels],
            },
        )
    return matter


def matter_escalate_from_request(
    *,
    actor: User,
    service_request: ServiceRequest,
    category: str,
    region: Region | None = None,
    title: str = "",
    core_demand: str = "",
    petitioner: Person | None = None,
) -> PetitionMatter:
    """A desk request (诉事速办) becomes a petition matter: its requester is the petitioner, its
    case and the request are linked, and both timelines get an event. The region defaults to
    the requester's, else the court's; title and core demand to the request's. The matter is
    received on the day of escalation (转送: 条例 Art. 23 ¶3 counts from receipt)."""
    if not can_escalate_request(actor, service_request):
        raise PermissionDenied("只有该诉求的承办人员或其负责人可以将其转为信访事项")
    person = service_request.requester or petitioner
    if person is None:
        raise ValidationFailed(
            "该诉求未关联人员档案，请先为诉求人建档后再转为信访事项",
            fields={"petitioner": ["请选择信访人"]},
        )
    if region is None:
        region = person.region or service_request.court.region
    with transaction.atomic():
        locked = ServiceRequest.objects.select_for_update(of=("self",)).get(pk=service_request.pk)
        existing = locked.petition_matters.order_by("id").first()
        if existing is not None:
            raise Conflict(
                f"诉求{locked.number}已转为信访事项{existing.number}", code="already_escalated"
            )
        matter, _inputs, _cases = _matter_insert(
            actor=actor,
            title=title or locked.title,
            region=region,
            category=category,
            origin=MatterOrigin.DESK,
            core_demand=core_demand or locked.content[:TEXT_MAX],
            # Forwarded to the petitions side today: its 15-day notice runs from today
            # (条例 Art. 23 ¶3); the request keeps its own dates.
            received_on=today(),
            petitioners=[PetitionerInput(person)],
            root_cause="",
            prior_handling="",
            labels=(),
            court_cases=[locked.related_case] if locked.related_case is not None else [],
            accepted_on=None,
            statutory_clocks=True,
            # The request's own case, which its handler may see.
            check_cases_visible=False,
        )
        matter.desk_requests.add(locked)
        event_record(
            subject=matter,
            verb="escalated_from_request",
            actor=actor,
            to_state=matter.status,
            data={"number": matter.number, "service_request": locked.number},
        )
        event_record(
            subject=locked,
            verb="escalated_to_petition",
            actor=actor,
            data={"petition_matter": matter.number},
        )
    return matter


# --- updates ----------------------------------------------------------------------------------


def matter_update(
    *, actor: User, matter: PetitionMatter, **changes: Unpack[MatterChanges]
) -> PetitionMatter:
    """Change the facts of a matter (title, category, core demand, root cause, earlier
    handling, labels, linked cases, the dates of acceptance and written notice). Changing the
    acceptance date recomputes the handling clock."""
    if not can_work_on_matter(actor, matter):
        raise PermissionDenied()
    errors: Errors = {}
    values: dict[str, object] = {}
    texts = {
        "title": ("事项名称", TITLE_MAX, True),
        "core_demand": ("核心诉求", TEXT_MAX, True),
        "root_cause": ("症结", TEXT_MAX, False),
        "prior_handling": ("既往处理情况", HISTORY_MAX, False),
    }
    for field, (label, limit, required) in texts.items():
        if field in changes:
            raw = changes[field]  # type: ignore[literal-required]
            values[field] = clean_text(
                errors, field, label, str(raw), max_length=limit, required=required
            )
    if "category" in changes:
        _check_choice(errors, "category", "类别", changes["category"], MatterCategory.values)
        values["category"] = changes["category"]
    accepted_on = changes.get("accepted_on", matter.accepted_on)
    notified_on = changes.get("notified_on", matter.notified_on)
    if "accepted_on" in changes:
        check_not_future(errors, "accepted_on", "受理日期", accepted_on)
        check_order(errors, "accepted_on", "受理日期", accepted_on, matter.received_on, "收到日期")
        if matter.extension_days and accepted_on is None:
            add_error(errors, "accepted_on", "已延期的事项不能清除受理日期")
        values["accepted_on"] = accepted_on
    if "notified_on" in changes:
        check_not_future(errors, "notified_on", "书面告知日期", notified_on)
        check_order(
            errors, "notified_on", "书面告知日期", notified_on, matter.received_on, "收到日期"
        )
        values["notified_on"] = notified_on
    labels = changes.get("labels")
    if labels is not None:
        _check_labels(errors, labels)
    cases = changes.get("court_cases")
    visible_cases = _visible_court_cases(errors, actor, cases) if cases is not None else None
    raise_if_errors(errors, "信访事项信息有误")

    with transaction.atomic():
        locked = _lock(matter)
        _refuse_if_terminated(locked)
        if "accepted_on" in values and locked.statutory_clocks:
            values.update(
                _clocks(
                    received_on=locked.received_on,
                    accepted_on=accepted_on,
                    origin=locked.origin,
                    extension_days=locked.extension_days,
                )
            )
        changed = sorted(
            field for field, value in values.items() if getattr(locked, field) != value
        )
        for field in changed:
            setattr(locked, field, values[field])
        if labels is not None and {x.pk for x in labels} != set(
            locked.labels.values_list("pk", flat=True)
        ):
            locked.labels.set(labels)
            changed.append("labels")
        if visible_cases is not None and {x.pk for x in visible_cases} != set(
            locked.court_cases.values_list("pk", flat=True)
        ):
            locked.court_cases.set(visible_cases)
            changed.append("court_cases")
        if not changed:
            return locked
        locked.last_progress_at = timezone.now()
        model_fields = [f for f in changed if f not in ("labels", "court_cases")]
        locked.save(update_fields=[*model_fields, "last_progress_at", "updated_at"])
        event_record(subject=locked, verb="updated", actor=actor, data={"changed": changed})
    return locked


# --- responsibility ---------------------------------------------------------------------------


def _task_force_rows(errors: Errors, task_force: Sequence[TaskForceInput]) -> list[TaskForceMember]:
    rows: list[TaskForceMember] = []
    if len(task_force) > MAX_TASK_FORCE:
        add_error(errors, "task_force", f"专班成员不能超过{MAX_TASK_FORCE}人")
        return rows
    heads = [item for item in task_force if item.role == TaskForceRole.HEAD]
    if len(heads) > 1:
        add_error(errors, "task_force", "每个专班只能有一名专班组长")
    users = [item.user.pk for item in task_force if item.user is not None]
    if len(set(users)) != len(users):
        add_error(errors, "task_force", "同一人员不能重复列入专班")
    for item in task_force:
        if item.role not in TaskForceRole.values:
            add_error(errors, "task_force", "专班职务无效")
            continue
        if item.user is not None and not item.user.is_active:
            add_error(errors, "task_force", f"{item.user}的账号已停用")
        name = item.name or (item.user.get_full_name() if item.user is not None else "")
        name = clean_text(errors, "task_force", "专班成员姓名", name, max_length=50, required=True)
        duty = clean_text(errors, "task_force", "专班分工", item.duty, max_length=200)
        unit = item.unit or (item.user.org_unit if item.user is not None else None)
        if unit is None:
            add_error(errors, "task_force", f"请填写专班成员“{name}”的所在单位")
            continue
        rows.append(
            TaskForceMember(user=item.user, name=name, unit=unit, role=item.role, duty=duty)
        )
    return rows


def matter_assign(
    *,
    actor: User,
    matter: PetitionMatter,
    lead_official: User | None = None,
    responsible_unit: OrgUnit | None = None,
    handling_unit: OrgUnit | None = None,
    handler: User | None = None,
    task_force: Sequence[TaskForceInput] | None = None,
) -> PetitionMatter:
    """Assign responsibility: the lead official (包案领导) and the responsible unit (双包案), the
    handling unit and handler, and the task force (一案一专班, replaced as a whole when given).
    An argument left as None keeps what the matter has. Once the matter has both a lead
    official and a responsible unit it is 办理中. The new lead official and handler are told."""
    if not can_manage_matter(actor, matter):
        raise PermissionDenied("只有属地专项办可以明确包案领导和责任单位")
    errors: Errors = {}
    if lead_official is not None and not (
        lead_official.is_active and lead_official.has_role(Role.LEAD_OFFICIAL)
    ):
        add_error(errors, "lead_official", f"{lead_official}不是在岗的包案领导")
    if handler is not None and (not handler.is_active or handler.is_service_account):
        add_error(errors, "handler", f"{handler}不能担任承办人")
    if responsible_unit is not None and responsible_unit.kind not in RESPONSIBLE_KINDS:
        add_error(errors, "responsible_unit", f"{responsible_unit}不是政法单位，不能作为责任单位")
    if handling_unit is not None and handling_unit.kind not in HANDLING_KINDS:
        add_error(errors, "handling_unit", f"{handling_unit}不能作为承办单位")
    rows = _task_force_rows(errors, task_force) if task_force is not None else None
    raise_if_errors(errors, "责任分工有误")

    with transaction.atomic():
        locked = _lock(matter)
        _refuse_if_terminated(locked)
        changes: dict[str, object] = {}
        for field, value in (
            ("lead_official", lead_official),
            ("responsible_unit", responsible_unit),
            ("handling_unit", handling_unit),
            ("handler", handler),
        ):
            if value is not None and getattr(locked, f"{field}_id") != value.pk:
                setattr(locked, field, value)
                changes[field] = str(value)
        if rows is not None:
            TaskForceMember.objects.filter(matter=locked).delete()
            for row in rows:
                row.matter = locked
            TaskForceMember.objects.bulk_create(rows)
            changes["task_force"] = [
                f"{row.get_role_display()}：{row.name}（{row.unit}）" for row in rows
            ]
        if not changes:
            return locked
        locked.last_progress_at = timezone.now()
        fields = [f for f in changes if f != "task_force"]
        locked.save(update_fields=[*fields, "last_progress_at", "updated_at"])
        event = event_record(subject=locked, verb="assigned", actor=actor, data=changes)
        if (
            locked.status == MatterStatus.REGISTERED
            and locked.lead_official_id is not None
            and locked.responsible_unit_id is not None
        ):
            matter_status_set(
                matter=locked,
                to_status=MatterStatus.IN_PROGRESS,
                actor=actor,
                verb="handling_started",
                reason="已明确包案领导和责任单位",
            )
        if "lead_official" in changes:
            notify_user(
                user=locked.lead_official,
                matter=locked,
                subject=f"包案通知：{locked.number}",
                body=f"您已被确定为信访事项{locked.number}“{locked.title}”的包案领导。",
                key=f"lead:{event.pk}",
            )
        if "handler" in changes:
            notify_user(
                user=locked.handler,
                matter=locked,
                subject=f"承办通知：{locked.number}",
                body=f"信访事项{locked.number}“{locked.title}”已交由您承办。",
                key=f"handler:{event.pk}",
            )
    return locked


# --- the handling clock -----------------------------------------------------------------------


def matter_extend(
    *,
    actor: User,
    matter: PetitionMatter,
    days: int,
    reason: str,
    approved_by: str,
    told_on: date,
) -> PetitionMatter:
    """Extend the 60-day handling period by up to 30 日 (信访工作条例 Art. 34): approved by the
    organ's head (``approved_by``), the reason told to the petitioner (``told_on``). Once per
    matter, while the matter is open and before the original period ends."""
    if not can_work_on_matter(actor, matter):
        raise PermissionDenied()
    errors: Errors = {}
    if not 1 <= days <= deadlines.MAX_EXTENSION_DAYS:
        add_error(
            errors,
            "days",
            f"延长期限应为1至{deadlines.MAX_EXTENSION_DAYS}日（《信访工作条例》第三十四条）",
        )
    reason = clean_text(errors, "reason", "延期理由", reason, max_length=REASON_MAX, required=True)
    approved_by = clean_text(
        errors, "approved_by", "批准人", approved_by, max_length=50, required=True
    )
    check_not_future(errors, "told_on", "告知信访人日期", told_on)
    raise_if_errors(errors, "延期信息有误")
    with transaction.atomic():
        locked = _lock(matter)
        if locked.status not in OPEN_MATTER_STATUSES:
            raise InvalidTransition(
                f"{locked.number}当前状态“{locked.get_status_display()}”，不能延期"
            )
        if not locked.statutory_clocks or locked.accepted_on is None:
            raise ValidationFailed(
                "该事项尚未受理或不适用办理期限，无需延期", fields={"days": ["无需延期"]}
            )
        if locked.extension_days:
            raise Conflict(
                f"{locked.number}已延期{locked.extension_days}日，办理期限只能延长一次",
                code="already_extended",
            )
        errors = {}
        check_order(errors, "told_on", "告知信访人日期", told_on, locked.accepted_on, "受理日期")
        if locked.handling_due_on is not None and today() > locked.handling_due_on:
            add_error(
                errors, "days", f"办理期限已于{locked.handling_due_on:%Y-%m-%d}届满，不能再延期"
            )
        raise_if_errors(errors, "延期信息有误")
        extended = deadlines.handling_deadline(locked.accepted_on, extension_days=days)
        locked.extension_days = days
        locked.extended_due_on = extended.due
        locked.extension_reason = reason
        locked.extension_told_on = told_on
        locked.calendar_warning = extended.warning or locked.calendar_warning
        locked.save(
            update_fields=[
                "extension_days",
                "extended_due_on",
                "extension_reason",
                "extension_told_on",
                "calendar_warning",
                "updated_at",
            ]
        )
        event_record(
            subject=locked,
            verb="extended",
            actor=actor,
            reason=reason,
            data={
                "days": days,
                "approved_by": approved_by,
                "told_on": told_on.isoformat(),
                "due": extended.due.isoformat(),
                "article": extended.article,
            },
        )
    return locked
