"""The filing page: parties (masked; the full value on request, audited), materials with their
downloads, both courts' receipt times, the decision clock with its article, the timeline, and
the action forms — forward (形式核对), supplement (一次告知), accept, refuse, withdrawal — each a
POST to ``filings:action`` carrying the status the page showed. The refusal's written decision
(不予受理裁定书) downloads as .docx."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_POST

from youjie.core.audit import audit_record
from youjie.core.errors import ApplicationError, NotFound, PermissionDenied, ValidationFailed
from youjie.core.links import links_for
from youjie.fees.permissions import can_issue_notice
from youjie.filings import selectors, services
from youjie.filings.choices import FilingStatus
from youjie.filings.forms import (
    AcceptForm,
    ActionForm,
    ForwardForm,
    RefuseForm,
    RevealForm,
    SupplementRequestForm,
    WithdrawForm,
)
from youjie.filings.models import Filing
from youjie.filings.permissions import can_check, can_decide, can_record_withdrawal
from youjie.filings.services.helpers import DECISION_ARTICLE, SUPPLEMENT_ARTICLE, local_date
from youjie.filings.transitions import OPEN_STATUSES
from youjie.filings.views.common import filings_user, put_errors
from youjie.orgs.models import User
from youjie.people.permissions import can_view_full_personal_data

STALE_MESSAGE = "该立案申请已被他人处理，页面内容已过期，请刷新后重试"
VERB_LABELS = {
    "submitted": "提交立案申请",
    "forwarded": "核对并转交管辖法院",
    "supplement_requested": "一次性告知补正",
    "supplement_provided": "提交补正材料",
    "accepted": "登记立案",
    "refused": "不予受理",
    "withdrawn": "撤回",
    "treated_as_withdrawn": "按撤诉处理",
    "mediation_started": "转诉前调解",
    "mediation_failed": "调解不成，转入审查",
    "settled": "调解结案",
}


def allowed_actions(user: User, filing: Filing) -> dict[str, bool]:
    """Which action forms ``user`` sees now (the services check the same rules again)."""
    status = filing.status
    received = status == FilingStatus.RECEIVED
    review = status == FilingStatus.REVIEW
    return {
        "forward": received and can_check(user, filing),
        "supplement": (received and can_check(user, filing))
        or (review and can_decide(user, filing)),
        "accept": review and can_decide(user, filing),
        "refuse": review and can_decide(user, filing),
        "withdraw": status in OPEN_STATUSES and can_record_withdrawal(user, filing),
    }


def _forward(user: User, filing: Filing, data: dict[str, Any]) -> str:
    services.filing_forward(actor=user, filing=filing, note=data.get("note") or "")
    return f"已核对并转交{filing.competent_court.name}审查"


def _supplement(user: User, filing: Filing, data: dict[str, Any]) -> str:
    notice = services.filing_request_supplement(actor=user, filing=filing, items=data["items"])
    return f"已一次性告知补正事项{len(notice.filing.supplement_items)}项，并短信通知提交人"


def _accept(user: User, filing: Filing, data: dict[str, Any]) -> str:
    case = services.filing_accept(
        actor=user,
        filing=filing,
        data=services.AcceptInput(
            division=data["division"],
            judge=data.get("judge"),
            procedure=data["procedure"],
            fast_track=bool(data.get("fast_track")),
            cause=data["cause"],
            issue_fee_notice=bool(data.get("issue_fee_notice")),
        ),
    )
    if data.get("issue_fee_notice"):
        return f"已登记立案，案号{case.case_number}，并已开具缴费通知书"
    return f"已登记立案，案号{case.case_number}"


def _refuse(user: User, filing: Filing, data: dict[str, Any]) -> str:
    services.filing_refuse(actor=user, filing=filing, reason=data["reason"])
    return "已作出不予受理决定，可下载不予受理裁定书"


def _withdraw(user: User, filing: Filing, data: dict[str, Any]) -> str:
    services.filing_withdraw(filing=filing, actor=user, reason=data["reason"])
    return "已登记撤回"


@dataclass(frozen=True)
class Action:
    label: str
    form: type[ActionForm]
    perform: Callable[[User, Filing, dict[str, Any]], str]


ACTIONS: dict[str, Action] = {
    "forward": Action("核对并转交", ForwardForm, _forward),
    "supplement": Action("通知补正", SupplementRequestForm, _supplement),
    "accept": Action("登记立案", AcceptForm, _accept),
    "refuse": Action("不予受理", RefuseForm, _refuse),
    "withdraw": Action("登记撤回", WithdrawForm, _withdraw),
}


def _build(
    name: str, filing: Filing, request: HttpRequest | None = None, user: User | None = None
) -> ActionForm:
    form_class = ACTIONS[name].form
    form = form_class(filing=filing) if request is None else form_class(request.POST, filing=filing)
    form.auto_id = f"id_{name}_%s"
    if name == "accept" and user is not None and not can_issue_notice(user):
        form.initial["issue_fee_notice"] = False  # not theirs to issue: off unless they ask
    return form


def clock_text(filing: Filing) -> str:
    if filing.status == FilingStatus.SUPPLEMENT:
        return "等待补正，审查期限暂停；补正材料收到后重新计算7日"
    if filing.status == FilingStatus.RECEIVED:
        return "等待收件法院核对转交；管辖法院收到后起算7日"
    if filing.decision_due is None or filing.status != FilingStatus.REVIEW:
        return ""
    article = SUPPLEMENT_ARTICLE if filing.supplement_round else DECISION_ARTICLE
    return f"应于{filing.decision_due:%Y年%m月%d日}前作出决定；{article}"


def render_detail(
    request: HttpRequest,
    user: User,
    filing: Filing,
    *,
    failed: tuple[str, ActionForm] | None = None,
    error: ApplicationError | None = None,
    status: int = 200,
) -> HttpResponse:
    allowed = allowed_actions(user, filing)
    forms: dict[str, ActionForm] = {}
    for name, permitted in allowed.items():
        if failed is not None and failed[0] == name:
            forms[name] = failed[1]
        elif permitted:
            forms[name] = _build(name, filing, user=user)
    detail = selectors.filing_detail(filing=filing)
    context = {
        "filing": filing,
        "detail": detail,
        "clock": clock_text(filing),
        "overdue": detail.overdue,
        "forms": forms,
        "actions": {name: ACTIONS[name].label for name in forms},
        "error": error,
        "failed_action": failed[0] if failed else "",
        "may_reveal": can_view_full_personal_data(user),
        # Other apps' links on the filing ("委派调解": youjie.core.links).
        "record_links": links_for(user, filing),
        "timeline": [
            {
                "event": event,
                "label": VERB_LABELS.get(event.verb, event.verb),
                "state": dict(FilingStatus.choices).get(event.to_state, "")
                if event.to_state
                else "",
            }
            for event in detail.events
        ],
    }
    return render(request, "filings/detail.html", context, status=status)


@login_required
@require_GET
def filing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = filings_user(request)
    filing = selectors.filing_get(user=user, pk=pk)  # 404 outside the scope
    return render_detail(request, user, filing)


@login_required
@require_POST
def filing_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404("未知的操作")
    user = filings_user(request)
    filing = selectors.filing_get(user=user, pk=pk)  # 404 outside the scope
    if request.POST.get("expected_status") != filing.status:
        error: ApplicationError = ValidationFailed(STALE_MESSAGE, code="stale")
        return render_detail(request, user, filing, error=error, status=422)
    if not allowed_actions(user, filing)[action]:
        error = PermissionDenied(f"您不能对该立案申请执行“{spec.label}”操作")
        return render_detail(request, user, filing, error=error, status=403)
    form = _build(action, filing, request)
    if not form.is_valid():
        error = ValidationFailed(f"{spec.label}：请检查填写内容")
        return render_detail(request, user, filing, failed=(action, form), error=error, status=422)
    try:
        message = spec.perform(user, filing, dict(form.cleaned_data))
    except ApplicationError as exc:
        put_errors(form, exc)
        fresh = selectors.filing_get(user=user, pk=pk)
        return render_detail(
            request, user, fresh, failed=(action, form), error=exc, status=exc.status_code
        )
    messages.success(request, f"{filing.number}：{message}")
    return redirect("filings:detail", pk=filing.pk)


@login_required
@require_GET
def material_download(request: HttpRequest, pk: int, material_pk: int) -> FileResponse:
    """A material's file, within the scope; each download is recorded (identity papers)."""
    user = filings_user(request)
    material = selectors.material_get(user=user, filing_pk=pk, pk=material_pk)
    if not material.file:
        raise NotFound("该材料没有文件")
    try:
        handle = material.file.open("rb")
    except OSError as exc:
        raise NotFound("文件已不存在") from exc
    audit_record(
        actor=user,
        action="download_filing_material",
        subject=material.filing,
        fields=[f"material:{material.pk}"],
        purpose="立案审查查阅材料",
    )
    return FileResponse(
        handle,
        as_attachment=True,
        filename=material.original_name or "材料",
        content_type=material.content_type or "application/octet-stream",
    )


@login_required
@require_GET
def ruling_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The 不予受理裁定书 of a refused filing, as .docx."""
    user = filings_user(request)
    filing = selectors.filing_get(user=user, pk=pk)
    if filing.status != FilingStatus.REFUSED or filing.decided_at is None:
        raise NotFound("该立案申请没有不予受理裁定书")
    # python-docx is imported on first use, not when a worker starts (issue 11).
    from youjie.filings.rulings import DOCX_CONTENT_TYPE, refusal_ruling_docx

    content = refusal_ruling_docx(filing, decided_on=local_date(filing.decided_at))
    response = HttpResponse(content, content_type=DOCX_CONTENT_TYPE)
    name = f"不予受理裁定书_{filing.number}.docx"
    response["Content-Disposition"] = content_disposition_header(True, name) or "attachment"
    return response


@login_required
@require_POST
def party_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """A party's (or the submitter's) full ID number, phone or address: audited."""
    user = filings_user(request)
    filing = selectors.filing_get(user=user, pk=pk)
    form = RevealForm(request.POST)
    if not form.is_valid():
        return render(
            request, "filings/_revealed.html", {"form": form, "filing": filing}, status=422
        )
    field = form.cleaned_data["field"]
    if field == "submitter_phone":
        value = selectors.filing_submitter_phone_reveal(user=user, filing=filing)
        label = "提交人手机"
    else:
        party = filing.parties.filter(pk=form.cleaned_data["party"]).first()
        if party is None:
            raise NotFound("该申请中没有这一当事人")
        value = selectors.filing_party_reveal(user=user, party=party, field=field)
        label = f"{party.name}的{dict(form.fields['field'].choices)[field]}"  # type: ignore[attr-defined]
    context = {"form": form, "filing": filing, "value": value or "（未填写）", "label": label}
    return render(request, "filings/_revealed.html", context)
