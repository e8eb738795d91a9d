"""Request and response schemas of /api/v1/desk, and the builders that fill the responses.

Every input field has a size limit. Output carries personal data masked only: the requester's
phone number appears as ``requester_mobile_masked``; the feedback token (the requester's
credential) and line numbers never appear.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, Literal

from django.utils import timezone
from ninja import Field, Schema
from ninja.schema import DjangoGetter
from pydantic import (
    ModelWrapValidatorHandler,
    ValidationInfo,
    model_validator,
)

from youjie.core.models import Event
from youjie.core.schemas import InputSchema
from youjie.desk import selectors
from youjie.desk.choices import (
    RUNNING_STATUSES,
    Channel,
    Priority,
    RequestStatus,
    ReturnVisitAction,
    ReturnVisitResult,
)
from youjie.desk.models import (
    CONTENT_MAX,
    TITLE_MAX,
    ChecklistVersion,
    ClockChange,
    Feedback,
    MatterType,
    Reply,
    ReturnVisit,
    ServiceRequest,
    Supervision,
)
from youjie.orgs.models import User

REASON_MAX = 1000
QUERY_MAX = selectors.QUERY_MAX
NUMBER_MAX = 20
ID_MAX = 2**63 - 1  # the largest id any supported database stores; beyond it SQLite overflows


# --- input -----------------------------------------------------------------------------------


class RequestCreateIn(InputSchema):
    channel: Channel = Field(
        Channel.API, description="渠道；接口令牌只能登记 api、wechat、portal 渠道"
    )
    matter_type: str = Field(
        ..., max_length=32, description="事项类型代码，见 GET /desk/matter-types"
    )
    title: str = Field(..., max_length=TITLE_MAX)
    content: str = Field(..., max_length=CONTENT_MAX)
    requester_name: str = Field(..., max_length=50)
    requester_mobile: str = Field(
        "", max_length=32, description="手机号码，可带+86；输出时只给脱敏号码"
    )
    requester_id: int | None = Field(
        None, ge=1, le=ID_MAX, description="已登记人员的编号（须在调用方范围内）"
    )
    line_number: str = Field("", max_length=20, description="来电线路号码")
    related_case_number: str = Field(
        "", max_length=40, description="关联案号，如（2026）内0206民初123号"
    )
    route: bool = Field(True, description="按案号、线路或事项类型自动分派")


class ActionIn(InputSchema):
    expected_status: RequestStatus | None = Field(
        None, description="提交时页面上的状态；与当前状态不符返回 422 stale"
    )


class RouteIn(ActionIn):
    division_code: str = Field("", max_length=32, description="承办庭室的机构代码")
    username: str = Field("", max_length=150, description="承办人的用户名")
    reason: str = Field("", max_length=REASON_MAX)


class DeclineIn(ActionIn):
    reason: str = Field(..., max_length=REASON_MAX)


class ReplyIn(ActionIn):
    body: str = Field(..., max_length=CONTENT_MAX)
    on_the_spot: bool = False
    confirm_unverified: bool = Field(
        False,
        description="诉求人未核实为关联案件当事人时，确认仍向其答复（需同时填写理由，记入处理记录）",
    )
    unverified_reason: str = Field(
        "", max_length=200, description="向未核实当事人身份的诉求人答复案件情况的理由"
    )


class InterimReplyIn(ActionIn):
    body: str = Field(..., max_length=CONTENT_MAX)


class ClockChangeIn(ActionIn):
    kind: Literal["pause", "extension"]
    reason: str = Field(..., max_length=REASON_MAX)
    extra_workdays: int = Field(0, ge=0, le=60, description="延期的工作日数（1至60，仅延期）")


class ClockChangeDecideIn(ActionIn):
    approve: bool
    note: str = Field("", max_length=500)


class ResumeIn(ActionIn):
    reason: str = Field("", max_length=REASON_MAX)


class SuperviseIn(ActionIn):
    reason: str = Field(..., max_length=REASON_MAX)
    new_deadline: datetime = Field(
        ..., description="带时区的 ISO 8601 时间，如 2026-12-01T17:30:00+08:00"
    )


class MergeIn(ActionIn):
    into_number: str = Field(..., max_length=NUMBER_MAX, description="并入的诉求编号")
    reason: str = Field(..., max_length=REASON_MAX)


class WithdrawIn(ActionIn):
    reason: str = Field(..., max_length=REASON_MAX)


class FeedbackIn(InputSchema):
    satisfaction: int = Field(..., ge=1, le=5, description="满意度 1（很不满意）至 5（很满意）")
    comment: str = Field("", max_length=1000)
    disputed: bool = Field(False, description="对答复有异议：诉求重新办理")


class ReturnVisitIn(InputSchema):
    result: ReturnVisitResult
    action: ReturnVisitAction = ReturnVisitAction.NONE
    note: str = Field("", max_length=2000)
    satisfaction: int | None = Field(None, ge=1, le=5)


class RequestFilters(InputSchema):
    status: RequestStatus | None = None
    matter_type: str = Field("", max_length=32, description="事项类型代码")
    channel: Channel | None = None
    priority: Priority | None = None
    overdue: bool = Field(False, description="只看超期（按期限和工作日历计算）")
    supervised: bool = Field(False, description="只看督办中")
    division_id: int | None = Field(None, ge=1, le=ID_MAX)
    q: str = Field(
        "", max_length=QUERY_MAX, description="中文全文检索（标题、内容、答复）或诉求编号"
    )
    page: int = Field(1, ge=1, le=10_000)
    page_size: int = Field(25, ge=1, le=100)


class SearchFilters(RequestFilters):
    q: str = Field(..., min_length=1, max_length=QUERY_MAX, description="检索词或诉求编号")


class PageQuery(InputSchema):
    page: int = Field(1, ge=1, le=10_000)
    page_size: int = Field(25, ge=1, le=100)


# --- output ----------------------------------------------------------------------------------


class OutSchema(Schema):
    """Base of the desk's output schemas. They are built from plain values (the dicts and
    keyword arguments below), never from model objects, so a dict goes to pydantic as it is:
    ninja's default wraps every input, dicts included, in a ``DjangoGetter`` that resolves each
    field in Python (a registration's answer took 0.3 ms to build that way). Anything else,
    such as a model object, still goes through the ``DjangoGetter``."""

    @model_validator(mode="wrap")
    @classmethod
    def _run_root_validator(
        cls, values: Any, handler: ModelWrapValidatorHandler[Any], info: ValidationInfo
    ) -> Any:
        if type(values) is dict or isinstance(values, cls):
            return handler(values)
        return handler(DjangoGetter(values, cls, info.context))


class RequestSummaryOut(OutSchema):
    id: int
    number: str
    channel: str
    channel_label: str
    matter_type: str
    matter_type_name: str
    category: str
    title: str
    requester_name: str
    requester_mobile_masked: str
    status: str
    status_label: str
    priority: str
    court: str
    division_id: int | None
    division: str | None
    assignee: str | None
    first_response_due: datetime
    completion_due: datetime
    is_overdue: bool
    is_supervised: bool
    repeat_count: int
    created_at: datetime


class RequestListOut(OutSchema):
    items: list[RequestSummaryOut]
    page: int
    size: int
    has_next: bool
    has_previous: bool


class DeadlinesOut(OutSchema):
    first_response_due: datetime
    completion_due: datetime
    first_responded_at: datetime | None
    replied_at: datetime | None
    closed_at: datetime | None
    paused_at: datetime | None
    first_response_overdue: bool
    completion_overdue: bool


class ReplyOut(OutSchema):
    id: int
    kind: str
    kind_label: str
    body: str
    author: str | None
    created_at: datetime


class EventOut(OutSchema):
    verb: str
    actor: str = Field(description="操作人名称（用户姓名，或“系统”“诉求人”、渠道名）")
    from_state: str
    to_state: str
    reason: str
    data: dict[str, Any]
    at: datetime


class ClockChangeOut(OutSchema):
    id: int
    kind: str
    kind_label: str
    reason: str
    extra_workdays: int
    status: str
    status_label: str
    requested_by: str
    decided_by: str | None
    decision_note: str
    created_at: datetime
    decided_at: datetime | None


class SupervisionOut(OutSchema):
    supervisor: str
    reason: str
    new_deadline: datetime
    previous_deadline: datetime
    created_at: datetime
    resolved_at: datetime | None


class FeedbackOut(OutSchema):
    satisfaction: int | None
    comment: str
    disputed: bool
    submitted_at: datetime | None


class ReturnVisitOut(OutSchema):
    id: int
    reason: str
    reason_label: str
    status: str
    result: str
    action: str
    satisfaction: int | None
    note: str
    visitor: str | None
    created_at: datetime
    done_at: datetime | None


class RequesterPartyOut(OutSchema):
    """Whether the requester is shown to be a party of the linked case, as the request page
    shows it (issue 12, item 3): matched by person record, ID number or phone; a name alone
    proves nothing. The party's role, name and the ground are given when verified."""

    verified: bool
    party_role: str | None = None
    party_role_label: str | None = None
    party_name: str | None = None
    basis: str | None = None


class RequestDetailOut(RequestSummaryOut):
    content: str
    requester_id: int | None
    # None when the request names no court case; replies that carry case details to an
    # unverified requester need the judge's explicit confirmation (``ReplyIn``).
    requester_party: RequesterPartyOut | None = None
    line_label: str | None
    related_case_number: str | None
    first_contact: str | None
    transfer_division: str | None
    transfer_user: str | None
    routing_rule: str
    calendar_warning: str
    deadlines: DeadlinesOut
    merged_into: str | None
    repeat_of: str | None
    reopened_count: int
    replies: list[ReplyOut]
    clock_changes: list[ClockChangeOut]
    supervisions: list[SupervisionOut]
    feedback: FeedbackOut | None
    return_visits: list[ReturnVisitOut]
    timeline: list[EventOut]


class ChecklistOut(OutSchema):
    version: int
    materials: str
    steps: str
    legal_basis: str
    fees: str
    time_limit_note: str
    published_at: datetime


class MatterTypeOut(OutSchema):
    code: str
    name: str
    category: str
    category_label: str
    is_public: bool
    first_response_limit: int
    first_response_unit: str
    completion_limit: int
    completion_unit: str
    priority_first_response_limit: int | None
    priority_completion_limit: int | None
    checklist: ChecklistOut | None


class ReturnVisitItemOut(ReturnVisitOut):
    request_id: int
    request_number: str
    request_title: str
    matter_type_name: str


class ReturnVisitListOut(OutSchema):
    items: list[ReturnVisitItemOut]
    page: int
    size: int
    has_next: bool
    has_previous: bool


class FeedbackResultOut(OutSchema):
    number: str
    status: str
    status_label: str
    message: str


# --- builders --------------------------------------------------------------------------------


def _name(user: User | None) -> str | None:
    return user.get_full_name() if user is not None else None


def request_summary(service_request: ServiceRequest, now: datetime | None = None) -> dict[str, Any]:
    """Fields of a list row; needs matter_type, court, division and assignee selected."""
    return {
        "id": service_request.pk,
        "number": service_request.number,
        "channel": service_request.channel,
        "channel_label": service_request.get_channel_display(),
        "matter_type": service_request.matter_type.code,
        "matter_type_name": service_request.matter_type.name,
        "category": service_request.category,
        "title": service_request.title,
        "requester_name": service_request.requester_name,
        "requester_mobile_masked": service_request.requester_mobile_masked,
        "status": service_request.status,
        "status_label": service_request.get_status_display(),
        "priority": service_request.priority,
        "court": service_request.court.name,
        "division_id": service_request.division_id,
        "division": service_request.division.name if service_request.division else None,
        "assignee": _name(service_request.assignee),
        "first_response_due": service_request.first_response_due,
        "completion_due": service_request.completion_due,
        "is_overdue": selectors.is_overdue(service_request, now),
        "is_supervised": service_request.is_supervised,
        "repeat_count": service_request.repeat_count,
        "created_at": service_request.created_at,
    }


def _deadlines(service_request: ServiceRequest, now: datetime) -> DeadlinesOut:
    running = service_request.status in RUNNING_STATUSES
    return DeadlinesOut(
        first_response_due=service_request.first_response_due,
        completion_due=service_request.completion_due,
        first_responded_at=service_request.first_responded_at,
        replied_at=service_request.replied_at,
        closed_at=service_request.closed_at,
        paused_at=service_request.paused_at,
        first_response_overdue=running
        and service_request.first_responded_at is None
        and service_request.first_response_due < now,
        completion_overdue=running and service_request.completion_due < now,
    )


def _reply(reply: Reply) -> ReplyOut:
    return ReplyOut(
        id=reply.pk,
        kind=reply.kind,
        kind_label=reply.get_kind_display(),
        body=reply.body,
        author=_name(reply.author),
        created_at=reply.created_at,
    )


def _event(event: Event) -> EventOut:
    return EventOut(
        verb=event.verb,
        actor=event.actor_label,
        from_state=event.from_state,
        to_state=event.to_state,
        reason=event.reason,
        data=event.data or {},
        at=event.created_at,
    )


def _clock_change(change: ClockChange) -> ClockChangeOut:
    return ClockChangeOut(
        id=change.pk,
        kind=change.kind,
        kind_label=change.get_kind_display(),
        reason=change.reason,
        extra_workdays=change.extra_workdays,
        status=change.status,
        status_label=change.get_status_display(),
        requested_by=change.requested_by.get_full_name(),
        decided_by=_name(change.decided_by),
        decision_note=change.decision_note,
        created_at=change.created_at,
        decided_at=change.decided_at,
    )


def _supervision(supervision: Supervision) -> SupervisionOut:
    return SupervisionOut(
        supervisor=supervision.supervisor.get_full_name(),
        reason=supervision.reason,
        new_deadline=supervision.new_deadline,
        previous_deadline=supervision.previous_deadline,
        created_at=supervision.created_at,
        resolved_at=supervision.resolved_at,
    )


def return_visit_fields(visit: ReturnVisit) -> dict[str, Any]:
    return {
        "id": visit.pk,
        "reason": visit.reason,
        "reason_label": visit.get_reason_display(),
        "status": visit.status,
        "result": visit.result,
        "action": visit.action,
        "satisfaction": visit.satisfaction,
        "note": visit.note,
        "visitor": _name(visit.visitor),
        "created_at": visit.created_at,
        "done_at": visit.done_at,
    }


def _requester_party(service_request: ServiceRequest) -> RequesterPartyOut | None:
    """Read only for a request that names a case (most do not: no query then)."""
    if service_request.related_case_id is None:
        return None
    match = selectors.requester_party_match(service_request=service_request)
    if match is None:
        return RequesterPartyOut(verified=False)
    return RequesterPartyOut(
        verified=True,
        party_role=match.party.role,
        party_role_label=match.party.get_role_display(),
        party_name=match.party.name,
        basis=match.basis,
    )


def request_detail(
    service_request: ServiceRequest, *, registration_events: Sequence[Event] | None = None
) -> RequestDetailOut:
    """The request page over the API: replies, deadlines, overlays and the whole timeline.

    ``registration_events``: the request was registered by this very call, which wrote these
    events. Intake writes no replies, clock changes, supervisions, return visits or feedback,
    and these events are its whole timeline, so none of the six is read.
    """
    now = timezone.now()
    replies: Iterable[Reply] = ()
    changes: Iterable[ClockChange] = ()
    supervisions: Iterable[Supervision] = ()
    visits: Iterable[ReturnVisit] = ()
    feedback: Feedback | None = None
    timeline: Iterable[Event] = registration_events or ()
    if registration_events is None:
        replies = Reply.objects.filter(service_request=service_request).select_related("author")
        changes = ClockChange.objects.filter(service_request=service_request).select_related(
            "requested_by", "decided_by"
        )
        supervisions = Supervision.objects.filter(service_request=service_request).select_related(
            "supervisor"
        )
        visits = ReturnVisit.objects.filter(service_request=service_request).select_related(
            "visitor"
        )
        feedback = getattr(service_request, "feedback", None)
        timeline = selectors.service_request_timeline(service_request)
    line = service_request.line
    return RequestDetailOut(
        **request_summary(service_request, now),
        content=service_request.content,
        requester_id=service_request.requester_id,
        requester_party=_requester_party(service_request),
        line_label=(line.label or line.get_kind_display()) if line is not None else None,
        related_case_number=(
            service_request.related_case.case_number if service_request.related_case else None
        ),
        first_contact=_name(service_request.first_contact),
        transfer_division=(
            service_request.transfer_division.name if service_request.transfer_division else None
        ),
        transfer_user=_name(service_request.transfer_user),
        routing_rule=service_request.routing_rule,
        calendar_warning=service_request.calendar_warning,
        deadlines=_deadlines(service_request, now),
        merged_into=service_request.merged_into.number if service_request.merged_into else None,
        repeat_of=service_request.repeat_of.number if service_request.repeat_of else None,
        reopened_count=service_request.reopened_count,
        replies=[_reply(reply) for reply in replies],
        clock_changes=[_clock_change(change) for change in changes],
        supervisions=[_supervision(supervision) for supervision in supervisions],
        feedback=(
            FeedbackOut(
                satisfaction=feedback.satisfaction,
                comment=feedback.comment,
                disputed=feedback.disputed,
                submitted_at=feedback.submitted_at,
            )
            if feedback is not None
            else None
        ),
        return_visits=[ReturnVisitOut(**return_visit_fields(visit)) for visit in visits],
        timeline=[_event(event) for event in timeline],
    )


def matter_type_out(matter_type: MatterType, checklist: ChecklistVersion | None) -> MatterTypeOut:
    return MatterTypeOut(
        code=matter_type.code,
        name=matter_type.name,
        category=matter_type.category,
        category_label=matter_type.get_category_display(),
        is_public=matter_type.is_public,
        first_response_limit=matter_type.first_response_limit,
        first_response_unit=matter_type.first_response_unit,
        completion_limit=matter_type.completion_limit,
        completion_unit=matter_type.completion_unit,
        priority_first_response_limit=matter_type.priority_first_response_limit,
        priority_completion_limit=matter_type.priority_completion_limit,
        checklist=(
            ChecklistOut(
                version=checklist.version,
                materials=checklist.materials,
                steps=checklist.steps,
                legal_basis=checklist.legal_basis,
                fees=checklist.fees,
                time_limit_note=checklist.time_limit_note,
                published_at=checklist.published_at,
            )
            if checklist is not None
            else None
        ),
    )
