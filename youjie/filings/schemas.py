"""The API's shapes for filings. Inputs derive from InputSchema (no NUL) with size limits;
the rules (identity numbers, amounts, CNY only, required materials) are the services'.
Outputs show personal data masked only."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from ninja import Field, Schema

from youjie.core.schemas import InputSchema
from youjie.filings.models import Filing, FilingMaterial, FilingParty

QueueName = Literal["check", "review", "overdue", "supplement", "decided", "all"]
CONTENT_MAX = 2_800_000  # base64 of a file within the request-body limit


class PartyIn(InputSchema):
    role: str = Field(..., max_length=24, description="plaintiff、defendant、third_party …")
    kind: str = Field("person", max_length=16, description="person 或 enterprise")
    name: str = Field(..., max_length=200)
    id_number: str = Field("", max_length=40, description="身份证号或统一社会信用代码")
    phone: str = Field("", max_length=32)
    address: str = Field("", max_length=200)
    agent_name: str = Field("", max_length=100)
    agent_licence_number: str = Field("", max_length=30)


class MaterialIn(InputSchema):
    kind: str = Field(..., max_length=24, description="complaint、evidence、authorisation …")
    title: str = Field("", max_length=200)
    file_name: str = Field("", max_length=100, description="带扩展名：.pdf、.jpg、.png")
    content_base64: str = Field("", max_length=CONTENT_MAX, description="文件内容（Base64）")


class FilingIn(InputSchema):
    competent_court: str = Field(..., max_length=32, description="管辖法院机构代码，如 BT-QS-FY")
    case_kind: str = Field(
        ..., max_length=24, description="civil_first、administrative_first、execution"
    )
    procedure: str = Field("ordinary", max_length=16)
    cause: str = Field(..., max_length=100)
    claims: str = Field(..., max_length=4000)
    amount: str | None = Field(None, max_length=40, description="标的额（元），十进制字符串")
    currency: str = Field("CNY", max_length=10, description="只接受 CNY")
    facts_and_reasons: str = Field(..., max_length=20000)
    submitter_kind: str = Field("party", max_length=16, description="party、lawyer、agent")
    submitter_name: str = Field(..., max_length=50)
    submitter_phone: str = Field(..., max_length=32)
    lawyer_licence_number: str = Field("", max_length=30)
    law_firm: str = Field("", max_length=100)
    mediation_consent: bool = False
    parties: list[PartyIn] = Field(..., max_length=20)
    materials: list[MaterialIn] = Field(..., max_length=30)


class FilingFilters(InputSchema):
    queue: QueueName = "all"
    q: str = Field("", max_length=50, description="编号、当事人、提交人或案由")
    page: int = Field(1, ge=1, le=10_000)
    page_size: int = Field(25, ge=1, le=100)


class ForwardIn(InputSchema):
    expected_status: str | None = Field(None, max_length=20)
    note: str = Field("", max_length=500)


class SupplementIn(InputSchema):
    expected_status: str | None = Field(None, max_length=20)
    items: list[str] = Field(..., min_length=1, max_length=20)


class AcceptIn(InputSchema):
    expected_status: str | None = Field(None, max_length=20)
    division: str = Field(..., max_length=32, description="承办庭室机构代码，如 BT-BYEB-MS")
    judge: str = Field("", max_length=150, description="承办法官用户名（可选）")
    procedure: str = Field("", max_length=16)
    fast_track: bool = False
    cause: str = Field("", max_length=100)
    issue_fee_notice: bool = Field(
        False,
        description="受理后开具缴费通知书：按标的额计算受理费，立案同时开具并短信发送给提交人；"
        "开具失败则不立案（code fee_notice_refused）",
    )


class RefuseIn(InputSchema):
    expected_status: str | None = Field(None, max_length=20)
    reason: str = Field(..., max_length=4000)


class PartyOut(Schema):
    role: str
    kind: str
    name: str
    id_number_masked: str
    phone_masked: str
    person_id: int | None
    enterprise_id: int | None


class MaterialOut(Schema):
    id: int
    kind: str
    title: str
    original_name: str
    size: int
    sha256: str
    supplement_round: int


class EventOut(Schema):
    verb: str
    at: datetime
    actor: str
    to_state: str
    reason: str
    data: dict[str, Any]


class FilingSummaryOut(Schema):
    id: int
    number: str
    status: str
    status_label: str
    cross_domain: bool
    receiving_court: str
    competent_court: str
    case_kind: str
    cause: str
    submitter_name: str
    submitter_phone_masked: str
    submitted_at: datetime
    decision_due: date | None
    mediation_consent: bool


class FilingOut(FilingSummaryOut):
    procedure: str
    claims: str
    amount: str | None
    facts_and_reasons: str
    forwarded_at: datetime | None
    competent_received_at: datetime | None
    supplement_items: list[str]
    supplement_round: int
    case_number: str | None
    refusal_reason: str
    fast_track: bool
    parties: list[PartyOut]
    materials: list[MaterialOut]
    events: list[EventOut]


class FilingListOut(Schema):
    items: list[FilingSummaryOut]
    page: int
    size: int
    has_next: bool


def filing_summary(filing: Filing) -> FilingSummaryOut:
    return FilingSummaryOut(
        id=filing.pk,
        number=filing.number,
        status=filing.status,
        status_label=filing.get_status_display(),
        cross_domain=filing.cross_domain,
        receiving_court=filing.receiving_court.code,
        competent_court=filing.competent_court.code,
        case_kind=filing.case_kind,
        cause=filing.cause,
        submitter_name=filing.submitter_name,
        submitter_phone_masked=filing.submitter_phone_masked,
        submitted_at=filing.submitted_at,
        decision_due=filing.decision_due,
        mediation_consent=filing.mediation_consent,
    )


def _party(party: FilingParty) -> PartyOut:
    return PartyOut(
        role=party.role,
        kind=party.kind,
        name=party.name,
        id_number_masked=party.id_number_masked,
        phone_masked=party.phone_masked,
        person_id=party.person_id,
        enterprise_id=party.enterprise_id,
    )


def _material(material: FilingMaterial) -> MaterialOut:
    return MaterialOut(
        id=material.pk,
        kind=material.kind,
        title=material.title,
        original_name=material.original_name,
        size=material.size,
        sha256=material.sha256,
        supplement_round=material.supplement_round,
    )


def filing_out(filing: Filing, detail: Any) -> FilingOut:
    summary = filing_summary(filing)
    return FilingOut(
        **summary.model_dump(),
        procedure=filing.procedure,
        claims=filing.claims,
        amount=str(filing.amount) if filing.amount is not None else None,
        facts_and_reasons=filing.facts_and_reasons,
        forwarded_at=filing.forwarded_at,
        competent_received_at=filing.competent_received_at,
        supplement_items=list(filing.supplement_items or []),
        supplement_round=filing.supplement_round,
        case_number=filing.court_case.case_number if filing.court_case else None,
        refusal_reason=filing.refusal_reason,
        fast_track=filing.fast_track,
        parties=[_party(party) for party in detail.parties],
        materials=[_material(material) for material in detail.materials],
        events=[
            EventOut(
                verb=event.verb,
                at=event.created_at,
                actor=event.actor_label,
                to_state=event.to_state,
                reason=event.reason,
                data=event.data or {},
            )
            for event in detail.events
        ],
    )
