"""Schemas of the work on a matter (P2): work records and their files, the petitioners not met
yet (每案必见), coordination requests and their replies, aid with its approvals and clocks
(money as ``Decimal`` to the 分), the list filters and pages, and their builders.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema

from youjie.core.schemas import InputSchema
from youjie.petitions import deadlines
from youjie.petitions.choices import (
    AidKind,
    AidStatus,
    CoordinationStatus,
    PetitionerAttitude,
    WorkRecordKind,
)
from youjie.petitions.models import PLACE_MAX, TEXT_MAX, Aid, CoordinationRequest, WorkRecord
from youjie.petitions.schemas.common import CODE_MAX, ID_MAX, MAX_ITEMS, USERNAME_MAX

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
