"""Request and response schemas of /api/v1/petitions (matters and campaigns), and the builders
that fill the responses. Every input has a size limit; personal data leaves masked only (a
petitioner's name and masked ID number, never the number, a phone or an address).

P2 and P3 add their schemas below their own headings.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.urls import reverse
from ninja import Field, Schema

from youjie.core.models import Event
from youjie.core.schemas import InputSchema
from youjie.documents.models import IssuedDocument
from youjie.petitions import deadlines, selectors
from youjie.petitions.choices import (
    AidKind,
    AidStatus,
    CampaignKind,
    CampaignStatus,
    CoordinationStatus,
    EvidenceKind,
    LetterStatus,
    MatterCategory,
    MatterOrigin,
    MatterStatus,
    MeetingKind,
    MeetingTaskStatus,
    OutcomeType,
    PetitionerAttitude,
    PetitionerRole,
    TaskForceRole,
    WorkRecordKind,
)
from youjie.petitions.models import (
    HISTORY_MAX,
    NAME_MAX,
    PLACE_MAX,
    TEXT_MAX,
    TITLE_MAX,
    Aid,
    Campaign,
    CoordinationRequest,
    DailyBulletin,
    MeetingMatter,
    MeetingTask,
    PetitionMatter,
    ReviewMeeting,
    SupervisionLetter,
    WorkRecord,
)

ID_MAX = 2**63 - 1
CODE_MAX = 32
USERNAME_MAX = 150
MAX_ITEMS = 50
MAX_CAMPAIGN_MATTERS = 500
DateText = date

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


class CampaignFilters(InputSchema):
    status: CampaignStatus | None = None
    page: int = Field(1, ge=1, le=10_000)
    page_size: int = Field(25, ge=1, le=100)


class CampaignCreateIn(InputSchema):
    name: str = Field(..., max_length=NAME_MAX)
    kind: CampaignKind
    starts_on: date
    ends_on: date
    goals: str = Field("", max_length=TEXT_MAX)
    follow_up_days: int = Field(30, ge=1, le=365)


class CampaignAddIn(InputSchema):
    matter_ids: list[int] = Field(..., min_length=1, max_length=MAX_CAMPAIGN_MATTERS)


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


class CampaignOut(Schema):
    id: int
    name: str
    kind: str
    status: str
    issuing_office: str
    starts_on: date
    ends_on: date
    goals: str
    follow_up_days: int


class CampaignListOut(Schema):
    items: list[CampaignOut]
    page: int
    size: int
    has_next: bool
    has_previous: bool


class FiguresOut(Schema):
    key: str
    name: str
    total: int
    resolved: int
    settled: int
    in_progress: int
    overdue: int


class BurnDownOut(Schema):
    days: list[str]
    remaining: list[int | None]
    ideal: list[float]


class CampaignProgressOut(Schema):
    campaign: CampaignOut
    totals: FiguresOut
    by_region: list[FiguresOut]
    by_unit: list[FiguresOut]
    burndown: BurnDownOut


class CampaignAddOut(Schema):
    added: int
    campaign: CampaignOut


# --- builders -----------------------------------------------------------------------------------


def _name(value: object) -> str:
    return str(value) if value is not None else ""


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


def campaign_out(campaign: Campaign) -> CampaignOut:
    return CampaignOut(
        id=campaign.pk,
        name=campaign.name,
        kind=campaign.kind,
        status=campaign.status,
        issuing_office=_name(campaign.issuing_office),
        starts_on=campaign.starts_on,
        ends_on=campaign.ends_on,
        goals=campaign.goals,
        follow_up_days=campaign.follow_up_days,
    )


def figures_out(figures: selectors.Figures) -> FiguresOut:
    return FiguresOut(
        key=figures.key,
        name=figures.name,
        total=figures.total,
        resolved=figures.resolved,
        settled=figures.settled,
        in_progress=figures.in_progress,
        overdue=figures.overdue,
    )


# --- P2: work records, coordination requests, aid ------------------------------------------------

Money = Annotated[Decimal, Field(gt=0, max_digits=12, decimal_places=2)]


class WorkRecordIn(InputSchema):
    kind: WorkRecordKind
    held_on: date
    place: str = Field("", max_length=PLACE_MAX)
    participant_usernames: list[Annotated[str, Field(max_length=USERNAME_MAX)]] = Field(
        default_factory=list, max_length=30, description="参加人员的用户名（本事项的工作人员）"
    )
    lead_official_present: bool = Field(False, description="包案领导本人参加（每案必见）")
    petitioner_ids: list[Annotated[int, Field(ge=1, le=ID_MAX)]] = Field(
        default_factory=list, max_length=MAX_ITEMS, description="见面的信访人（人员编号）"
    )
    findings: str = Field(..., max_length=TEXT_MAX)
    law_explanation: str = Field("", max_length=TEXT_MAX)
    counselling: str = Field("", max_length=TEXT_MAX)
    attitude: PetitionerAttitude | Literal[""] = ""


class CoordinationIn(InputSchema):
    department: str = Field(..., max_length=CODE_MAX, description="部门机构代码，如 BT-ZJJ")
    liaison: str = Field("", max_length=USERNAME_MAX, description="联络员用户名（可空）")
    request_text: str = Field(..., max_length=TEXT_MAX)
    workdays: int | None = Field(None, ge=1, le=60, description="答复时限（工作日），默认按配置")


class CoordinationReplyIn(InputSchema):
    reply_text: str = Field(..., max_length=TEXT_MAX)
    replied_on: date | None = None


class CoordinationFilters(InputSchema):
    status: CoordinationStatus | None = None
    overdue: bool = Field(False, description="仅看逾期未答复")
    page: int = Field(1, ge=1, le=10_000)
    page_size: int = Field(25, ge=1, le=100)


class AidIn(InputSchema):
    kind: AidKind
    person_id: int = Field(..., ge=1, le=ID_MAX, description="救助对象（本事项的信访人）")
    court_case: str = Field("", max_length=40, description="关联案件案号（国家司法救助必填）")
    amount: Money
    awardable_amount: Money | None = Field(None, description="应判赔或判决未执行金额（元）")
    reason: str = Field(..., max_length=TEXT_MAX)
    applied_on: date | None = None


class AidApproveIn(InputSchema):
    approved_amount: Money
    opinion: str = Field(..., max_length=TEXT_MAX)
    decided_on: date | None = None


class AidCapExceedIn(InputSchema):
    amount: Money
    opinion: str = Field(..., max_length=TEXT_MAX)
    decided_on: date | None = None


class AidRefuseIn(InputSchema):
    opinion: str = Field(..., max_length=TEXT_MAX)
    decided_on: date | None = None


class AidFundsIn(InputSchema):
    funds_arrived_on: date | None = None


class AidPayIn(InputSchema):
    paid_on: date | None = None
    funds_arrived_on: date | None = None


class AidFilters(InputSchema):
    status: AidStatus | None = None
    kind: AidKind | None = None
    overdue: bool = Field(False, description="仅看超过审批或发放期限的国家司法救助")
    page: int = Field(1, ge=1, le=10_000)
    page_size: int = Field(25, ge=1, le=100)


class PageQuery(InputSchema):
    page: int = Field(1, ge=1, le=10_000)
    page_size: int = Field(25, ge=1, le=100)


class PersonRefOut(Schema):
    person_id: int
    name: str


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    sha256: str


class WorkRecordOut(Schema):
    id: int
    matter_id: int
    kind: str
    kind_label: str
    held_on: date
    place: str
    participants: list[str]
    lead_official_present: bool
    lead_official: str
    petitioners_met: list[PersonRefOut]
    findings: str
    law_explanation: str
    counselling: str
    attitude: str
    attitude_label: str
    attachments: list[AttachmentOut]
    recorded_by: str
    created_at: datetime


class WorkRecordListOut(Schema):
    items: list[WorkRecordOut]
    not_met: list[PersonRefOut]


class NotMetOut(Schema):
    matter_id: int
    matter_number: str
    matter_title: str
    person_id: int
    name: str
    lead_official: str


class NotMetListOut(Schema):
    items: list[NotMetOut]
    page: int
    size: int
    has_next: bool
    has_previous: bool


class CoordinationOut(Schema):
    id: int
    matter_id: int
    matter_number: str
    matter_title: str
    department: str
    department_name: str
    liaison: str
    request_text: str
    sent_on: date
    workdays: int
    due_on: date
    status: str
    status_label: str
    overdue: bool
    reply_text: str
    replied_on: date | None
    replied_late: bool


class CoordinationListOut(Schema):
    items: list[CoordinationOut]
    page: int
    size: int
    has_next: bool
    has_previous: bool


class AidApprovalOut(Schema):
    kind: str
    kind_label: str
    approver: str
    decided_on: date
    opinion: str
    amount: Decimal | None


class ClockLineOut(Schema):
    label: str
    due_on: date


class AidOut(Schema):
    id: int
    matter_id: int
    matter_number: str
    person_id: int
    person_name: str
    id_number_masked: str
    kind: str
    kind_label: str
    court_case: str
    amount: Decimal
    awardable_amount: Decimal | None
    wage_year: int | None
    monthly_wage: Decimal | None
    cap_amount: Decimal | None
    approved_amount: Decimal | None
    status: str
    status_label: str
    reason: str
    applied_on: date
    decided_on: date | None
    funds_arrived_on: date | None
    paid_on: date | None
    clocks: list[ClockLineOut]
    decision_overdue: bool
    payment_overdue: bool
    approvals: list[AidApprovalOut]


class AidListOut(Schema):
    items: list[AidOut]
    page: int
    size: int
    has_next: bool
    has_previous: bool


def work_record_out(record: WorkRecord) -> WorkRecordOut:
    return WorkRecordOut(
        id=record.pk,
        matter_id=record.matter_id,
        kind=record.kind,
        kind_label=record.get_kind_display(),
        held_on=record.held_on,
        place=record.place,
        participants=[user.get_full_name() for user in record.participants.all()],
        lead_official_present=record.lead_official_present,
        lead_official=record.lead_official.get_full_name() if record.lead_official else "",
        petitioners_met=[
            PersonRefOut(person_id=person.pk, name=person.name)
            for person in record.petitioners_met.all()
        ],
        findings=record.findings,
        law_explanation=record.law_explanation,
        counselling=record.counselling,
        attitude=record.attitude,
        attitude_label=record.get_attitude_display() if record.attitude else "",
        attachments=[
            AttachmentOut(
                id=item.pk,
                name=item.original_name,
                content_type=item.content_type,
                size=item.size,
                sha256=item.sha256,
            )
            for item in record.attachments.all()
        ],
        recorded_by=record.recorded_by.get_full_name(),
        created_at=record.created_at,
    )


def coordination_out(item: CoordinationRequest, today: date) -> CoordinationOut:
    return CoordinationOut(
        id=item.pk,
        matter_id=item.matter_id,
        matter_number=item.matter.number,
        matter_title=item.matter.title,
        department=item.department.code,
        department_name=item.department.name,
        liaison=item.liaison.get_full_name() if item.liaison else "",
        request_text=item.request_text,
        sent_on=item.sent_on,
        workdays=item.workdays,
        due_on=item.due_on,
        status=item.status,
        status_label=item.get_status_display(),
        overdue=item.is_overdue(today),
        reply_text=item.reply_text,
        replied_on=item.replied_on,
        replied_late=item.replied_late,
    )


def aid_out(aid: Aid, today: date) -> AidOut:
    clocks = []
    if aid.decision_due_on is not None:
        decision = deadlines.aid_decision_deadline(aid.applied_on)
        clocks.append(ClockLineOut(label=decision.label, due_on=aid.decision_due_on))
    if aid.payment_due_on is not None and aid.funds_arrived_on is not None:
        payment = deadlines.aid_payment_deadline(aid.funds_arrived_on)
        clocks.append(ClockLineOut(label=payment.label, due_on=aid.payment_due_on))
    return AidOut(
        id=aid.pk,
        matter_id=aid.matter_id,
        matter_number=aid.matter.number,
        person_id=aid.person_id,
        person_name=aid.person.name,
        id_number_masked=aid.person.id_number_masked,
        kind=aid.kind,
        kind_label=aid.get_kind_display(),
        court_case=aid.court_case.case_number if aid.court_case else "",
        amount=aid.amount,
        awardable_amount=aid.awardable_amount,
        wage_year=aid.wage_year,
        monthly_wage=aid.monthly_wage,
        cap_amount=aid.cap_amount,
        approved_amount=aid.approved_amount,
        status=aid.status,
        status_label=aid.get_status_display(),
        reason=aid.reason,
        applied_on=aid.applied_on,
        decided_on=aid.decided_on,
        funds_arrived_on=aid.funds_arrived_on,
        paid_on=aid.paid_on,
        clocks=clocks,
        decision_overdue=aid.decision_overdue(today),
        payment_overdue=aid.payment_overdue(today),
        approvals=[
            AidApprovalOut(
                kind=approval.kind,
                kind_label=approval.get_kind_display(),
                approver=approval.approver.get_full_name(),
                decided_on=approval.decided_on,
                opinion=approval.opinion,
                amount=approval.amount,
            )
            for approval in aid.approvals.all()
        ],
    )


# --- P3: supervision letters, meetings, the daily bulletin ---------------------------------------

LETTER_MATTERS_MAX = 50


class LetterFilters(InputSchema):
    status: LetterStatus | None = None
    overdue: bool = Field(False, description="仅看逾期未答复")
    q: str = Field("", max_length=100, description="发文字号或标题")
    page: int = Field(1, ge=1, le=10_000)
    page_size: int = Field(25, ge=1, le=100)


class LetterCreateIn(InputSchema):
    recipient_unit: str = Field(..., max_length=CODE_MAX, description="受函单位代码，如 150205-ZXB")
    matter_ids: list[Annotated[int, Field(ge=1, le=ID_MAX)]] = Field(
        ..., min_length=1, max_length=LETTER_MATTERS_MAX, description="督办的信访事项编号"
    )
    title: str = Field("", max_length=TITLE_MAX, description="不填则按事项自动生成")
    requirements: str = Field(..., max_length=TEXT_MAX)
    due_on: date
    send: bool = Field(False, description="保存后立即发出（编发文字号、生成督办函）")


class LetterSendIn(InputSchema):
    expected_status: LetterStatus | None = Field(None, description="调用方看到的状态，防止重复发出")


class LetterReplyIn(InputSchema):
    reply_text: str = Field(..., max_length=TEXT_MAX)
    replied_on: date | None = None


class MeetingFilters(InputSchema):
    kind: MeetingKind | None = None
    page: int = Field(1, ge=1, le=10_000)
    page_size: int = Field(25, ge=1, le=100)


class MeetingCreateIn(InputSchema):
    title: str = Field(..., max_length=TITLE_MAX)
    held_on: date
    chair: str = Field("", max_length=USERNAME_MAX, description="主持人的用户名")
    attendees: str = Field("", max_length=1000)
    summary: str = Field("", max_length=TEXT_MAX)


class MeetingMinuteIn(InputSchema):
    matter_id: int = Field(..., ge=1, le=ID_MAX)
    minute: str = Field(..., max_length=TEXT_MAX)


class MeetingTaskIn(InputSchema):
    matter_id: int = Field(..., ge=1, le=ID_MAX)
    description: str = Field(..., max_length=1000)
    owner: str = Field(..., max_length=USERNAME_MAX, description="责任人的用户名")
    due_on: date


class MeetingHoldIn(InputSchema):
    attendees: str = Field("", max_length=1000)
    summary: str = Field("", max_length=TEXT_MAX)


class MeetingTaskDoneIn(InputSchema):
    note: str = Field(..., max_length=1000)
    done_on: date | None = None


class ReviewGenerateIn(InputSchema):
    day: date | None = Field(None, description="会议日期（默认今天）；须为三日一研究会议日")


class BulletinIssueIn(InputSchema):
    day: date | None = Field(None, description="通报日期（默认今天）；不能是未来日期")


class DocumentRefOut(Schema):
    id: int
    number: str
    sha256: str
    download_url: str


class LetterMatterOut(Schema):
    id: int
    number: str
    title: str


class LetterOut(Schema):
    id: int
    number: str
    status: str
    status_label: str
    overdue: bool
    title: str
    issuing_office: str
    recipient_unit: str
    recipient_unit_code: str
    requirements: str
    due_on: date
    sent_on: date | None
    reply_text: str
    replied_on: date | None
    matters: list[LetterMatterOut]
    document: DocumentRefOut | None


class LetterListOut(Schema):
    items: list[LetterOut]
    page: int
    size: int
    has_next: bool
    has_previous: bool


class MinuteOut(Schema):
    matter_id: int
    matter_number: str
    minute: str


class MeetingTaskOut(Schema):
    id: int
    meeting_id: int
    matter_id: int
    matter_number: str
    description: str
    owner: str
    due_on: date
    status: str
    overdue: bool
    done_on: date | None
    done_note: str


class MeetingOut(Schema):
    id: int
    kind: str
    kind_label: str
    status: str
    office: str
    title: str
    held_on: date
    chair: str
    attendees: str
    summary: str
    agenda: dict[str, Any]
    minutes: list[MinuteOut]
    tasks: list[MeetingTaskOut]


class MeetingSummaryOut(Schema):
    id: int
    kind: str
    status: str
    office: str
    title: str
    held_on: date


class MeetingListOut(Schema):
    items: list[MeetingSummaryOut]
    page: int
    size: int
    has_next: bool
    has_previous: bool


class BulletinOut(Schema):
    id: int
    day: date
    number: str
    title: str
    generated_at: datetime
    figures: dict[str, Any]
    document: DocumentRefOut | None


class BulletinListOut(Schema):
    items: list[BulletinOut]
    page: int
    size: int
    has_next: bool
    has_previous: bool


def document_ref(document: IssuedDocument | None) -> DocumentRefOut | None:
    if document is None:
        return None
    return DocumentRefOut(
        id=document.pk,
        number=document.number,
        sha256=document.sha256,
        download_url=reverse("documents:download", args=[document.pk]),
    )


def letter_out(letter: SupervisionLetter, matters: list[PetitionMatter], today: date) -> LetterOut:
    return LetterOut(
        id=letter.pk,
        number=letter.number,
        status=letter.status,
        status_label=letter.get_status_display(),
        overdue=letter.status == LetterStatus.SENT and letter.due_on < today,
        title=letter.title,
        issuing_office=letter.issuing_office.name,
        recipient_unit=letter.recipient_unit.name,
        recipient_unit_code=letter.recipient_unit.code,
        requirements=letter.requirements,
        due_on=letter.due_on,
        sent_on=letter.sent_on,
        reply_text=letter.reply_text,
        replied_on=letter.replied_on,
        matters=[
            LetterMatterOut(id=matter.pk, number=matter.number, title=matter.title)
            for matter in matters
        ],
        document=document_ref(letter.document),
    )


def meeting_task_out(task: MeetingTask, today: date) -> MeetingTaskOut:
    return MeetingTaskOut(
        id=task.pk,
        meeting_id=task.meeting_id,
        matter_id=task.matter_id,
        matter_number=task.matter.number,
        description=task.description,
        owner=_name(task.owner),
        due_on=task.due_on,
        status=task.status,
        overdue=task.status == MeetingTaskStatus.OPEN and task.due_on < today,
        done_on=task.done_on,
        done_note=task.done_note,
    )


def meeting_out(
    meeting: ReviewMeeting, minutes: list[MeetingMatter], tasks: list[MeetingTask], today: date
) -> MeetingOut:
    return MeetingOut(
        id=meeting.pk,
        kind=meeting.kind,
        kind_label=meeting.get_kind_display(),
        status=meeting.status,
        office=meeting.office.name,
        title=meeting.title,
        held_on=meeting.held_on,
        chair=_name(meeting.chair) if meeting.chair else "",
        attendees=meeting.attendees,
        summary=meeting.summary,
        agenda=meeting.agenda if isinstance(meeting.agenda, dict) else {},
        minutes=[
            MinuteOut(matter_id=row.matter_id, matter_number=row.matter.number, minute=row.minute)
            for row in minutes
        ],
        tasks=[meeting_task_out(task, today) for task in tasks],
    )


def meeting_summary_out(meeting: ReviewMeeting) -> MeetingSummaryOut:
    return MeetingSummaryOut(
        id=meeting.pk,
        kind=meeting.kind,
        status=meeting.status,
        office=meeting.office.name,
        title=meeting.title,
        held_on=meeting.held_on,
    )


def bulletin_out(bulletin: DailyBulletin) -> BulletinOut:
    return BulletinOut(
        id=bulletin.pk,
        day=bulletin.day,
        number=bulletin.number,
        title=bulletin.title,
        generated_at=bulletin.generated_at,
        figures=bulletin.figures if isinstance(bulletin.figures, dict) else {},
        document=document_ref(bulletin.document),
    )
