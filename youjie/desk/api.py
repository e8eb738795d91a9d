"""/api/v1/desk: 诉事速办 over HTTP — intake, queues, search, the request with its timeline, and
every action the pages offer.

Thin adapters: parse, fetch through the scoped selectors (404 outside the caller's scope, never
403), call one desk service, answer with the updated request. Errors follow the API's one format
{code, message, fields, extra}: 422 ``validation_failed`` / ``stale``, 403 ``permission_denied``,
404 ``not_found``, 409 ``invalid_transition`` / ``conflict`` / ``idempotency_key_reused``.
"""

from __future__ import annotations

from datetime import datetime
from typing import cast

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import File, Header, Query, Router, Schema, Status
from ninja.files import UploadedFile

from youjie.core.errors import (
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from youjie.core.idempotency import body_fingerprint, check_key
from youjie.core.pagination import paginate
from youjie.desk import selectors, services
from youjie.desk.choices import Channel, RequestStatus
from youjie.desk.models import (
    ChecklistVersion,
    ClockChange,
    MatterType,
    ReturnVisit,
    ServiceRequest,
)
from youjie.desk.permissions import can_act_on, is_desk_staff
from youjie.desk.schemas import (
    NUMBER_MAX,
    ActionIn,
    ClockChangeDecideIn,
    ClockChangeIn,
    DeclineIn,
    FeedbackIn,
    FeedbackResultOut,
    InterimReplyIn,
    MatterTypeOut,
    MergeIn,
    PageQuery,
    ReplyIn,
    RequestCreateIn,
    RequestDetailOut,
    RequestFilters,
    RequestListOut,
    RequestSummaryOut,
    ResumeIn,
    ReturnVisitIn,
    ReturnVisitItemOut,
    ReturnVisitListOut,
    RouteIn,
    SearchFilters,
    SuperviseIn,
    WithdrawIn,
    matter_type_out,
    request_detail,
    request_summary,
    return_visit_fields,
)
from youjie.desk.transitions import REQUEST_TRANSITIONS
from youjie.orgs.backends import signed_in_user
from youjie.orgs.choices import OrgKind, Role
from youjie.orgs.models import OrgUnit, User
from youjie.orgs.scoping import access, scope_queryset
from youjie.people.selectors import access_person

router = Router(tags=["诉事速办"])

# An integration speaks for the citizen on its own channel; it cannot claim a walk-in or a call.
INTEGRATION_CHANNELS = frozenset({Channel.API, Channel.WECHAT, Channel.PORTAL})
DETAIL_RELATED = (
    "matter_type",
    "division",
    "assignee",
    "court",
    "requester",
    "related_case",
    "first_contact",
    "transfer_division",
    "transfer_user",
    "line",
    "merged_into",
    "repeat_of",
    "feedback",
)


def _user(request: HttpRequest) -> User:
    return signed_in_user(request)


def _fetch(user: User, request_id: int, expected_status: str | None = None) -> ServiceRequest:
    """The request if the user may see it (else 404), refusing a stale form (422 ``stale``)."""
    service_request = selectors.service_request_get(user=user, pk=request_id)
    if expected_status is not None and service_request.status != expected_status:
        raise ValidationFailed(
            "该诉求已被他人处理，页面内容已过期，请刷新后重试",
            code="stale",
            extra={"status": service_request.status},
        )
    return service_request


def _by_number(user: User, number: str) -> ServiceRequest:
    number = number.strip().upper()
    if not number or len(number) > NUMBER_MAX or "\x00" in number:
        raise NotFound()
    found = access(ServiceRequest.objects.only("pk"), user, number=number)
    return selectors.service_request_get(user=user, pk=found.pk)


def _require_acceptance(user: User, service_request: ServiceRequest, target: str) -> None:
    """Accept and decline apply to a request awaiting acceptance only: the service reports any
    other state as a permission failure; the API says 409 to staff (403 to everyone else)."""
    if not is_desk_staff(user):
        raise PermissionDenied("只有被分派的庭室或承办人可以签收或退回")
    if service_request.status != RequestStatus.AWAITING_ACCEPTANCE:
        labels = REQUEST_TRANSITIONS.labels
        raise InvalidTransition(
            f"诉求当前状态“{labels.get(service_request.status, service_request.status)}”"
            f"不能变更为“{labels.get(target, target)}”",
            extra={"from": service_request.status, "to": target},
        )


def _detail(service_request: ServiceRequest) -> RequestDetailOut:
    """The updated request, re-read after the action (the caller was allowed to see it)."""
    service_request.refresh_from_db(
        from_queryset=ServiceRequest.objects.select_related(*DETAIL_RELATED)
    )
    return request_detail(service_request)


def _list(user: User, filters: RequestFilters) -> RequestListOut:
    now = timezone.now()
    rows = selectors.search(
        user=user,
        query=filters.q,
        status=filters.status or "",
        matter_type=filters.matter_type,
        channel=filters.channel or "",
        division_id=filters.division_id,
    )
    if filters.priority:
        rows = rows.filter(priority=filters.priority)
    if filters.overdue:
        rows = rows.filter(selectors.overdue_q(now))
    if filters.supervised:
        rows = rows.filter(is_supervised=True)
    page = paginate(rows, page=filters.page, size=filters.page_size)
    return RequestListOut(
        items=[RequestSummaryOut(**request_summary(row, now)) for row in page.items],
        page=page.number,
        size=page.size,
        has_next=page.has_next,
        has_previous=page.has_previous,
    )


# --- intake, lists, reads --------------------------------------------------------------------


@router.post(
    "/requests",
    response={200: RequestDetailOut, 201: RequestDetailOut},
    summary="登记诉求（支持 Idempotency-Key）",
    description=(
        "201：新登记。带 Idempotency-Key 重试且请求体相同：200，响应头 Idempotent-Replayed: true，"
        "不重复登记；同一键不同请求体：409 idempotency_key_reused。幂等键保留 30 天"
        "（YOUJIE_IDEMPOTENCY_KEY_DAYS）。"
    ),
    url_name="desk_request_create",
)
def request_create(
    request: HttpRequest,
    payload: RequestCreateIn,
    response: HttpResponse,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),  # type: ignore[type-arg]
) -> Status[RequestDetailOut]:
    user = _user(request)
    if not (is_desk_staff(user) or user.has_role(Role.INTEGRATION)):
        raise PermissionDenied("只有诉讼服务人员或接入系统可以登记诉求")
    key = check_key(idempotency_key) if idempotency_key is not None else ""
    if user.is_service_account and payload.channel not in INTEGRATION_CHANNELS:
        raise ValidationFailed(
            "接口令牌只能登记网上、微信或系统接口渠道的诉求",
            fields={"channel": ["应为 api、wechat 或 portal"]},
        )
    if payload.requester_id is not None:
        try:
            access_person(user=user, person_id=payload.requester_id)
        except NotFound as exc:
            raise ValidationFailed(
                "诉求登记信息有误", fields={"requester_id": ["人员档案不存在"]}
            ) from exc
    data = services.IntakeData(
        channel=payload.channel,
        matter_type_code=payload.matter_type,
        title=payload.title,
        content=payload.content,
        requester_name=payload.requester_name,
        requester_mobile=payload.requester_mobile,
        requester_id=payload.requester_id,
        line_number=payload.line_number,
        related_case_number=payload.related_case_number,
        route=payload.route,
    )
    registration = services.service_request_register(
        actor=user,
        data=data,
        idempotency_key=key,
        idempotency_scope=f"desk.create:{user.pk}",
        body_hash=body_fingerprint(payload.model_dump(mode="json")) if key else "",
    )
    if not registration.created:
        response["Idempotent-Replayed"] = "true"
        return Status(200, _detail(registration.service_request))
    # Answered from the objects intake built: every relation the new request has was assigned
    # as an object, and its timeline is the events intake wrote. Re-reading it with thirteen
    # joins and seven queries would return the same values (a test compares with a GET).
    return Status(
        201,
        request_detail(registration.service_request, registration_events=registration.events),
    )


@router.get("/requests", response=RequestListOut, summary="诉求列表（按权限范围，脱敏）")
def request_list(request: HttpRequest, filters: Query[RequestFilters]) -> RequestListOut:
    return _list(_user(request), filters)


@router.get("/search", response=RequestListOut, summary="中文全文检索（标题、内容、答复）")
def request_search(request: HttpRequest, filters: Query[SearchFilters]) -> RequestListOut:
    return _list(_user(request), filters)


@router.get(
    "/requests/{int:request_id}",
    response=RequestDetailOut,
    summary="诉求详情（含答复、期限、时间线）",
)
def request_get(request: HttpRequest, request_id: int) -> RequestDetailOut:
    return request_detail(_fetch(_user(request), request_id))


@router.get("/requests/by-number/{number}", response=RequestDetailOut, summary="按编号查看诉求详情")
def request_get_by_number(request: HttpRequest, number: str) -> RequestDetailOut:
    return request_detail(_by_number(_user(request), number))


# --- actions ---------------------------------------------------------------------------------


@router.post("/requests/{int:request_id}/route", response=RequestDetailOut, summary="分派 / 转办")
def request_route(request: HttpRequest, request_id: int, payload: RouteIn) -> RequestDetailOut:
    user = _user(request)
    service_request = _fetch(user, request_id, payload.expected_status)
    court_path = service_request.court.path
    division = None
    if payload.division_code:
        division = OrgUnit.objects.filter(
            code=payload.division_code.strip(),
            kind=OrgKind.DIVISION,
            is_active=True,
            path__startswith=court_path,
        ).first()
        if division is None:
            raise ValidationFailed("承办庭室不存在", fields={"division_code": ["本院没有该庭室"]})
    assignee = None
    if payload.username:
        assignee = (
            User.objects.select_related("org_unit")
            .filter(
                username=payload.username.strip(),
                is_active=True,
                is_service_account=False,
                org_unit__path__startswith=court_path,
            )
            .first()
        )
        if assignee is None or not is_desk_staff(assignee):
            raise ValidationFailed("承办人不存在", fields={"username": ["本院没有该承办人"]})
    services.service_request_route(
        actor=user,
        service_request=service_request,
        division=division,
        user=assignee,
        reason=payload.reason,
        expected_status=payload.expected_status,
    )
    return _detail(service_request)


@router.post("/requests/{int:request_id}/accept", response=RequestDetailOut, summary="签收")
def request_accept(request: HttpRequest, request_id: int, payload: ActionIn) -> RequestDetailOut:
    user = _user(request)
    service_request = _fetch(user, request_id, payload.expected_status)
    _require_acceptance(user, service_request, RequestStatus.IN_PROGRESS)
    services.service_request_accept(
        actor=user, service_request=service_request, expected_status=payload.expected_status
    )
    return _detail(service_request)


@router.post("/requests/{int:request_id}/decline", response=RequestDetailOut, summary="退回")
def request_decline(request: HttpRequest, request_id: int, payload: DeclineIn) -> RequestDetailOut:
    user = _user(request)
    service_request = _fetch(user, request_id, payload.expected_status)
    _require_acceptance(user, service_request, RequestStatus.REGISTERED)
    services.service_request_decline(
        actor=user,
        service_request=service_request,
        reason=payload.reason,
        expected_status=payload.expected_status,
    )
    return _detail(service_request)


@router.post("/requests/{int:request_id}/reply", response=RequestDetailOut, summary="答复")
def request_reply(request: HttpRequest, request_id: int, payload: ReplyIn) -> RequestDetailOut:
    user = _user(request)
    service_request = _fetch(user, request_id, payload.expected_status)
    services.service_request_reply(
        actor=user,
        service_request=service_request,
        body=payload.body,
        on_the_spot=payload.on_the_spot,
        expected_status=payload.expected_status,
        confirm_unverified=payload.confirm_unverified,
        unverified_reason=payload.unverified_reason,
    )
    return _detail(service_request)


@router.post(
    "/requests/{int:request_id}/interim-reply", response=RequestDetailOut, summary="阶段性回复"
)
def request_interim_reply(
    request: HttpRequest, request_id: int, payload: InterimReplyIn
) -> RequestDetailOut:
    user = _user(request)
    service_request = _fetch(user, request_id, payload.expected_status)
    services.service_request_interim_reply(
        actor=user,
        service_request=service_request,
        body=payload.body,
        expected_status=payload.expected_status,
    )
    return _detail(service_request)


@router.post(
    "/requests/{int:request_id}/clock-changes",
    response=RequestDetailOut,
    summary="申请中止计时或延期（待审批）",
)
def request_clock_change(
    request: HttpRequest, request_id: int, payload: ClockChangeIn
) -> RequestDetailOut:
    user = _user(request)
    service_request = _fetch(user, request_id, payload.expected_status)
    services.clock_change_request(
        actor=user,
        service_request=service_request,
        kind=payload.kind,
        reason=payload.reason,
        extra_workdays=payload.extra_workdays,
        expected_status=payload.expected_status,
    )
    return _detail(service_request)


@router.post(
    "/requests/{int:request_id}/clock-changes/{int:change_id}/decide",
    response=RequestDetailOut,
    summary="审批中止计时或延期",
)
def request_clock_change_decide(
    request: HttpRequest, request_id: int, change_id: int, payload: ClockChangeDecideIn
) -> RequestDetailOut:
    user = _user(request)
    service_request = _fetch(user, request_id, payload.expected_status)
    change = ClockChange.objects.filter(service_request=service_request, pk=change_id).first()
    if change is None:
        raise NotFound()
    services.clock_change_decide(
        actor=user, change=change, approve=payload.approve, note=payload.note
    )
    return _detail(service_request)


@router.post("/requests/{int:request_id}/resume", response=RequestDetailOut, summary="恢复计时")
def request_resume(request: HttpRequest, request_id: int, payload: ResumeIn) -> RequestDetailOut:
    user = _user(request)
    service_request = _fetch(user, request_id, payload.expected_status)
    services.service_request_resume(
        actor=user,
        service_request=service_request,
        reason=payload.reason,
        expected_status=payload.expected_status,
    )
    return _detail(service_request)


@router.post("/requests/{int:request_id}/supervise", response=RequestDetailOut, summary="督办")
def request_supervise(
    request: HttpRequest, request_id: int, payload: SuperviseIn
) -> RequestDetailOut:
    user = _user(request)
    service_request = _fetch(user, request_id, payload.expected_status)
    services.service_request_supervise(
        actor=user,
        service_request=service_request,
        reason=payload.reason,
        new_deadline=payload.new_deadline,
        expected_status=payload.expected_status,
    )
    return _detail(service_request)


@router.post("/requests/{int:request_id}/merge", response=RequestDetailOut, summary="并案")
def request_merge(request: HttpRequest, request_id: int, payload: MergeIn) -> RequestDetailOut:
    user = _user(request)
    service_request = _fetch(user, request_id, payload.expected_status)
    try:
        into = _by_number(user, payload.into_number)
    except NotFound as exc:
        raise ValidationFailed(
            "并入的诉求不存在", fields={"into_number": ["未找到该编号的诉求"]}
        ) from exc
    services.service_request_merge(
        actor=user,
        service_request=service_request,
        into=into,
        reason=payload.reason,
        expected_status=payload.expected_status,
    )
    return _detail(service_request)


@router.post("/requests/{int:request_id}/withdraw", response=RequestDetailOut, summary="撤回")
def request_withdraw(
    request: HttpRequest, request_id: int, payload: WithdrawIn
) -> RequestDetailOut:
    user = _user(request)
    service_request = _fetch(user, request_id, payload.expected_status)
    services.service_request_withdraw(
        actor=user,
        service_request=service_request,
        reason=payload.reason,
        expected_status=payload.expected_status,
    )
    return _detail(service_request)


@router.post(
    "/requests/{int:request_id}/send-checklist",
    response=RequestDetailOut,
    summary="短信发送一次告知清单",
)
def request_send_checklist(
    request: HttpRequest, request_id: int, payload: ActionIn
) -> RequestDetailOut:
    user = _user(request)
    service_request = _fetch(user, request_id, payload.expected_status)
    # The service sends an SMS for whoever calls it; only the request's owner of the moment may.
    if not can_act_on(user, service_request):
        raise PermissionDenied()
    services.checklist_send(actor=user, service_request=service_request)
    return _detail(service_request)


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    sha256: str
    created_at: datetime


@router.post(
    "/requests/{int:request_id}/attachments",
    response={201: AttachmentOut},
    summary="上传附件（PDF、JPG、PNG）",
)
def request_attachment_add(
    request: HttpRequest, request_id: int, attachment: File[UploadedFile]
) -> Status[AttachmentOut]:
    user = _user(request)
    service_request = _fetch(user, request_id, None)
    stored = services.attachment_add(
        actor=user, service_request=service_request, uploaded=attachment
    )
    return Status(
        201,
        AttachmentOut(
            id=stored.pk,
            name=stored.original_name,
            content_type=stored.content_type,
            size=stored.size,
            sha256=stored.sha256,
            created_at=stored.created_at,
        ),
    )


# --- feedback, return visits, matter types ---------------------------------------------------


@router.post(
    "/feedback/{token}",
    auth=None,
    response=FeedbackResultOut,
    summary="诉求人评价（无需登录，凭短信链接中的令牌）",
)
def feedback_submit(request: HttpRequest, token: str, payload: FeedbackIn) -> FeedbackResultOut:
    if len(token) > 64 or "\x00" in token:
        raise NotFound("评价链接无效或已过期")
    feedback = services.feedback_submit(
        token=token,
        satisfaction=payload.satisfaction,
        comment=payload.comment,
        disputed=payload.disputed,
    )
    service_request = feedback.service_request
    return FeedbackResultOut(
        number=service_request.number,
        status=service_request.status,
        status_label=service_request.get_status_display(),
        message="已收到您的异议，我们将继续办理" if payload.disputed else "感谢您的评价",
    )


@router.get("/return-visits", response=ReturnVisitListOut, summary="待回访队列（按权限范围）")
def return_visit_list(request: HttpRequest, filters: Query[PageQuery]) -> ReturnVisitListOut:
    visits = selectors.return_visit_queue(user=_user(request))
    page = paginate(visits, page=filters.page, size=filters.page_size)
    return ReturnVisitListOut(
        items=[
            ReturnVisitItemOut(
                **return_visit_fields(visit),
                request_id=visit.service_request_id,
                request_number=visit.service_request.number,
                request_title=visit.service_request.title,
                matter_type_name=visit.service_request.matter_type.name,
            )
            for visit in cast(list[ReturnVisit], page.items)
        ],
        page=page.number,
        size=page.size,
        has_next=page.has_next,
        has_previous=page.has_previous,
    )


@router.post("/return-visits/{int:visit_id}", response=RequestDetailOut, summary="记录回访结果")
def return_visit_record(
    request: HttpRequest, visit_id: int, payload: ReturnVisitIn
) -> RequestDetailOut:
    user = _user(request)
    visible = scope_queryset(ServiceRequest.objects.all(), user).values("pk")
    visit = ReturnVisit.objects.filter(pk=visit_id, service_request__in=visible).first()
    if visit is None:
        raise NotFound()
    service_request = selectors.service_request_get(user=user, pk=visit.service_request_id)
    services.return_visit_record(
        actor=user,
        visit=visit,
        result=payload.result,
        action=payload.action,
        note=payload.note,
        satisfaction=payload.satisfaction,
    )
    return _detail(service_request)


@router.get(
    "/matter-types",
    auth=None,
    response=list[MatterTypeOut],
    summary="事项类型、办理时限和一次告知清单（公开）",
)
def matter_type_list(request: HttpRequest) -> list[MatterTypeOut]:
    matter_types = MatterType.objects.filter(is_active=True).prefetch_related(
        Prefetch("checklists", queryset=ChecklistVersion.objects.order_by("-version"))
    )
    result = []
    for matter_type in matter_types:
        versions = list(matter_type.checklists.all())
        result.append(matter_type_out(matter_type, versions[0] if versions else None))
    return result
