"""Matter pages: the list (with its .xlsx export), registration (and escalation of a desk
request), the matter page and its actions.

Every action is a POST to ``petitions:action`` carrying the status the page showed
(``expected_status``); the page decides which forms a user sees with the permission rules, and
each action calls one service, which checks the same rules again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from youjie.core.errors import ApplicationError, NotFound, PermissionDenied, ValidationFailed
from youjie.core.idempotency import body_fingerprint
from youjie.core.pagination import paginate
from youjie.courtcases.models import CourtCase
from youjie.courtcases.selectors import court_case_get
from youjie.desk import selectors as desk_selectors
from youjie.desk.models import ServiceRequest
from youjie.exports.views import export_response
from youjie.orgs.models import User
from youjie.people.selectors import access_person
from youjie.petitions import selectors, services
from youjie.petitions.choices import OPEN_MATTER_STATUSES, RESOLVED_MATTER_STATUSES, MatterStatus
from youjie.petitions.forms import (
    ActionForm,
    AssignForm,
    EscalationForm,
    EvidenceForm,
    ExtendForm,
    FollowUpConfirmForm,
    FollowUpReopenForm,
    MatterCreateForm,
    MatterEditForm,
    MatterFilterForm,
    ResolveForm,
    ReturnVisitForm,
    TerminateForm,
)
from youjie.petitions.models import CampaignMatter, PetitionMatter
from youjie.petitions.permissions import (
    can_escalate_request,
    can_manage_matter,
    can_work_on_matter,
    may_register_matters,
)
from youjie.petitions.views import records
from youjie.petitions.views.common import (
    PAGE_SIZE,
    base_context,
    petitions_user,
    put_field_errors,
    signed_in,
)

STALE_MESSAGE = "该事项已被他人处理，页面内容已过期，请刷新后重试"
RESUBMITTED_MESSAGE = "该表单已提交过，内容不同，请刷新页面后重新填写"


# --- the list and its export ------------------------------------------------------------------


@login_required
@require_GET
def matter_list(request: HttpRequest) -> HttpResponse:
    user = petitions_user(request)
    form = MatterFilterForm(request.GET or None, user=user)
    page = None
    rows: list[selectors.MatterRow] = []
    total = 0
    if not form.is_bound or form.is_valid():
        filters = form.filters() if form.is_bound else {}
        matters = selectors.matter_list(user=user, **filters)
        total = matters.count()
        page = paginate(matters, page=request.GET.get("page"), size=PAGE_SIZE)
        rows = selectors.matter_rows(page.items)
    context = base_context(
        request,
        "list",
        form=form,
        page=page,
        rows=rows,
        total=total,
        export_query=request.GET.urlencode(),
        may_register=may_register_matters(user),
    )
    return render(request, "petitions/list.html", context, status=200 if page else 422)


@login_required
@require_GET
def matter_export(request: HttpRequest) -> HttpResponse:
    """The list as .xlsx: the address this export always had, now one of the registered lists
    (youjie/petitions/exports.py, "petitions.matters"): the list's filters and scope, personal
    data masked, each export audited, a large one in the background (youjie.exports)."""
    return export_response(request, "petitions.matters")


# --- registering a matter ---------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def matter_create(request: HttpRequest) -> HttpResponse:
    if "from_request" in request.GET:
        return _escalate(request)
    user = petitions_user(request)
    if not may_register_matters(user):
        raise PermissionDenied("只有专项办干部可以登记信访事项")
    if request.method != "POST":
        form = MatterCreateForm(user=user)
        return render(request, "petitions/new.html", base_context(request, "new", form=form))
    form = MatterCreateForm(request.POST, user=user)
    if form.is_valid():
        try:
            matter, created = _register(user, form)
        except ApplicationError as exc:
            put_field_errors(form, exc)
            context = base_context(request, "new", form=form, error=exc)
            return render(request, "petitions/new.html", context, status=exc.status_code)
        if created:
            messages.success(request, f"已登记信访事项 {matter.number}")
        else:
            messages.info(request, f"该表单已提交过，事项 {matter.number} 已登记")
        return redirect("petitions:detail", pk=matter.pk)
    error = ValidationFailed("登记信息有误，请检查标注的项目")
    context = base_context(request, "new", form=form, error=error)
    return render(request, "petitions/new.html", context, status=422)


def _register(user: User, form: MatterCreateForm) -> tuple[PetitionMatter, bool]:
    data = form.cleaned_data
    petitioners = []
    if data.get("person"):
        try:
            petitioners.append(access_person(user=user, person_id=data["person"]))
        except NotFound as exc:
            raise ValidationFailed(
                "信访人档案不存在或无权查看", fields={"person": ["档案不存在或无权查看"]}
            ) from exc
    new = []
    if (data.get("petitioner_name") or "").strip():
        new.append(
            services.NewPetitioner(
                name=data["petitioner_name"],
                id_number=data.get("petitioner_id_number") or "",
                mobile=data.get("petitioner_mobile") or "",
            )
        )
    idempotency = services.Idempotency(
        key=data["submission_key"],
        scope=f"petitions.page.matter:{user.pk}",
        body_hash=body_fingerprint(form.fingerprint_body()),
    )
    try:
        return services.matter_register(
            actor=user,
            title=data["title"],
            region=data["region"],
            category=data["category"],
            origin=data["origin"],
            core_demand=data["core_demand"],
            received_on=data["received_on"],
            accepted_on=data.get("accepted_on"),
            root_cause=data.get("root_cause") or "",
            prior_handling=data.get("prior_handling") or "",
            labels=list(data.get("labels") or []),
            statutory_clocks=bool(data.get("statutory_clocks")),
            petitioners=petitioners,
            new_petitioners=new,
            idempotency=idempotency,
        )
    except ApplicationError as exc:
        if exc.code == "idempotency_key_reused":
            raise ValidationFailed(RESUBMITTED_MESSAGE, code="resubmitted") from exc
        if exc.code == "duplicate_person":
            raise ValidationFailed(
                f"{exc.message}。请在“已建档信访人”处填写其档案编号",
                fields={"petitioner_name": ["该信访人已建档"]},
            ) from exc
        raise


def _escalate(request: HttpRequest) -> HttpResponse:
    """``/petitions/new/?from_request=<id>``: a desk request the user may see and act on,
    pre-filled, becomes a matter through the escalation service."""
    user = signed_in(request)
    raw = request.GET.get("from_request", "")
    if not raw.isascii() or not raw.isdigit() or len(raw) > 18:
        raise NotFound("诉求不存在或无权查看")
    service_request = desk_selectors.service_request_get(user=user, pk=int(raw))
    if not can_escalate_request(user, service_request):
        raise PermissionDenied("只有该诉求的承办人员或其负责人可以将其转为信访事项")
    existing = service_request.petition_matters.order_by("id").first()
    context: dict[str, Any] = {"active": "new", "service_request": service_request}
    if request.method != "POST":
        initial = {"title": service_request.title, "core_demand": service_request.content[:4000]}
        form = EscalationForm(initial=initial)
        return render(
            request, "petitions/escalate.html", {**context, "form": form, "existing": existing}
        )
    form = EscalationForm(request.POST)
    if not form.is_valid():
        error = ValidationFailed("转为信访事项的信息有误，请检查标注的项目")
        context.update(form=form, error=error, existing=existing)
        return render(request, "petitions/escalate.html", context, status=422)
    try:
        matter = services.matter_escalate_from_request(
            actor=user,
            service_request=service_request,
            category=form.cleaned_data["category"],
            region=form.cleaned_data.get("region"),
            title=form.cleaned_data["title"],
            core_demand=form.cleaned_data["core_demand"],
        )
    except ApplicationError as exc:
        put_field_errors(form, exc)
        context.update(form=form, error=exc, existing=existing)
        return render(request, "petitions/escalate.html", context, status=exc.status_code)
    messages.success(request, f"诉求 {service_request.number} 已转为信访事项 {matter.number}")
    return redirect("petitions:detail", pk=matter.pk)


# --- the matter page and its actions ----------------------------------------------------------


@dataclass(frozen=True)
class Facts:
    """What the action rules need beyond the matter row: its pending follow-ups."""

    pending: list[CampaignMatter]
    today: date

    @property
    def due(self) -> list[CampaignMatter]:
        return [
            row
            for row in self.pending
            if row.follow_up_due_on is not None and row.follow_up_due_on <= self.today
        ]


def _facts(matter: PetitionMatter) -> Facts:
    pending = list(matter.campaign_matters.filter(status="pending").select_related("campaign"))
    return Facts(pending=pending, today=selectors.clock_today())


def allowed_actions(user: User, matter: PetitionMatter, facts: Facts) -> dict[str, bool]:
    """Which action forms ``user`` sees now (the services check the same rules again)."""
    status = matter.status
    manage = can_manage_matter(user, matter)
    work = manage or can_work_on_matter(user, matter)
    live = status != MatterStatus.TERMINATED
    resolved = status in RESOLVED_MATTER_STATUSES
    return {
        "edit": work and live,
        "assign": manage and live,
        "extend": work
        and status in OPEN_MATTER_STATUSES
        and matter.statutory_clocks
        and matter.accepted_on is not None
        and not matter.extension_days,
        "evidence": work and live,
        "resolve": work and status == MatterStatus.IN_PROGRESS,
        "return_visit": work and status == MatterStatus.RESOLVED,
        "terminate": manage and live,
        "followup_confirm": manage and resolved and bool(facts.due),
        "followup_reopen": manage and resolved and bool(facts.pending),
    }


def _do_edit(user: User, matter: PetitionMatter, data: dict[str, Any]) -> str:
    changes: services.MatterChanges = {
        "title": data["title"],
        "category": data["category"],
        "core_demand": data["core_demand"],
        "root_cause": data.get("root_cause") or "",
        "prior_handling": data.get("prior_handling") or "",
        "accepted_on": data.get("accepted_on"),
        "notified_on": data.get("notified_on"),
    }
    labels = list(data.get("labels") or [])
    if {label.pk for label in labels} != set(matter.labels.values_list("pk", flat=True)):
        changes["labels"] = labels
    numbers: list[str] = data["case_numbers"]
    if set(numbers) != set(matter.court_cases.values_list("case_number", flat=True)):
        # Linked cases are changed only when the list was edited: an office officer may keep
        # a case linked by the court without seeing it.
        changes["court_cases"] = [_court_case(user, number) for number in numbers]
    services.matter_update(actor=user, matter=matter, **changes)
    return "事项信息已修改"


def _court_case(user: User, number: str) -> CourtCase:
    try:
        return court_case_get(user=user, case_number=number)
    except NotFound as exc:
        message = f"案号 {number} 不存在或无权查看"
        raise ValidationFailed(message, fields={"court_case_numbers": [message]}) from exc
    except ValidationFailed as exc:
        message = f"案号 {number} 格式不正确"
        raise ValidationFailed(message, fields={"court_case_numbers": [message]}) from exc


def _do_assign(user: User, matter: PetitionMatter, data: dict[str, Any]) -> str:
    head, members = data.get("task_force_head"), list(data.get("task_force_members") or [])
    wanted = ([(head.pk, "head")] if head else []) + [(member.pk, "member") for member in members]
    current = sorted(
        matter.task_force_members.filter(user__isnull=False).values_list("user_id", "role")
    )
    task_force = None
    if sorted(wanted) != current:
        task_force = [services.TaskForceInput(user=head, role="head")] if head else []
        task_force += [services.TaskForceInput(user=member) for member in members]
        # Named members without an account (kept as they are).
        task_force += [
            services.TaskForceInput(name=row.name, unit=row.unit, role=row.role, duty=row.duty)
            for row in matter.task_force_members.filter(user__isnull=True).select_related("unit")
            if not (head and row.role == "head")
        ]
    services.matter_assign(
        actor=user,
        matter=matter,
        lead_official=data.get("lead_official"),
        responsible_unit=data.get("responsible_unit"),
        handling_unit=data.get("handling_unit"),
        handler=data.get("handler"),
        task_force=task_force,
    )
    return "责任分工已保存"


def _do_extend(user: User, matter: PetitionMatter, data: dict[str, Any]) -> str:
    extended = services.matter_extend(
        actor=user,
        matter=matter,
        days=data["days"],
        reason=data["reason"],
        approved_by=data["approved_by"],
        told_on=data["told_on"],
    )
    return f"办理期限已延长{data['days']}日，至{extended.extended_due_on:%Y-%m-%d}"


def _do_evidence(user: User, matter: PetitionMatter, data: dict[str, Any]) -> str:
    services.outcome_evidence_add(
        actor=user,
        matter=matter,
        kind=data["kind"],
        description=data["description"],
        dated_on=data["dated_on"],
        file=data.get("file"),
    )
    return "化解材料已登记"


def _do_resolve(user: User, matter: PetitionMatter, data: dict[str, Any]) -> str:
    evidence = []
    if data.get("evidence_kind"):
        evidence.append(
            services.EvidenceInput(
                kind=data["evidence_kind"],
                description=data["evidence_description"],
                dated_on=data["evidence_dated_on"],
                file=data.get("evidence_file"),
            )
        )
    services.matter_resolve(
        actor=user,
        matter=matter,
        outcome_type=data["outcome_type"],
        summary=data["summary"],
        resolved_on=data["resolved_on"],
        evidence=evidence,
    )
    return "已登记化解（事了），回访确认心结解开后为事心双解"


def _do_return_visit(user: User, matter: PetitionMatter, data: dict[str, Any]) -> str:
    services.matter_return_visit_record(
        actor=user,
        matter=matter,
        visited_on=data["visited_on"],
        method=data["method"],
        note=data["note"],
        heart_resolved=bool(data.get("heart_resolved")),
    )
    return "回访已登记，事心双解" if data.get("heart_resolved") else "回访已登记"


def _do_terminate(user: User, matter: PetitionMatter, data: dict[str, Any]) -> str:
    services.matter_terminate(
        actor=user,
        matter=matter,
        terminated_on=data["terminated_on"],
        authority=data["authority"],
        basis=data["basis"],
        handed_over_to=data["handed_over_to"],
        handed_over_on=data["handed_over_on"],
    )
    return "已登记依法终结，不再统计、交办、通报"


def _do_followup_confirm(user: User, matter: PetitionMatter, data: dict[str, Any]) -> str:
    row = data["campaign_matter"]
    services.followup_confirm_stable(actor=user, campaign_matter=row, note=data.get("note") or "")
    return f"回头看：已确认稳定（{row.campaign.name}）"


def _do_followup_reopen(user: User, matter: PetitionMatter, data: dict[str, Any]) -> str:
    row = data["campaign_matter"]
    services.followup_reopen(actor=user, campaign_matter=row, reason=data["reason"])
    return f"回头看：已重新交办（{row.campaign.name}）"


@dataclass(frozen=True)
class Action:
    label: str
    form: type[ActionForm]
    perform: Callable[[User, PetitionMatter, dict[str, Any]], str]


ACTIONS: dict[str, Action] = {
    "edit": Action("修改信息", MatterEditForm, _do_edit),
    "assign": Action("明确责任", AssignForm, _do_assign),
    "extend": Action("延长办理期限", ExtendForm, _do_extend),
    "evidence": Action("登记化解材料", EvidenceForm, _do_evidence),
    "resolve": Action("登记化解", ResolveForm, _do_resolve),
    "return_visit": Action("回访", ReturnVisitForm, _do_return_visit),
    "terminate": Action("依法终结", TerminateForm, _do_terminate),
    "followup_confirm": Action("回头看：确认稳定", FollowUpConfirmForm, _do_followup_confirm),
    "followup_reopen": Action("回头看：重新交办", FollowUpReopenForm, _do_followup_reopen),
}


def _build(name: str, matter: PetitionMatter, request: HttpRequest | None = None) -> ActionForm:
    form_class = ACTIONS[name].form
    if request is None:
        form = form_class(matter=matter)
    else:
        form = form_class(request.POST, request.FILES, matter=matter)
    form.auto_id = f"id_{name}_%s"  # several forms on one page: ids of their own
    return form


def render_detail(
    request: HttpRequest,
    user: User,
    matter: PetitionMatter,
    *,
    failed: tuple[str, ActionForm] | None = None,
    error: ApplicationError | None = None,
    status: int = 200,
) -> HttpResponse:
    facts = _facts(matter)
    allowed = allowed_actions(user, matter, facts)
    forms: dict[str, ActionForm] = {}
    for name, permitted in allowed.items():
        if failed is not None and failed[0] == name:
            forms[name] = failed[1]
        elif permitted:
            forms[name] = _build(name, matter)
    detail = selectors.matter_detail(user=user, matter=matter)
    visible_cases = selectors.visible_ids(CourtCase, user, [c.pk for c in detail.court_cases])
    visible_requests = selectors.visible_ids(
        ServiceRequest, user, [r.pk for r in detail.desk_requests]
    )
    context = {
        "active": "list",
        "matter": matter,
        "detail": detail,
        "clock": selectors.clock_state(matter, facts.today),
        "overdue": selectors.clock_state(matter, facts.today).state == "overdue",
        "visible_cases": visible_cases,
        "visible_requests": visible_requests,
        # Letters naming the matter, the meetings' opinions on it and their tasks.
        "supervision": selectors.matter_supervision(user=user, matter=matter),
        "forms": forms,
        "facts": facts,
        "error": error,
        "failed_action": failed[0] if failed else "",
    }
    # P2: the records section (work records, 每案必见, coordination, aid) and its forms.
    context.update(records.records_context(request, user, matter))
    return render(request, "petitions/detail.html", context, status=status)


@login_required
@require_GET
def matter_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    matter = selectors.matter_get(user=user, pk=pk)  # 404 outside the scope
    return render_detail(request, user, matter)


@login_required
@require_POST
def matter_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404("未知的操作")
    user = signed_in(request)
    matter = selectors.matter_get(user=user, pk=pk)  # 404 outside the scope
    if request.POST.get("expected_status") != matter.status:
        error: ApplicationError = ValidationFailed(STALE_MESSAGE, code="stale")
        return render_detail(request, user, matter, error=error, status=422)
    if not allowed_actions(user, matter, _facts(matter))[action]:
        error = PermissionDenied(f"您不能对该事项执行“{spec.label}”操作")
        return render_detail(request, user, matter, error=error, status=403)
    form = _build(action, matter, request)
    if not form.is_valid():
        error = ValidationFailed(f"{spec.label}：请检查填写内容")
        return render_detail(request, user, matter, failed=(action, form), error=error, status=422)
    data = dict(form.cleaned_data)
    if isinstance(form, MatterEditForm):
        data["case_numbers"] = form.case_numbers()
    try:
        message = spec.perform(user, matter, data)
    except ApplicationError as exc:
        # Nothing was written (each service is one transaction); the form keeps what was
        # typed, with the service's field errors beside the fields.
        put_field_errors(form, exc)
        fresh = selectors.matter_get(user=user, pk=pk)
        return render_detail(
            request, user, fresh, failed=(action, form), error=exc, status=exc.status_code
        )
    messages.success(request, f"{matter.number}：{message}")
    return redirect("petitions:detail", pk=matter.pk)
