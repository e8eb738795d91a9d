"""案件查询 on the request page: "身份未核验" and the party check's two steps (send the code to
the caller's phone, enter the code they read back), then the answer — the case's stage, judge,
hearings and fee notices, as the portal shows them to a verified party (youjie/desk/casequery.py).

The code's id waits in the signed-in user's session for ten minutes, keyed by the request, so
that the second step needs no hidden field a form could forge. A refused step draws the request
page again with a 422 and the reason in Chinese.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from youjie.core.errors import ApplicationError, ValidationFailed
from youjie.core.models import Event
from youjie.desk import selectors, services
from youjie.desk.casequery import PartyCheckUnavailable, is_case_query, party_check
from youjie.desk.choices import ENDED_STATUSES
from youjie.desk.forms import CaseQueryCheckForm, CaseQueryCodeForm
from youjie.desk.models import ServiceRequest
from youjie.desk.permissions import can_act_on
from youjie.desk.views.common import put_field_errors, staff_user
from youjie.orgs.models import User

PENDING_KEY = "desk.case_query_codes"
PENDING_SECONDS = 10 * 60
PENDING_MAX = 10


@dataclass(frozen=True)
class PendingCode:
    code_id: int
    mobile_masked: str
    identity: str


def _pending_all(request: HttpRequest) -> dict[str, dict[str, Any]]:
    raw: Any = request.session.get(PENDING_KEY) or {}
    if not isinstance(raw, dict):
        return {}
    now = time.time()
    return {
        str(key): value
        for key, value in raw.items()
        if isinstance(value, dict)
        and isinstance(value.get("until"), int | float)
        and value["until"] > now
    }


def pending_get(request: HttpRequest, service_request: ServiceRequest) -> PendingCode | None:
    entry = _pending_all(request).get(str(service_request.pk))
    if entry is None:
        return None
    code_id, masked, identity = entry.get("code_id"), entry.get("mobile"), entry.get("identity")
    if not isinstance(code_id, int) or not isinstance(masked, str) or not isinstance(identity, str):
        return None
    return PendingCode(code_id=code_id, mobile_masked=masked, identity=identity)


def _pending_set(request: HttpRequest, service_request: ServiceRequest, sent: Any) -> None:
    entries = _pending_all(request)
    entries[str(service_request.pk)] = {
        "code_id": sent.code_id,
        "mobile": sent.mobile_masked,
        "identity": sent.identity,
        "until": time.time() + PENDING_SECONDS,
    }
    newest = sorted(entries.items(), key=lambda item: float(item[1]["until"]))[-PENDING_MAX:]
    request.session[PENDING_KEY] = dict(newest)


def _pending_clear(request: HttpRequest, service_request: ServiceRequest) -> None:
    entries = _pending_all(request)
    if entries.pop(str(service_request.pk), None) is not None or PENDING_KEY in request.session:
        request.session[PENDING_KEY] = entries


@dataclass
class CaseQuerySection:
    """What the request page shows of a 案件查询 (None on any other request)."""

    verification: Event | None
    answer: Any  # the portal's CaseProgress, once verified
    may_check: bool
    pending: PendingCode | None
    check_form: CaseQueryCheckForm
    code_form: CaseQueryCodeForm
    unavailable: str = ""


def case_query_section(
    request: HttpRequest,
    user: User,
    service_request: ServiceRequest,
    *,
    check_form: CaseQueryCheckForm | None = None,
    code_form: CaseQueryCodeForm | None = None,
) -> CaseQuerySection | None:
    if not is_case_query(service_request):
        return None
    verification = selectors.case_query_verification(service_request=service_request)
    answer: Any = None
    unavailable = ""
    court_case = service_request.related_case
    if verification is not None and court_case is not None:
        try:
            answer = party_check().progress(court_case=court_case)
        except PartyCheckUnavailable as exc:
            unavailable = exc.message
    return CaseQuerySection(
        verification=verification,
        answer=answer,
        may_check=verification is None
        and can_act_on(user, service_request)
        and service_request.status not in ENDED_STATUSES,
        pending=pending_get(request, service_request),
        check_form=check_form or CaseQueryCheckForm(auto_id="id_case_query_%s"),
        code_form=code_form or CaseQueryCodeForm(auto_id="id_case_query_code_%s"),
        unavailable=unavailable,
    )


def _refused(
    request: HttpRequest,
    user: User,
    service_request: ServiceRequest,
    error: ApplicationError,
    **forms: Any,
) -> HttpResponse:
    from youjie.desk.views.detail import render_detail  # the page is the request page

    status = error.status_code if error.status_code >= 400 else 422
    return render_detail(
        request, user, service_request, error=error, status=status, case_query_forms=forms
    )


@login_required
@require_POST
def case_query_check(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 1: the phone (and a lawyer's licence) against what is on file, then the code."""
    user = staff_user(request)
    service_request = selectors.service_request_get(user=user, pk=pk)  # 404 outside scope
    form = CaseQueryCheckForm(request.POST, auto_id="id_case_query_%s")
    if not form.is_valid():
        error: ApplicationError = ValidationFailed("身份核验：请检查填写内容")
        return _refused(request, user, service_request, error, check_form=form)
    data = form.cleaned_data
    try:
        sent = services.case_query_code_send(
            actor=user,
            service_request=service_request,
            mobile=data["mobile"],
            identity=data["identity"],
            lawyer_licence=data.get("lawyer_licence") or "",
        )
    except ApplicationError as exc:
        put_field_errors(form, exc, with_message=False)
        return _refused(request, user, service_request, exc, check_form=form)
    if sent.verified:
        _pending_clear(request, service_request)
        messages.success(
            request, f"已核验：{sent.mobile_masked} 为本案在案登记的号码，可以告知案件情况"
        )
    else:
        _pending_set(request, service_request, sent)
        messages.info(
            request, f"验证码已发送至 {sent.mobile_masked}，请来电人读出短信中的6位验证码"
        )
    return redirect("desk:detail", pk=service_request.pk)


@login_required
@require_POST
def case_query_code(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 2: the code the caller reads back."""
    user = staff_user(request)
    service_request = selectors.service_request_get(user=user, pk=pk)  # 404 outside scope
    form = CaseQueryCodeForm(request.POST, auto_id="id_case_query_code_%s")
    pending = pending_get(request, service_request)
    if pending is None:
        error: ApplicationError = ValidationFailed(
            "验证码已过期或尚未发送，请先发送验证码", code="code_not_sent"
        )
        return _refused(request, user, service_request, error, code_form=form)
    if not form.is_valid():
        error = ValidationFailed("身份核验：请检查验证码")
        return _refused(request, user, service_request, error, code_form=form)
    try:
        checked = services.case_query_code_verify(
            actor=user,
            service_request=service_request,
            code_id=pending.code_id,
            code=form.cleaned_data["code"],
            mobile_masked=pending.mobile_masked,
            identity=pending.identity,
        )
    except ApplicationError as exc:
        return _refused(request, user, service_request, exc, code_form=form)
    if checked.ok:
        _pending_clear(request, service_request)
        messages.success(request, "已核验：来电人为本案当事人，可以告知案件情况")
        return redirect("desk:detail", pk=service_request.pk)
    if checked.expired:
        _pending_clear(request, service_request)
        error = ValidationFailed(
            "验证码已失效或错误次数过多，请重新发送验证码", code="code_expired"
        )
        return _refused(request, user, service_request, error)
    message = f"验证码不正确，还可尝试{checked.attempts_left}次"
    form.add_error("code", message)
    error = ValidationFailed(message, code="code_wrong")
    return _refused(request, user, service_request, error, code_form=form)
