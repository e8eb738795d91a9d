"""Work records, coordination requests and aid (P2): the records section of the matter page and
its forms (one POST view each, re-rendering the matter page with the refused form), the
coordination page (a liaison's list with overdue marked and the reply form; the matter's people
see theirs), and the aid list for office officers with its .xlsx export (masked, audited).

Which forms a user sees is decided here with the permission functions; the services check the
same rules again and write everything.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from youjie.core.errors import ApplicationError, PermissionDenied, ValidationFailed
from youjie.core.pagination import paginate
from youjie.exports.views import export_response
from youjie.orgs.models import User
from youjie.petitions import selectors, services
from youjie.petitions.choices import AidKind, AidStatus, CoordinationStatus, MatterStatus
from youjie.petitions.forms import (
    AidApplyForm,
    AidApproveForm,
    AidCapExceedForm,
    AidFilterForm,
    AidFundsForm,
    AidPayForm,
    AidRefuseForm,
    CoordinationFilterForm,
    CoordinationForm,
    CoordinationReplyForm,
    WorkRecordForm,
)
from youjie.petitions.models import Aid, CoordinationRequest, PetitionMatter
from youjie.petitions.permissions import (
    can_apply_aid,
    can_approve_aid_over_cap,
    can_decide_aid,
    can_record_work,
    can_reply_coordination,
    can_request_coordination,
    may_see_aid_list,
    may_see_coordination,
    may_see_petitions,
)
from youjie.petitions.views.common import PAGE_SIZE, put_field_errors, query_without_page, signed_in

SECTION_TEMPLATE = "petitions/_records_section.html"
# A refused form of this module, handed to ``records_context`` while the matter page is drawn
# again: (form name, bound form).
_FAILED = "petitions_records_failed"


# --- the records section of the matter page ----------------------------------------------------


@dataclass
class AidRow:
    aid: Aid
    # (action, label, form) of each action the user may take now.
    actions: list[tuple[str, str, forms.Form]] = field(default_factory=list)
    open_action: str = ""  # the refused one, shown open
    decision_overdue: bool = False
    payment_overdue: bool = False


def _with_ids(form: forms.Form, prefix: str) -> forms.Form:
    form.auto_id = f"id_{prefix}_%s"  # several forms on one page: ids of their own
    return form


def aid_actions_allowed(
    user: User, aid: Aid, rights: tuple[bool, bool] | None = None
) -> dict[str, bool]:
    """Which actions on ``aid`` ``user`` may take now (the services check again). ``rights``:
    (may decide, may approve above the cap) on the aid's matter, when already known (they
    depend on the matter only: the matter page asks once for all its aid)."""
    decide, exceed = rights or (can_decide_aid(user, aid), can_approve_aid_over_cap(user, aid))
    applied = aid.status == AidStatus.APPLIED
    approved = aid.status == AidStatus.APPROVED
    return {
        "cap": applied
        and aid.kind == AidKind.JUDICIAL
        and aid.cap_amount is not None
        and aid.amount > aid.cap_amount
        and exceed,
        "approve": applied and decide,
        "refuse": applied and decide,
        "funds": approved and decide and aid.funds_arrived_on is None,
        "pay": approved and decide,
    }


AID_FORMS: dict[str, type[forms.Form]] = {
    "cap": AidCapExceedForm,
    "approve": AidApproveForm,
    "refuse": AidRefuseForm,
    "funds": AidFundsForm,
    "pay": AidPayForm,
}
AID_LABELS = {
    "cap": "超出上限特批",
    "approve": "批准救助",
    "refuse": "不予救助",
    "funds": "登记资金到位",
    "pay": "登记发放",
}


def _aid_initial(action: str, aid: Aid, today: date) -> dict[str, Any]:
    if action == "approve":
        return {"approved_amount": aid.amount, "decided_on": today}
    if action == "cap":
        return {"amount": aid.amount, "decided_on": today}
    if action == "refuse":
        return {"decided_on": today}
    if action == "funds":
        return {"funds_arrived_on": today}
    return {"paid_on": today}


def _failed(request: HttpRequest) -> tuple[str, forms.Form] | None:
    failed = getattr(request, _FAILED, None)
    return failed if isinstance(failed, tuple) else None


def records_context(request: HttpRequest, user: User, matter: PetitionMatter) -> dict[str, Any]:
    """What the records section of the matter page shows ``user`` (``records_section`` names the
    template the matter page includes)."""
    today = selectors.today_beijing()
    failed = _failed(request)
    open_matter = matter.status != MatterStatus.TERMINATED
    new_forms: dict[str, forms.Form] = {}
    if open_matter and can_record_work(user, matter):
        new_forms["work_record"] = WorkRecordForm(
            matter=matter, actor=user, initial={"held_on": today}
        )
    if open_matter and can_request_coordination(user, matter):
        new_forms["coordination"] = CoordinationForm(matter=matter)
    if open_matter and can_apply_aid(user, matter):
        new_forms["aid"] = AidApplyForm(matter=matter, initial={"applied_on": today})
    if failed is not None and failed[0] in new_forms:
        new_forms[failed[0]] = failed[1]
    for name, new_form in new_forms.items():
        _with_ids(new_form, name)
    rows = []
    rights: tuple[bool, bool] | None = None
    for aid in selectors.aid_for_matter(matter=matter):
        aid.matter = matter  # the page's matter: no query per aid for the rules below
        if rights is None:
            rights = (can_decide_aid(user, aid), can_approve_aid_over_cap(user, aid))
        row = AidRow(
            aid,
            decision_overdue=aid.decision_overdue(today),
            payment_overdue=aid.payment_overdue(today),
        )
        for action, permitted in aid_actions_allowed(user, aid, rights).items():
            name = f"aid{aid.pk}_{action}"
            action_form: forms.Form | None = None
            if failed is not None and failed[0] == name:
                action_form, row.open_action = failed[1], action
            elif permitted:
                action_form = AID_FORMS[action](initial=_aid_initial(action, aid, today))
            if action_form is not None:
                row.actions.append((action, AID_LABELS[action], _with_ids(action_form, name)))
        rows.append(row)
    wage_base = selectors.aid_wage_base_for(on=today)
    coordination = [
        (item, item.is_overdue(today)) for item in selectors.coordination_for_matter(matter=matter)
    ]
    return {
        "records_section": SECTION_TEMPLATE,
        "records": {
            "work_records": list(selectors.work_records_for(matter=matter)),
            "not_met": list(selectors.matter_petitioners_not_met(matter=matter)),
            "coordination": coordination,
            "aids": rows,
            "forms": new_forms,
            "failed": failed[0] if failed is not None else "",
            "wage_base": wage_base,
            "wage_cap": (
                selectors.aid_cap_amount(wage_base.monthly_wage) if wage_base is not None else None
            ),
        },
    }


def _matter_page(
    request: HttpRequest,
    user: User,
    matter: PetitionMatter,
    name: str,
    form: forms.Form,
    error: ApplicationError,
) -> HttpResponse:
    """The matter page again, with the refused form open and the error on top."""
    from youjie.petitions.views.matters import render_detail

    setattr(request, _FAILED, (name, form))
    fresh = selectors.matter_get(user=user, pk=matter.pk)
    return render_detail(request, user, fresh, error=error, status=error.status_code)


def _submit(
    request: HttpRequest,
    user: User,
    matter: PetitionMatter,
    name: str,
    form: forms.Form,
    label: str,
    perform: Callable[[dict[str, Any]], str],
) -> HttpResponse:
    if not form.is_valid():
        error = ValidationFailed(f"{label}：请检查填写内容")
        return _matter_page(request, user, matter, name, form, error)
    try:
        message = perform(dict(form.cleaned_data))
    except ApplicationError as exc:
        # Nothing was written (each service is one transaction); the form keeps what was typed.
        put_field_errors(form, exc)
        return _matter_page(request, user, matter, name, form, exc)
    messages.success(request, f"{matter.number}：{message}")
    return redirect(reverse("petitions:detail", args=[matter.pk]) + "#records")


@login_required
@require_POST
def work_record_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    matter = selectors.matter_get(user=user, pk=pk)  # 404 outside the scope
    if not can_record_work(user, matter):
        raise PermissionDenied("只有包案领导、承办人、专班成员或属地专项办可以登记工作记录")
    form = WorkRecordForm(request.POST, request.FILES, matter=matter, actor=user)

    def perform(data: dict[str, Any]) -> str:
        record = services.work_record_create(
            actor=user,
            matter=matter,
            kind=data["kind"],
            held_on=data["held_on"],
            place=data["place"],
            participants=list(data["participants"]),
            lead_official_present=data["lead_official_present"],
            petitioners_met=list(data["petitioners_met"]),
            findings=data["findings"],
            law_explanation=data["law_explanation"],
            counselling=data["counselling"],
            attitude=data["attitude"],
            files=data["attachments"],
        )
        return f"已登记工作记录（{record.get_kind_display()}）"

    return _submit(request, user, matter, "work_record", form, "登记工作记录", perform)


@login_required
@require_POST
def coordination_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    matter = selectors.matter_get(user=user, pk=pk)
    if not can_request_coordination(user, matter):
        raise PermissionDenied("只有包案领导、承办人、专班成员或属地专项办可以发起协调")
    form = CoordinationForm(request.POST, matter=matter)

    def perform(data: dict[str, Any]) -> str:
        coordination = services.coordination_request_send(
            actor=user,
            matter=matter,
            department=data["department"],
            liaison=data["liaison"],
            request_text=data["request_text"],
            workdays=data["workdays"],
        )
        return (
            f"已向{coordination.department.name}发出协调函，答复期限 {coordination.due_on:%Y-%m-%d}"
        )

    return _submit(request, user, matter, "coordination", form, "发起协调", perform)


@login_required
@require_POST
def aid_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    matter = selectors.matter_get(user=user, pk=pk)
    if not can_apply_aid(user, matter):
        raise PermissionDenied("只有包案领导、承办人、专班成员或属地专项办可以申请救助")
    form = AidApplyForm(request.POST, matter=matter)

    def perform(data: dict[str, Any]) -> str:
        aid = services.aid_apply(
            actor=user,
            matter=matter,
            person=data["person"],
            kind=data["kind"],
            amount=data["amount"],
            awardable_amount=data["awardable_amount"],
            court_case=data["court_case"],
            reason=data["reason"],
            applied_on=data["applied_on"],
        )
        return f"已登记{aid.get_kind_display()}申请"

    return _submit(request, user, matter, "aid", form, "申请救助", perform)


def _perform_aid(action: str, user: User, aid: Aid, data: dict[str, Any]) -> str:
    if action == "cap":
        services.aid_cap_exceed_approve(
            actor=user,
            aid=aid,
            amount=data["amount"],
            opinion=data["opinion"],
            decided_on=data["decided_on"],
        )
        return "已登记超出上限特批"
    if action == "approve":
        services.aid_approve(
            actor=user,
            aid=aid,
            approved_amount=data["approved_amount"],
            opinion=data["opinion"],
            decided_on=data["decided_on"],
        )
        return "救助已批准"
    if action == "refuse":
        services.aid_refuse(
            actor=user, aid=aid, opinion=data["opinion"], decided_on=data["decided_on"]
        )
        return "已决定不予救助"
    if action == "funds":
        services.aid_funds_arrive(actor=user, aid=aid, funds_arrived_on=data["funds_arrived_on"])
        return "已登记资金到位"
    services.aid_pay(
        actor=user, aid=aid, paid_on=data["paid_on"], funds_arrived_on=data["funds_arrived_on"]
    )
    return "已登记救助金发放"


@login_required
@require_POST
def aid_action(request: HttpRequest, pk: int, aid_pk: int, action: str) -> HttpResponse:
    if action not in AID_FORMS:
        raise Http404("未知的操作")
    user = signed_in(request)
    aid = selectors.aid_get(user=user, pk=aid_pk)  # 404 outside the scope
    if aid.matter_id != pk:
        raise Http404("救助记录不属于该事项")
    matter = selectors.matter_get(user=user, pk=pk)
    if not aid_actions_allowed(user, aid)[action]:
        raise PermissionDenied(f"您不能对该救助执行“{AID_LABELS[action]}”操作")
    form = AID_FORMS[action](request.POST)
    name = f"aid{aid.pk}_{action}"

    def perform(data: dict[str, Any]) -> str:
        return _perform_aid(action, user, aid, data)

    return _submit(request, user, matter, name, form, AID_LABELS[action], perform)


@login_required
@require_GET
def work_record_file(request: HttpRequest, pk: int, record_pk: int, file_pk: int) -> FileResponse:
    user = signed_in(request)
    attachment = selectors.work_record_attachment_get(user=user, record_pk=record_pk, pk=file_pk)
    if attachment.record.matter_id != pk:
        raise Http404("附件不存在")
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- the coordination page ----------------------------------------------------------------------


def _coordination_user(request: HttpRequest) -> User:
    user = signed_in(request)
    if not may_see_coordination(user):
        raise PermissionDenied("该页面供部门联络员和信访化解工作人员使用")
    return user


def _coordination_page(
    request: HttpRequest,
    user: User,
    *,
    failed: tuple[int, CoordinationReplyForm] | None = None,
    error: ApplicationError | None = None,
    status: int = 200,
) -> HttpResponse:
    today = selectors.today_beijing()
    form = CoordinationFilterForm(request.GET or None)
    page = None
    rows: list[tuple[CoordinationRequest, bool, CoordinationReplyForm | None]] = []
    if not form.is_bound or form.is_valid():
        data = form.cleaned_data if form.is_bound else {}
        requests = selectors.coordination_list(
            user=user, status=data.get("status", ""), overdue=bool(data.get("overdue"))
        )
        page = paginate(requests, page=request.GET.get("page"), size=PAGE_SIZE)
        for item in page.items:
            reply: CoordinationReplyForm | None = None
            if failed is not None and failed[0] == item.pk:
                reply = failed[1]
            elif item.status == CoordinationStatus.SENT and can_reply_coordination(user, item):
                reply = CoordinationReplyForm()
            if reply is not None:
                reply.auto_id = f"id_reply{item.pk}_%s"
            rows.append((item, item.is_overdue(today), reply))
    elif status == 200:
        status = 422
    context = {
        "active": "coordination",
        "form": form,
        "page": page,
        "rows": rows,
        "filters": query_without_page(request),
        "error": error,
        "department": user.org_unit,
        "show_tabs": may_see_petitions(user),
    }
    return render(request, "petitions/records/coordination.html", context, status=status)


@login_required
@require_GET
def coordination_list(request: HttpRequest) -> HttpResponse:
    return _coordination_page(request, _coordination_user(request))


@login_required
@require_POST
def coordination_reply(request: HttpRequest, pk: int) -> HttpResponse:
    user = _coordination_user(request)
    coordination = selectors.coordination_get(user=user, pk=pk)  # 404 outside the scope
    if not can_reply_coordination(user, coordination):
        raise PermissionDenied("只有该部门的联络员可以答复协调函")
    form = CoordinationReplyForm(request.POST)
    if not form.is_valid():
        error: ApplicationError = ValidationFailed("答复：请检查填写内容")
        return _coordination_page(request, user, failed=(pk, form), error=error, status=422)
    try:
        services.coordination_request_reply(
            actor=user,
            coordination=coordination,
            reply_text=form.cleaned_data["reply_text"],
            replied_on=form.cleaned_data["replied_on"],
        )
    except ApplicationError as exc:
        put_field_errors(form, exc)
        return _coordination_page(
            request, user, failed=(pk, form), error=exc, status=exc.status_code
        )
    messages.success(request, f"已答复{coordination.matter.number}的协调函")
    return redirect("petitions:coordination")


# --- the aid list and its export ----------------------------------------------------------------


def _aid_user(request: HttpRequest) -> User:
    user = signed_in(request)
    if not may_see_aid_list(user):
        raise PermissionDenied("救助台账供专项办工作人员使用")
    return user


def _aid_filters(form: AidFilterForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "status": data.get("status", ""),
        "kind": data.get("kind", ""),
        "overdue": bool(data.get("overdue")),
    }


@login_required
@require_GET
def aid_list(request: HttpRequest) -> HttpResponse:
    user = _aid_user(request)
    today = selectors.today_beijing()
    form = AidFilterForm(request.GET or None)
    page = None
    rows: list[tuple[Aid, bool]] = []
    if not form.is_bound or form.is_valid():
        filters = _aid_filters(form) if form.is_bound else {}
        page = paginate(
            selectors.aid_list(user=user, **filters), page=request.GET.get("page"), size=PAGE_SIZE
        )
        rows = [
            (aid, aid.decision_overdue(today) or aid.payment_overdue(today)) for aid in page.items
        ]
    context = {
        "active": "aid",
        "form": form,
        "page": page,
        "rows": rows,
        "filters": query_without_page(request),
        "export_query": request.GET.urlencode(),
    }
    return render(request, "petitions/records/aid_list.html", context, status=200 if page else 422)


@login_required
@require_GET
def aid_export(request: HttpRequest) -> HttpResponse:
    """The aid list as .xlsx: the address this export always had, now one of the registered
    lists (youjie/petitions/exports.py, "petitions.aid"): the list's filters and scope, persons
    by name with the masked ID number, each export audited (youjie.exports)."""
    return export_response(request, "petitions.aid")
