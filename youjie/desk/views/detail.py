"""诉求详情 and its actions. Every action is a POST to ``desk:action`` carrying the status the
page showed (``expected_status``); the view decides which forms a user sees with the desk's
permission functions, and every change goes through one desk service.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET, require_POST

from youjie.core.errors import ApplicationError, PermissionDenied, ValidationFailed
from youjie.core.links import links_for
from youjie.desk import selectors, services
from youjie.desk.choices import (
    ENDED_STATUSES,
    OPEN_STATUSES,
    ApprovalStatus,
    RequestStatus,
)
from youjie.desk.deadlines import end_of_workday
from youjie.desk.forms import (
    ActionForm,
    ClockChangeForm,
    ClockDecisionForm,
    EmptyActionForm,
    InterimReplyForm,
    MergeForm,
    OptionalReasonForm,
    ReasonForm,
    ReplyForm,
    RouteForm,
    SuperviseForm,
    fill_reply_template,
    local_input_value,
)
from youjie.desk.models import (
    Attachment,
    ClockChange,
    Feedback,
    Reply,
    ReturnVisit,
    ServiceRequest,
    Supervision,
)
from youjie.desk.permissions import (
    can_accept,
    can_act_on,
    can_approve_clock_change,
    can_supervise,
)
from youjie.desk.views.case_query import case_query_section
from youjie.desk.views.common import court_divisions, put_field_errors, staff_user
from youjie.orgs.choices import Role
from youjie.orgs.models import User
from youjie.workdays.calendar import SHANGHAI, add_workdays

STALE_MESSAGE = "该诉求已被他人处理，页面内容已过期，请刷新后重试"
SUPERVISION_DEFAULT_WORKDAYS = 3


@dataclass
class Facts:
    """What the action rules need beyond the request row itself."""

    pending_change: ClockChange | None
    has_checklist: bool


def _facts(
    service_request: ServiceRequest, clock_changes: list[ClockChange], may_act: bool
) -> Facts:
    pending = next((c for c in clock_changes if c.status == ApprovalStatus.PENDING), None)
    # The checklist decides "send_checklist" only (``allowed_actions``): it is asked when the
    # user may act on a request not yet ended that has a number to send it to.
    checklist_matters = (
        may_act
        and service_request.status not in ENDED_STATUSES
        and bool(service_request.requester_mobile_encrypted)
    )
    return Facts(
        pending_change=pending,
        has_checklist=checklist_matters and selectors.has_checklist(service_request),
    )


def allowed_actions(user: User, service_request: ServiceRequest, facts: Facts) -> dict[str, bool]:
    """Which action forms ``user`` may use now (the services check the same rules again)."""
    status = service_request.status
    act = can_act_on(user, service_request)
    accept = can_accept(user, service_request)
    routable = (RequestStatus.REGISTERED, RequestStatus.IN_PROGRESS)
    endable = (
        RequestStatus.REGISTERED,
        RequestStatus.AWAITING_ACCEPTANCE,
        RequestStatus.IN_PROGRESS,
    )
    return {
        "route": act and status in routable,
        "accept": accept,
        "decline": accept,
        "reply": act and status in routable,
        "interim_reply": act
        and status
        in (RequestStatus.AWAITING_ACCEPTANCE, RequestStatus.IN_PROGRESS, RequestStatus.PAUSED),
        "clock_change": act
        and status == RequestStatus.IN_PROGRESS
        and facts.pending_change is None,
        "clock_decide": facts.pending_change is not None
        and can_approve_clock_change(user, service_request),
        "resume": act and status == RequestStatus.PAUSED,
        "supervise": status in OPEN_STATUSES and can_supervise(user, service_request),
        "merge": act and status in endable,
        "withdraw": act and status in endable,
        "send_checklist": act
        and facts.has_checklist
        and bool(service_request.requester_mobile_encrypted)
        and status not in ENDED_STATUSES,
    }


# --- the forms of each action -----------------------------------------------------------------


def _route_form(user: User, service_request: ServiceRequest, data: Any = None) -> ActionForm:
    court = service_request.court
    users = (
        User.objects.filter(
            is_active=True,
            is_service_account=False,
            org_unit__path__startswith=court.path,
            user_roles__role__in=[Role.JUDGE, Role.CLERK, Role.DIVISION_HEAD],
        )
        .select_related("org_unit")
        .distinct()
        .order_by("org_unit__path", "display_name", "id")
    )
    return RouteForm(
        data, service_request=service_request, divisions=court_divisions(court), users=users
    )


def _reply_form(user: User, service_request: ServiceRequest, data: Any = None) -> ActionForm:
    templates = selectors.reply_templates_for(user=user, service_request=service_request)
    return ReplyForm(data, service_request=service_request, templates=templates)


def _supervise_form(user: User, service_request: ServiceRequest, data: Any = None) -> ActionForm:
    today = timezone.localtime(timezone.now(), SHANGHAI).date()
    default = end_of_workday(add_workdays(today, SUPERVISION_DEFAULT_WORKDAYS))
    return SuperviseForm(
        data, service_request=service_request, initial={"new_deadline": local_input_value(default)}
    )


def _simple(form_class: type[ActionForm]) -> Callable[..., ActionForm]:
    def build(user: User, service_request: ServiceRequest, data: Any = None) -> ActionForm:
        return form_class(data, service_request=service_request)

    return build


# --- what each action does ------------------------------------------------------------------

Performer = Callable[[User, ServiceRequest, dict[str, Any], Facts], str]


def _do_route(user: User, sr: ServiceRequest, data: dict[str, Any], facts: Facts) -> str:
    verb = "分派" if sr.status == RequestStatus.REGISTERED else "转办"
    services.service_request_route(
        actor=user,
        service_request=sr,
        division=data["division"],
        user=data["user"],
        reason=data["reason"],
        expected_status=data["expected_status"],
    )
    target = data["user"] or data["division"]
    return f"已{verb}至 {target}，等待签收"


def _do_accept(user: User, sr: ServiceRequest, data: dict[str, Any], facts: Facts) -> str:
    services.service_request_accept(
        actor=user, service_request=sr, expected_status=data["expected_status"]
    )
    return "已签收，请在期限内办理答复"


def _do_decline(user: User, sr: ServiceRequest, data: dict[str, Any], facts: Facts) -> str:
    services.service_request_decline(
        actor=user,
        service_request=sr,
        reason=data["reason"],
        expected_status=data["expected_status"],
    )
    return "已退回"


def _do_reply(user: User, sr: ServiceRequest, data: dict[str, Any], facts: Facts) -> str:
    services.service_request_reply(
        actor=user,
        service_request=sr,
        body=data["body"],
        expected_status=data["expected_status"],
        confirm_unverified=data.get("confirm_unverified") or False,
        unverified_reason=data.get("unverified_reason") or "",
    )
    return "已答复，答复内容和评价链接已通过短信发送给诉求人"


def _do_interim_reply(user: User, sr: ServiceRequest, data: dict[str, Any], facts: Facts) -> str:
    services.service_request_interim_reply(
        actor=user, service_request=sr, body=data["body"], expected_status=data["expected_status"]
    )
    return "已发送阶段性回复"


def _do_clock_change(user: User, sr: ServiceRequest, data: dict[str, Any], facts: Facts) -> str:
    services.clock_change_request(
        actor=user,
        service_request=sr,
        kind=data["kind"],
        reason=data["reason"],
        extra_workdays=data.get("extra_workdays") or 0,
        expected_status=data["expected_status"],
    )
    return f"已提交{ClockChange.Kind(data['kind']).label}申请，等待庭长或院领导审批"


def _do_clock_decide(user: User, sr: ServiceRequest, data: dict[str, Any], facts: Facts) -> str:
    change = facts.pending_change
    if change is None or change.pk != data["change"]:
        raise ValidationFailed("该申请已审批，页面内容已过期，请刷新后重试", code="stale")
    approve = data["decision"] == "approve"
    services.clock_change_decide(actor=user, change=change, approve=approve, note=data["note"])
    return f"已{'批准' if approve else '驳回'}{change.get_kind_display()}申请"


def _do_resume(user: User, sr: ServiceRequest, data: dict[str, Any], facts: Facts) -> str:
    services.service_request_resume(
        actor=user,
        service_request=sr,
        reason=data["reason"],
        expected_status=data["expected_status"],
    )
    return "已恢复计时，期限已按中止的工作日顺延"


def _do_supervise(user: User, sr: ServiceRequest, data: dict[str, Any], facts: Facts) -> str:
    services.service_request_supervise(
        actor=user,
        service_request=sr,
        reason=data["reason"],
        new_deadline=data["new_deadline"],
        expected_status=data["expected_status"],
    )
    deadline = timezone.localtime(data["new_deadline"], SHANGHAI)
    return f"已督办，督办期限 {deadline:%Y-%m-%d %H:%M}"


def _do_merge(user: User, sr: ServiceRequest, data: dict[str, Any], facts: Facts) -> str:
    target = selectors.search(user=user, query=data["into"]).first()
    if target is None:
        raise ValidationFailed(
            f"未找到诉求 {data['into']}，或您无权查看", fields={"into": ["编号不存在或无权查看"]}
        )
    services.service_request_merge(
        actor=user,
        service_request=sr,
        into=target,
        reason=data["reason"],
        expected_status=data["expected_status"],
    )
    return f"已并入诉求 {target.number}"


def _do_withdraw(user: User, sr: ServiceRequest, data: dict[str, Any], facts: Facts) -> str:
    services.service_request_withdraw(
        actor=user,
        service_request=sr,
        reason=data["reason"],
        expected_status=data["expected_status"],
    )
    return "已撤回"


def _do_send_checklist(user: User, sr: ServiceRequest, data: dict[str, Any], facts: Facts) -> str:
    checklist = services.checklist_send(actor=user, service_request=sr)
    return f"已发送一次告知清单（第{checklist.version}版）"


@dataclass(frozen=True)
class Action:
    label: str
    build: Callable[..., ActionForm]
    perform: Performer


ACTIONS: dict[str, Action] = {
    "route": Action("分派/转办", _route_form, _do_route),
    "accept": Action("签收", _simple(EmptyActionForm), _do_accept),
    "decline": Action("退回", _simple(ReasonForm), _do_decline),
    "reply": Action("答复", _reply_form, _do_reply),
    "interim_reply": Action("阶段性回复", _simple(InterimReplyForm), _do_interim_reply),
    "clock_change": Action("申请中止计时/延期", _simple(ClockChangeForm), _do_clock_change),
    "clock_decide": Action("审批", _simple(ClockDecisionForm), _do_clock_decide),
    "resume": Action("恢复计时", _simple(OptionalReasonForm), _do_resume),
    "supervise": Action("督办", _supervise_form, _do_supervise),
    "merge": Action("并案", _simple(MergeForm), _do_merge),
    "withdraw": Action("撤回", _simple(ReasonForm), _do_withdraw),
    "send_checklist": Action("发送一次告知", _simple(EmptyActionForm), _do_send_checklist),
}


# --- the page -------------------------------------------------------------------------------


def _related(
    service_request: ServiceRequest, present: dict[str, bool], version: int
) -> dict[str, Any]:
    """The page's sections; one statement first tells which have rows (most requests have no
    supervision, clock change, return visit or attachment), so empty ones cost nothing.

    The sections the template caches whole (``desk_detail_sections``, keyed by the request's
    newest event: every change of them writes one) are read lazily, on a miss only. The clock
    changes are read now: the actions depend on a pending one."""
    sr = service_request
    section = selectors.section

    def lazy(read: Callable[[], Any]) -> Any:
        return SimpleLazyObject(read)

    def feedback() -> Any:
        rows = section(Feedback, sr) if present["feedback"] else []
        return rows[0] if rows else None

    return {
        "replies": lazy(lambda: section(Reply, sr, "author") if present["replies"] else []),
        "feedback": lazy(feedback),
        "return_visits": lazy(
            lambda: section(ReturnVisit, sr, "visitor") if present["return_visits"] else []
        ),
        "supervisions": lazy(
            lambda: section(Supervision, sr, "supervisor") if present["supervisions"] else []
        ),
        "clock_changes": section(ClockChange, sr, "requested_by", "decided_by")
        if present["clock_changes"]
        else [],
        "events": lazy(lambda: selectors.service_request_timeline(sr)),
        "attachments": lazy(lambda: section(Attachment, sr) if present["attachments"] else []),
        "last_event_id": version,
    }


def _reply_options(service_request: ServiceRequest, form: ActionForm) -> list[dict[str, Any]]:
    templates: QuerySet[Any] = form.fields["template"].queryset  # type: ignore[attr-defined]
    return [
        {"template": template, "body": fill_reply_template(template, service_request)}
        for template in templates
    ]


def render_detail(
    request: HttpRequest,
    user: User,
    service_request: ServiceRequest,
    *,
    failed: tuple[str, ActionForm] | None = None,
    error: ApplicationError | None = None,
    status: int = 200,
    case_query_forms: dict[str, Any] | None = None,
) -> HttpResponse:
    version = selectors.service_request_last_event_id(service_request)
    present = selectors.detail_sections(service_request, version=version, checklist=False)
    related = _related(service_request, present, version)
    facts = _facts(service_request, related["clock_changes"], can_act_on(user, service_request))
    allowed = allowed_actions(user, service_request, facts)
    forms: dict[str, ActionForm] = {}
    for name, permitted in allowed.items():
        if failed is not None and failed[0] == name:
            forms[name] = failed[1]
        elif permitted:
            forms[name] = ACTIONS[name].build(user, service_request)
        if name in forms:
            # Ids of its own per form (the field names stay as posted): several forms on the
            # page had id_reason, and a label focused another form's box.
            forms[name].auto_id = f"id_{name}_%s"
    party_match = selectors.requester_party_match(service_request=service_request)
    # 案件查询: "身份未核验" and the party check until it passes, then the answer.
    case_query = case_query_section(request, user, service_request, **(case_query_forms or {}))
    context = {
        "active": "",
        "sr": service_request,
        "requester_party": party_match,
        "requester_unverified": service_request.related_case_id is not None
        and party_match is None
        and (case_query is None or case_query.verification is None),
        "case_query": case_query,
        "case_unverified": case_query is not None and case_query.verification is None,
        "overdue": selectors.is_overdue(service_request),
        "first_contact_accountable": service_request.status
        in (RequestStatus.REGISTERED, RequestStatus.AWAITING_ACCEPTANCE),
        "allowed": allowed,
        "forms": forms,
        "pending_change": facts.pending_change,
        "reply_options": _reply_options(service_request, forms["reply"])
        if "reply" in forms
        else [],
        "error": error,
        "failed_action": failed[0] if failed else "",
        "can_attach": can_act_on(user, service_request)
        and service_request.status not in ENDED_STATUSES,
        # Other apps' links on this request ("转为信访事项": youjie.core.links).
        "record_links": links_for(user, service_request),
        "can_reveal_mobile": bool(service_request.requester_mobile_encrypted)
        and selectors.may_reveal_mobile(user, service_request),
        # The people the cards name, read when the cards are drawn (their cache missed).
        "people": SimpleLazyObject(lambda: selectors.service_request_people(service_request)),
        "has_attachments": present["attachments"],
        **related,
    }
    return render(request, "desk/detail.html", context, status=status)


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    # Its people, line and requester are read by the cards, which are cached (detail.html).
    service_request = selectors.service_request_get(user=user, pk=pk, people=False)
    return render_detail(request, user, service_request)


@login_required
@require_POST
def action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404("未知的操作")
    user = staff_user(request)
    service_request = selectors.service_request_get(user=user, pk=pk)  # 404 outside scope
    form = spec.build(user, service_request, request.POST)
    if request.POST.get("expected_status") != service_request.status:
        error: ApplicationError = ValidationFailed(STALE_MESSAGE, code="stale")
        return render_detail(request, user, service_request, error=error, status=422)
    clock_changes = list(service_request.clock_changes.all())
    facts = _facts(service_request, clock_changes, can_act_on(user, service_request))
    if not allowed_actions(user, service_request, facts)[action]:
        error = PermissionDenied(f"您不能对该诉求执行“{spec.label}”操作")
        return render_detail(request, user, service_request, error=error, status=403)
    if not form.is_valid():
        error = ValidationFailed(f"{spec.label}：请检查填写内容")
        return render_detail(
            request, user, service_request, failed=(action, form), error=error, status=422
        )
    try:
        with transaction.atomic():
            message = spec.perform(user, service_request, form.cleaned_data, facts)
    except ApplicationError as exc:
        # Rolled back: nothing was written. A stale form is not shown again; others keep
        # what was typed, with the service's field errors beside the fields.
        put_field_errors(form, exc, with_message=False)
        fresh = selectors.service_request_get(user=user, pk=pk)
        failed = (action, form) if exc.code != "stale" else None
        return render_detail(request, user, fresh, failed=failed, error=exc, status=exc.status_code)
    messages.success(request, f"{service_request.number}：{message}")
    return redirect("desk:detail", pk=service_request.pk)


@login_required
@require_POST
def reveal_mobile(request: HttpRequest, pk: int) -> HttpResponse:
    """The requester's full number with a tel: link (audited; see the selector)."""
    user = staff_user(request)
    service_request = selectors.service_request_get(user=user, pk=pk)  # 404 outside scope
    mobile = selectors.service_request_reveal_mobile(user=user, service_request=service_request)
    context = {"sr": service_request, "mobile": mobile}
    template = "desk/reveal_mobile.html"
    if request.headers.get("HX-Request") == "true":
        template += "#revealed"
    return render(request, template, context)
