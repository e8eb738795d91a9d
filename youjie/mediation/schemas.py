"""Request and response schemas of /api/v1/mediation, and the builders that fill the
responses. Every input has a size limit; the parties leave masked only (name, role, masked ID
number and phone), never a number in clear."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from ninja import Field, Schema

from youjie.core.models import Event
from youjie.core.schemas import InputSchema
from youjie.mediation.choices import MediationStatus
from youjie.mediation.deadlines import Clock
from youjie.mediation.models import (
    PLACE_MAX,
    REASON_MAX,
    TEXT_MAX,
    URL_MAX,
    JudicialConfirmation,
    Mediation,
    MediationSession,
)

ID_MAX = 2**63 - 1
USERNAME_MAX = 150
CODE_MAX = 32

StatusFilter = Literal[
    "open",
    "assigned",
    "accepted",
    "agreed",
    "closed_confirmed",
    "closed_document",
    "failed",
    "withdrawn",
]
ModeValue = Literal["delegated", "court"]
SessionKindValue = Literal["online", "in_person"]


# --- input --------------------------------------------------------------------------------------


class MediationFilters(InputSchema):
    status: StatusFilter | None = Field(None, description="状态；open 为未结束")
    overdue: bool = Field(False, description="只看调解期限已过仍在调解中的")
    mine: bool = Field(False, description="只看本人调解的")
    q: str = Field("", max_length=100, description="调解案号、立案申请编号或案由")
    page: int = Field(1, ge=1, le=10_000)
    page_size: int = Field(25, ge=1, le=100)


class DelegateIn(InputSchema):
    filing_id: int = Field(..., ge=1, le=ID_MAX, description="立案申请编号（id）")
    mode: ModeValue = Field(..., description="delegated 委派调解；court 法官+调解")
    organisation: str = Field("", max_length=CODE_MAX, description="调解组织的机构代码")
    mediator: str = Field(..., min_length=1, max_length=USERNAME_MAX, description="调解员用户名")
    note: str = Field("", max_length=REASON_MAX)


class ActionIn(InputSchema):
    expected_status: MediationStatus | None = Field(
        None, description="调用方读取时的状态；不一致时 422 stale"
    )


class SessionIn(ActionIn):
    kind: SessionKindValue
    scheduled_at: datetime = Field(..., description="调解时间，须带时区，如 2026-12-08T14:30+08:00")
    video_url: str = Field("", max_length=URL_MAX, description="在线调解的视频会议链接（https）")
    place: str = Field("", max_length=PLACE_MAX, description="现场调解的地点")


class AgreeIn(ActionIn):
    agreement: str = Field(..., min_length=1, max_length=TEXT_MAX)
    agreed_on: date = Field(..., description="协议生效日期（各方签字之日）")


class FailIn(ActionIn):
    reason: str = Field(..., min_length=1, max_length=REASON_MAX)


# --- output -------------------------------------------------------------------------------------


class MediationSummaryOut(Schema):
    id: int
    number: str
    filing_id: int
    filing_number: str
    cause: str
    mode: str
    status: str
    court: str
    organisation: str
    mediator: str
    assigned_at: datetime
    accepted_at: datetime | None
    due_on: date | None
    overdue: bool


class MediationListOut(Schema):
    items: list[MediationSummaryOut]
    page: int
    size: int
    has_next: bool
    has_previous: bool


class PartyOut(Schema):
    role: str
    name: str
    id_number_masked: str
    phone_masked: str


class ClockOut(Schema):
    label: str
    due_on: date
    done_on: date | None
    state: str
    basis: str


class SessionOut(Schema):
    id: int
    kind: str
    scheduled_at: datetime
    video_url: str
    place: str
    status: str
    notes: str
    reminded_at: datetime | None


class ConfirmationOut(Schema):
    status: str
    applicants: str
    applied_on: date
    accepted_on: date | None
    case_number: str
    decision_extended: bool
    decided_on: date | None
    reason: str


class EventOut(Schema):
    verb: str
    actor: str
    from_state: str
    to_state: str
    reason: str
    at: datetime


class MediationDetailOut(MediationSummaryOut):
    applied_on: date
    original_due_on: date | None
    agreed_on: date | None
    agreement: str
    failure_reason: str
    filing_status: str
    parties: list[PartyOut]
    clocks: list[ClockOut]
    sessions: list[SessionOut]
    confirmation: ConfirmationOut | None
    timeline: list[EventOut]


def mediation_summary(mediation: Mediation, today: date) -> MediationSummaryOut:
    return MediationSummaryOut(**_summary_fields(mediation, today))


def _summary_fields(mediation: Mediation, today: date) -> dict[str, Any]:
    return {
        "id": mediation.pk,
        "number": mediation.number,
        "filing_id": mediation.filing_id,
        "filing_number": mediation.filing.number,
        "cause": mediation.filing.cause,
        "mode": mediation.mode,
        "status": mediation.status,
        "court": mediation.court.name,
        "organisation": mediation.organisation.name if mediation.organisation else "",
        "mediator": mediation.mediator.get_full_name(),
        "assigned_at": mediation.assigned_at,
        "accepted_at": mediation.accepted_at,
        "due_on": mediation.due_on,
        "overdue": mediation.status == MediationStatus.ACCEPTED
        and mediation.due_on is not None
        and mediation.due_on < today,
    }


def session_out(session: MediationSession) -> SessionOut:
    return SessionOut(
        id=session.pk,
        kind=session.kind,
        scheduled_at=session.scheduled_at,
        video_url=session.video_url,
        place=session.place,
        status=session.status,
        notes=session.notes,
        reminded_at=session.reminded_at,
    )


def mediation_detail_out(
    mediation: Mediation,
    *,
    today: date,
    clocks: list[Clock],
    sessions: list[MediationSession],
    confirmation: JudicialConfirmation | None,
    events: list[Event],
) -> MediationDetailOut:
    filing = mediation.filing
    return MediationDetailOut(
        **_summary_fields(mediation, today),
        applied_on=mediation.applied_on,
        original_due_on=mediation.original_due_on,
        agreed_on=mediation.agreed_on,
        agreement=mediation.agreement,
        failure_reason=mediation.failure_reason,
        filing_status=filing.status,
        parties=[
            PartyOut(
                role=party.role,
                name=party.name,
                id_number_masked=party.id_number_masked,
                phone_masked=party.phone_masked,
            )
            for party in filing.parties.all()
        ],
        clocks=[
            ClockOut(
                label=clock.label,
                due_on=clock.due_on,
                done_on=clock.done_on,
                state=clock.state(today),
                basis=clock.basis,
            )
            for clock in clocks
        ],
        sessions=[session_out(session) for session in sessions],
        confirmation=ConfirmationOut(
            status=confirmation.status,
            applicants=confirmation.applicants,
            applied_on=confirmation.applied_on,
            accepted_on=confirmation.accepted_on,
            case_number=confirmation.case_number,
            decision_extended=confirmation.decision_extended,
            decided_on=confirmation.decided_on,
            reason=confirmation.reason,
        )
        if confirmation is not None
        else None,
        timeline=[
            EventOut(
                verb=event.verb,
                actor=event.actor_label,
                from_state=event.from_state,
                to_state=event.to_state,
                reason=event.reason,
                at=event.created_at,
            )
            for event in events
        ],
    )
