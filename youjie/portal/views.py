"""Public, mobile-first pages for citizens (no login): submit, track, checklists, feedback, and a
party's case progress (网上查询).

Each POST goes: form shape + form guard → rate limit → one desk service or selector → redirect
(post/redirect/get, so a reload never submits twice). Errors are rendered with the portal's own
templates (not the staff layout): 422 for field errors, 400 for a refused form guard, 429 over a
rate limit, 404/410 for dead links.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from youjie.core.errors import ApplicationError, InvalidTransition, NotFound, ValidationFailed
from youjie.core.middleware import client_ip
from youjie.courtcases.models import CourtCase
from youjie.desk import selectors as desk_selectors
from youjie.desk import services as desk_services
from youjie.desk.choices import RequestStatus
from youjie.filings.models import Filing
from youjie.people.validators import mask_mobile
from youjie.portal import access, selectors, services
from youjie.portal.formguard import form_token_issue
from youjie.portal.forms import (
    CaseCodeForm,
    CaseQueryForm,
    CodeForm,
    FeedbackForm,
    GuardedForm,
    SubmitForm,
    TrackForm,
    WithdrawForm,
    request_number_normalise,
)

NOT_FOUND_MESSAGE = "未找到与该手机号匹配的诉求"
VERIFY_MESSAGE = "请输入诉求编号和手机号码查询（验证有效期30分钟）。"
View = Callable[..., HttpResponse]


class Gone(ApplicationError):
    status_code = 410
    default_code = "gone"


def portal_page(view: View) -> View:
    """Render ApplicationError with the portal's templates; 429 carries Retry-After."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except services.RateLimited as error:
            response = _render(request, "portal/rate_limited.html", {"error": error}, status=429)
            response["Retry-After"] = str(error.retry_after)
            return response
        except ApplicationError as error:
            context = {"error": error, "status": error.status_code}
            return _render(request, "portal/error.html", context, status=error.status_code)

    return wrapper


def _render(
    request: HttpRequest, template: str, context: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    return render(
        request, template, {"hotline": selectors.portal_hotline(), **(context or {})}, status=status
    )


def _render_form(
    request: HttpRequest,
    template: str,
    form: GuardedForm,
    context: dict[str, Any] | None = None,
    status: int | None = None,
) -> HttpResponse:
    """Every render carries a fresh signed token, so a refused form can be sent again."""
    if status is None:
        status = 200 if not form.is_bound or not form.errors else (400 if form.rejected else 422)
    full = {"form": form, "form_token": form_token_issue(form.form_name), **(context or {})}
    return _render(request, template, full, status=status)


def _put_field_errors(form: forms.Form, error: ValidationFailed, names: dict[str, str]) -> None:
    for field, field_messages in error.fields.items():
        target = names.get(field)
        for message in field_messages:
            form.add_error(target, message)
    if not error.fields:
        form.add_error(None, error.message)


def _ip(request: HttpRequest) -> str:
    return client_ip(request) or "unknown"


@require_GET
@portal_page
def index(request: HttpRequest) -> HttpResponse:
    context = {
        "court": selectors.portal_court(),
        "matter_types": list(selectors.public_matter_types()),
    }
    return _render(request, "portal/index.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
@portal_page
def submit(request: HttpRequest) -> HttpResponse:
    template = "portal/submit.html"
    if request.method != "POST":
        return _render_form(request, template, SubmitForm())
    form = SubmitForm(request.POST)
    if not form.is_valid():
        return _render_form(request, template, form)
    services.rate_limit_consume(
        checks=[("submit_ip", _ip(request)), ("submit_mobile", form.cleaned_data["mobile"])]
    )
    try:
        service_request, _created = desk_services.service_request_create(
            actor=None, data=form.intake_data(court_code=selectors.portal_court_code())
        )
    except ValidationFailed as error:
        _put_field_errors(form, error, SubmitForm.SERVICE_FIELDS)
        return _render_form(request, template, form, status=422)
    access.submitted_mark(request, service_request.number)
    return redirect("portal:submit_done")


@never_cache
@require_GET
@portal_page
def submit_done(request: HttpRequest) -> HttpResponse:
    number = access.submitted_number(request)
    if number is None:
        return redirect("portal:submit")
    return _render(request, "portal/submit_done.html", {"number": number})


def _track_initial(request: HttpRequest) -> dict[str, str]:
    """``?number=`` (the done page's button) fills the number; on the device that submitted
    that request a moment ago, its mobile too — from the request, never from the URL."""
    number = request_number_normalise(str(request.GET.get("number", ""))[:30])
    if not number:
        return {}
    if access.submitted_recently(request, number):
        mobile = selectors.requester_mobile(number=number)
        if mobile:
            return {"number": number, "mobile": mobile}
    return {"number": number}


@never_cache
@require_http_methods(["GET", "POST"])
@portal_page
def track(request: HttpRequest) -> HttpResponse:
    """Step 1: number + mobile. A wrong pair and an unknown number read exactly the same."""
    template = "portal/track.html"
    context: dict[str, Any] = {"sms_required": selectors.sms_gateway_configured()}
    if request.method != "POST":
        initial = _track_initial(request)
        context["mobile_prefilled"] = "mobile" in initial
        return _render_form(request, template, TrackForm(initial=initial), context)
    form = TrackForm(request.POST)
    if not form.is_valid():
        return _render_form(request, template, form, context)
    number, mobile = form.cleaned_data["number"], form.cleaned_data["mobile"]
    services.rate_limit_consume(checks=[("track_ip", _ip(request)), ("track_number", number)])
    found = desk_selectors.track(number=number, mobile=mobile)
    if found is None:
        form.add_error(None, NOT_FOUND_MESSAGE)
        return _render_form(request, template, form, context, status=200)
    if not context["sms_required"]:
        access.verified_mark(request, found.number)
        return redirect("portal:track_detail", number=found.number)
    sent = services.tracking_code_send(service_request=found, mobile=mobile, client_ip=_ip(request))
    access.pending_set(request, number=found.number, code_id=sent.code_id)
    return redirect("portal:track_code")


@never_cache
@require_http_methods(["GET", "POST"])
@portal_page
def track_code(request: HttpRequest) -> HttpResponse:
    """Step 2 (only with an SMS gateway): the one-time code sent to the registered mobile."""
    pending = access.pending_get(request)
    if pending is None:
        messages.info(request, "请先输入诉求编号和手机号码获取验证码。")
        return redirect("portal:track")
    template, context = "portal/track_code.html", {"number": pending.number}
    if request.method != "POST":
        return _render_form(request, template, CodeForm(), context)
    form = CodeForm(request.POST)
    if not form.is_valid():
        return _render_form(request, template, form, context)
    services.rate_limit_consume(checks=[("track_ip", _ip(request))])
    check = services.tracking_code_verify(code_id=pending.code_id, code=form.cleaned_data["code"])
    if check.ok:
        access.pending_clear(request)
        access.verified_mark(request, pending.number)
        return redirect("portal:track_detail", number=pending.number)
    if check.expired:
        access.pending_clear(request)
        messages.error(request, "验证码已失效或错误次数过多，请重新获取验证码。")
        return redirect("portal:track")
    form.add_error("code", f"验证码不正确，还可尝试{check.attempts_left}次。")
    return _render_form(request, template, form, context, status=422)


def _verified_request(request: HttpRequest, number: str) -> selectors.TrackedRequest | None:
    if not access.verified_check(request, number):
        return None
    tracked = selectors.tracked_request(number=number)
    if tracked is None:
        raise NotFound(NOT_FOUND_MESSAGE)
    return tracked


@never_cache
@require_GET
@portal_page
def track_detail(request: HttpRequest, number: str) -> HttpResponse:
    tracked = _verified_request(request, number)
    if tracked is None:
        messages.info(request, VERIFY_MESSAGE)
        return redirect("portal:track")
    return _render(request, "portal/track_detail.html", {"tracked": tracked})


@never_cache
@require_http_methods(["GET", "POST"])
@portal_page
def withdraw(request: HttpRequest, number: str) -> HttpResponse:
    """撤回: the verified requester withdraws their own request while it is still open."""
    tracked = _verified_request(request, number)
    if tracked is None:
        messages.info(request, VERIFY_MESSAGE)  # the verification ran out while writing
        return redirect("portal:track")
    if not tracked.can_withdraw:
        raise InvalidTransition(f"该诉求当前状态为“{tracked.status_label}”，不能撤回")
    template, context = "portal/withdraw.html", {"tracked": tracked}
    if request.method != "POST":
        return _render_form(request, template, WithdrawForm(), context)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        return _render_form(request, template, form, context)
    services.rate_limit_consume(checks=[("withdraw_ip", _ip(request))])
    try:
        desk_services.service_request_withdraw(
            actor="诉求人",
            service_request=tracked.service_request,
            reason=form.cleaned_data["reason"],
        )
    except ValidationFailed as error:
        _put_field_errors(form, error, {"reason": "reason"})
        return _render_form(request, template, form, context, status=422)
    messages.success(request, "您的诉求已撤回。")
    return redirect("portal:track_detail", number=number)


@require_GET
@portal_page
def checklists(request: HttpRequest) -> HttpResponse:
    return _render(
        request, "portal/checklists.html", {"matter_types": list(selectors.public_matter_types())}
    )


@require_GET
@portal_page
def checklist(request: HttpRequest, code: str, version: int | None = None) -> HttpResponse:
    page = selectors.checklist_get(code=code, version=version)
    return _render(request, "portal/checklist.html", {"page": page, "checklist": page.checklist})


def _feedback_open(token: str) -> Any:
    feedback = selectors.feedback_by_token(token=token)
    if feedback is None:
        raise NotFound("评价链接无效或已过期")
    if feedback.submitted_at is not None:
        raise Gone("您已经评价过了，感谢您的反馈")
    if feedback.service_request.status != RequestStatus.REPLIED:
        raise Gone("该诉求当前不在待评价状态")
    return feedback


@never_cache
@require_http_methods(["GET", "POST"])
@portal_page
def feedback(request: HttpRequest, token: str) -> HttpResponse:
    """满意度评价 by the link in the reply SMS; the token is the credential."""
    record = _feedback_open(token)
    answer = selectors.latest_answer(service_request=record.service_request)
    template, context = "portal/feedback.html", {"feedback": record, "answer": answer}
    if request.method != "POST":
        return _render_form(request, template, FeedbackForm(), context)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        return _render_form(request, template, form, context)
    services.rate_limit_consume(checks=[("feedback_ip", _ip(request))])
    try:
        desk_services.feedback_submit(
            token=token,
            satisfaction=form.cleaned_data["satisfaction"],
            comment=form.cleaned_data["comment"],
            disputed=form.cleaned_data["disputed"],
        )
    except ValidationFailed as error:
        if error.code == "already_rated":
            raise Gone(error.message, code=error.code) from error
        _put_field_errors(form, error, {"satisfaction": "satisfaction", "comment": "comment"})
        return _render_form(request, template, form, context, status=422)
    return redirect("portal:feedback_thanks", token=token)


@never_cache
@require_GET
@portal_page
def feedback_thanks(request: HttpRequest, token: str) -> HttpResponse:
    record = selectors.feedback_by_token(token=token)
    if record is None:
        raise NotFound("评价链接无效或已过期")
    if record.submitted_at is None:
        return redirect("portal:feedback", token=token)
    return _render(request, "portal/feedback_thanks.html", {"feedback": record})


# --- Case progress for parties (网上查询) -------------------------------------------------------

# One message for an unknown number, a phone that is no party's, and a wrong licence number:
# nothing tells a caller whether a case exists (no enumeration).
CASE_NOT_FOUND_MESSAGE = (
    "未找到与该手机号码匹配的案件，请核对案号（或立案申请编号）、手机号码和执业证号"
)
CASE_VERIFY_MESSAGE = "请输入案号和手机号码验证身份后查看（验证有效期30分钟）。"


@never_cache
@require_http_methods(["GET", "POST"])
@portal_page
def cases(request: HttpRequest) -> HttpResponse:
    """Step 1: the case (or filing) number, the mobile on file and, for a lawyer, the
    licence number; then an SMS code where a gateway delivers it."""
    template = "portal/cases.html"
    context: dict[str, Any] = {"sms_required": selectors.sms_gateway_configured()}
    if request.method != "POST":
        return _render_form(request, template, CaseQueryForm(), context)
    form = CaseQueryForm(request.POST)
    if not form.is_valid():
        return _render_form(request, template, form, context)
    key, mobile = form.cleaned_data["number"], form.cleaned_data["mobile"]
    services.rate_limit_consume(
        checks=[("case_query_ip", _ip(request)), ("case_query_number", key)]
    )
    subject = selectors.case_subject_find(key=key)
    if subject is None or not selectors.case_identity_check(
        subject=subject, mobile=mobile, lawyer_licence=form.licence_given()
    ):
        form.add_error(None, CASE_NOT_FOUND_MESSAGE)
        return _render_form(request, template, form, context, status=200)
    masked = mask_mobile(mobile)
    if not context["sms_required"]:
        access.case_verified_mark(request, subject.key, verified_by=masked)
        return redirect("portal:case_progress", number=subject.key)
    sent = services.tracking_code_send(
        court_case=subject.court_case,
        filing=subject.filing if subject.court_case is None else None,
        mobile=mobile,
        client_ip=_ip(request),
    )
    access.case_pending_set(request, key=subject.key, code_id=sent.code_id, verified_by=masked)
    return redirect("portal:case_code")


@never_cache
@require_http_methods(["GET", "POST"])
@portal_page
def case_code(request: HttpRequest) -> HttpResponse:
    """Step 2 (only with an SMS gateway): the one-time code sent to the mobile on file."""
    pending = access.case_pending_get(request)
    if pending is None:
        messages.info(request, "请先输入案号和手机号码获取验证码。")
        return redirect("portal:cases")
    template, context = "portal/case_code.html", {"number": pending.key}
    if request.method != "POST":
        return _render_form(request, template, CaseCodeForm(), context)
    form = CaseCodeForm(request.POST)
    if not form.is_valid():
        return _render_form(request, template, form, context)
    services.rate_limit_consume(checks=[("case_query_ip", _ip(request))])
    check = services.tracking_code_verify(code_id=pending.code_id, code=form.cleaned_data["code"])
    if check.ok:
        access.case_pending_clear(request)
        access.case_verified_mark(request, pending.key, verified_by=pending.verified_by)
        return redirect("portal:case_progress", number=pending.key)
    if check.expired:
        access.case_pending_clear(request)
        messages.error(request, "验证码已失效或错误次数过多，请重新获取验证码。")
        return redirect("portal:cases")
    form.add_error("code", f"验证码不正确，还可尝试{check.attempts_left}次。")
    return _render_form(request, template, form, context, status=422)


@never_cache
@require_GET
@portal_page
def case_progress(request: HttpRequest, number: str) -> HttpResponse:
    """The verified case (or filing) only: any other number asks for verification again.
    Every view is audited."""
    key = selectors.case_key_normalise(number)
    verified_by = access.case_verified_by(request, key) if key else None
    if verified_by is None:
        messages.info(request, CASE_VERIFY_MESSAGE)
        return redirect("portal:cases")
    subject = selectors.case_subject_find(key=key)
    if subject is None or subject.key != key:
        # Gone, or a filing that has since become a case: verify the case itself.
        messages.info(request, CASE_VERIFY_MESSAGE)
        return redirect("portal:cases")
    progress = selectors.case_progress(subject=subject)
    record: CourtCase | Filing | None = subject.court_case or subject.filing
    assert record is not None
    services.case_view_audit(subject=record, verified_by=verified_by, shown=progress.shown)
    # ``fee_notices``: the fees app's notices of this case (the template's ``fees`` block).
    context = {"progress": progress, "fee_notices": progress.fee_notices}
    return _render(request, "portal/case_progress.html", context)
