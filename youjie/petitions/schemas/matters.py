"""Schemas of the matter endpoints: the list's filters, registering, assigning and resolving a
matter, the summary (with its clock) and the detail (petitioners named and masked, task
force, campaigns, events), and their builders.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema

from youjie.core.models import Event
from youjie.core.schemas import InputSchema
from youjie.petitions import selectors
from youjie.petitions.choices import (
    EvidenceKind,
    MatterCategory,
    MatterOrigin,
    MatterStatus,
    OutcomeType,
    PetitionerRole,
    TaskForceRole,
)
from youjie.petitions.models import HISTORY_MAX, TEXT_MAX, TITLE_MAX, PetitionMatter
from youjie.petitions.schemas.common import CODE_MAX, ID_MAX, MAX_ITEMS, USERNAME_MAX, _name

StatusFilter = Literal[
    "registered", "in_progress", "resolved", "settled", "terminated", "counted", "open", "done"
]


# --- input --------------------------------------------------------------------------------------


class MatterFilters(InputSchema):
    q: str = Field("", max_length=100, description="编号或事项名称")
    status: StatusFilter | None = Field(
        None, description="状态；counted 不含依法终结，open 未化解，done 已化解（含事心双解）"
    )
    region: str = Field("", max_length=12, description="属地区划代码，如 150205")
    unit_id: int | None = Field(None, ge=1, le=ID_MAX, description="责任单位编号")
    label: str = Field("", max_length=CODE_MAX, description="标签代码：bone、nail、repeat、first")
    campaign_id: int | None = Field(None, ge=1, le=ID_MAX)
    lead_official_id: int | None = Field(None, ge=1, le=ID_MAX)
    overdue: bool = Field(False, description="仅看超期")
    not_met: bool = Field(False, description="仅看尚有信访人未见面（每案必见）")
    page: int = Field(1, ge=1, le=10_000)
    page_size: int = Field(25, ge=1, le=100)


class NewPetitionerIn(InputSchema):
    name: str = Field(..., min_length=1, max_length=50)
    id_number: str = Field("", max_length=18, description="身份证号（可空）")
    mobile: str = Field("", max_length=32)
    role: PetitionerRole = PetitionerRole.PETITIONER


class MatterCreateIn(InputSchema):
    title: str = Field(..., max_length=TITLE_MAX)
    region: str = Field(..., max_length=12, description="属地区划代码（调用方专项办的辖区）")
    category: MatterCategory
    origin: MatterOrigin
    core_demand: str = Field(..., max_length=TEXT_MAX)
    received_on: date
    accepted_on: date | None = None
    root_cause: str = Field("", max_length=TEXT_MAX)
    prior_handling: str = Field("", max_length=HISTORY_MAX)
    labels: list[str] = Field(default_factory=list, max_length=10, description="标签代码")
    statutory_clocks: bool = True
    petitioner_ids: list[int] = Field(
        default_factory=list, max_length=MAX_ITEMS, description="已建档信访人的人员编号"
    )
    new_petitioners: list[NewPetitionerIn] = Field(
        default_factory=list, max_length=MAX_ITEMS, description="随事项一并建档的信访人"
    )


class TaskForceMemberIn(InputSchema):
    username: str = Field("", max_length=USERNAME_MAX, description="系统用户（与 name 二选一）")
    name: str = Field("", max_length=50, description="非系统用户的姓名")
    unit_code: str = Field("", max_length=CODE_MAX, description="所在单位代码（非系统用户必填）")
    role: TaskForceRole = TaskForceRole.MEMBER
    duty: str = Field("", max_length=200)


class AssignIn(InputSchema):
    expected_status: MatterStatus | None = Field(None, description="调用方看到的状态，防止覆盖")
    lead_official: str = Field("", max_length=USERNAME_MAX, description="包案领导的用户名")
    responsible_unit: str = Field("", max_length=CODE_MAX, description="责任单位代码")
    handling_unit: str = Field("", max_length=CODE_MAX, description="承办单位代码")
    handler: str = Field("", max_length=USERNAME_MAX, description="承办人的用户名")
    task_force: list[TaskForceMemberIn] | None = Field(
        None, max_length=30, description="专班（整体替换；不传则不变）"
    )


class EvidenceIn(InputSchema):
    kind: EvidenceKind
    description: str = Field(..., min_length=1, max_length=500)
    dated_on: date


class ResolveIn(InputSchema):
    expected_status: MatterStatus | None = None
    outcome_type: OutcomeType
    summary: str = Field(..., max_length=TEXT_MAX)
    resolved_on: date
    evidence: list[EvidenceIn] = Field(default_factory=list, max_length=10)


# --- output -------------------------------------------------------------------------------------


class ClockOut(Schema):
    label: str
    article: str
    state: str = Field(description="done、none、running、due_soon、overdue")
    days: int | None = Field(description="剩余天数（负数为已超期天数）")


class MatterSummaryOut(Schema):
    id: int
    number: str
    title: str
    region: str
    region_name: str
    status: str
    status_label: str
    lead_official: str
    responsible_unit: str
    labels: list[str]
    clock: ClockOut


class PetitionerOut(Schema):
    person_id: int
    name: str
    role: str
    id_number_masked: str


class TaskForceOut(Schema):
    name: str
    unit: str
    role: str
    duty: str


class CampaignRowOut(Schema):
    campaign_id: int
    name: str
    follow_up_status: str
    follow_up_due_on: date | None


class EventOut(Schema):
    verb: str
    at: datetime
    actor: str
    from_state: str
    to_state: str
    reason: str


class MatterDetailOut(MatterSummaryOut):
    category: str
    origin: str
    core_demand: str
    root_cause: str
    prior_handling: str
    received_on: date
    accepted_on: date | None
    notice_due_on: date | None
    handling_due_on: date | None
    extended_due_on: date | None
    county_office: str
    handling_unit: str
    handler: str
    petitioners: list[PetitionerOut]
    task_force: list[TaskForceOut]
    court_cases: list[str]
    desk_requests: list[str]
    campaigns: list[CampaignRowOut]
    outcome_type: str
    outcome_summary: str
    matter_resolved_on: date | None
    heart_resolved_on: date | None
    ceased: bool
    terminated_on: date | None
    events: list[EventOut]


class MatterListOut(Schema):
    items: list[MatterSummaryOut]
    page: int
    size: int
    has_next: bool
    has_previous: bool


# --- builders -------------------------------------------------------------------------------------


def matter_summary(row: selectors.MatterRow) -> MatterSummaryOut:
    matter = row.matter
    return MatterSummaryOut(
        id=matter.pk,
        number=matter.number,
        title=matter.title,
        region=matter.region_id,
        region_name=matter.region.name,
        status=matter.status,
        status_label=matter.get_status_display(),
        lead_official=matter.lead_official.get_full_name() if matter.lead_official else "",
        responsible_unit=_name(matter.responsible_unit),
        labels=row.labels,
        clock=ClockOut(
            label=row.clock.label,
            article=row.clock.article,
            state=row.clock.state,
            days=row.clock.days,
        ),
    )


def _event(event: Event) -> EventOut:
    return EventOut(
        verb=event.verb,
        at=event.created_at,
        actor=event.actor_label or "",
        from_state=event.from_state or "",
        to_state=event.to_state or "",
        reason=event.reason or "",
    )


def matter_detail_out(matter: PetitionMatter, detail: selectors.MatterDetail) -> MatterDetailOut:
    (row,) = selectors.matter_rows([matter])
    summary = matter_summary(row).model_dump()
    return MatterDetailOut(
        **summary,
        category=matter.category,
        origin=matter.origin,
        core_demand=matter.core_demand,
        root_cause=matter.root_cause,
        prior_handling=matter.prior_handling,
        received_on=matter.received_on,
        accepted_on=matter.accepted_on,
        notice_due_on=matter.notice_due_on,
        handling_due_on=matter.handling_due_on,
        extended_due_on=matter.extended_due_on,
        county_office=_name(matter.county_office),
        handling_unit=_name(matter.handling_unit),
        handler=matter.handler.get_full_name() if matter.handler else "",
        petitioners=[
            PetitionerOut(
                person_id=link.person_id,
                name=link.person.name,
                role=link.role,
                id_number_masked=link.person.id_number_masked,
            )
            for link in detail.petitioners
        ],
        task_force=[
            TaskForceOut(
                name=member.name, unit=_name(member.unit), role=member.role, duty=member.duty
            )
            for member in detail.task_force
        ],
        court_cases=[case.case_number for case in detail.court_cases],
        desk_requests=[request.number for request in detail.desk_requests],
        campaigns=[
            CampaignRowOut(
                campaign_id=row.campaign_id,
                name=row.campaign.name,
                follow_up_status=row.status,
                follow_up_due_on=row.follow_up_due_on,
            )
            for row in detail.campaign_rows
        ],
        outcome_type=matter.outcome_type,
        outcome_summary=matter.outcome_summary,
        matter_resolved_on=matter.matter_resolved_on,
        heart_resolved_on=matter.heart_resolved_on,
        ceased=matter.ceased,
        terminated_on=matter.terminated_on,
        events=[_event(event) for event in detail.events],
    )
