"""The staff pages of fee notices (诉讼费): the court's list with its filters and the refunds due
soon, issuing a notice on a court case (the calculator's lines with their articles shown before
issuing), the notice with its payments, refunds and relief applications and their forms, the
printable notice with its QR code, and the audited showing of the payer's phone.

Each POST view checks the rule, calls one service and redirects; a refused form is drawn again
on the notice page with a 422 and the reason in Chinese. What a user sees is their scope
(youjie/fees/scopes.py): another court's notice is a 404.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from youjie.core.errors import ApplicationError, PermissionDenied
from youjie.core.pagination import paginate
from youjie.courtcases.selectors import court_case_get
from youjie.fees import selectors, services
from youjie.fees.choices import NoticeStatus, RefundMethod, RefundStatus, ReliefStatus
from youjie.fees.forms import (
    CancelForm,
    CaseLookupForm,
    CounterPaymentForm,
    NoticeFilterForm,
    NoticeIssueForm,
    RefundForm,
    ReliefDecisionForm,
)
from youjie.fees.models import FeeNotice
from youjie.fees.permissions import (
    can_cancel_notice,
    can_confirm_counter,
    can_decide_relief,
    can_issue_notice,
    can_request_refund,
    can_view_payer_phone,
    may_see_fees,
)
from youjie.fees.services.payments import PAYABLE
from youjie.fees.views.pay import qr_data_uri
from youjie.orgs.backends import signed_in_user
from youjie.orgs.models import User

PAGE_SIZE = 25


def fees_user(request: HttpRequest) -> User:
    user = signed_in_user(request)
    if not may_see_fees(user):
        raise PermissionDenied("只有法院立案、审判人员和院庭领导可以使用诉讼费页面")
    return user


def put_errors(form: forms.Form, error: ApplicationError) -> None:
    """A service's field errors beside the form's fields; the rest on top."""
    placed = False
    for name, texts in error.fields.items():
        target = name if name in form.fields else None
        for text in texts:
            form.add_error(target, text)
            placed = True
    if not placed:
        form.add_error(None, error.message)


# --- the list ---------------------------------------------------------------------------------


@login_required
@require_GET
def notice_list(request: HttpRequest) -> HttpResponse:
    user = fees_user(request)
    lookup = CaseLookupForm(request.GET if "case_number" in request.GET else None)
    lookup_error = ""
    if lookup.is_bound and lookup.is_valid():
        try:
            court_case = court_case_get(user=user, case_number=lookup.cleaned_data["case_number"])
        except ApplicationError as error:
            lookup_error = error.message if error.status_code != 404 else "未找到该案件或无权查看"
        else:
            return redirect("fees:notice_issue", case_pk=court_case.pk)
    form = NoticeFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    notices = selectors.notice_list(
        user=user, state=filters.get("state") or "", search=filters.get("q") or ""
    )
    page = paginate(notices, page=request.GET.get("page"), size=PAGE_SIZE)
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "form": form,
        "lookup": lookup,
        "lookup_error": lookup_error,
        "page": page,
        "filters": params.urlencode(),
        "refunds_soon": list(selectors.refunds_due_soon(user=user)[:50]),
        "counts": selectors.notice_counts(user=user),
        "may_issue": can_issue_notice(user),
    }
    status = 422 if lookup.is_bound and (lookup.errors or lookup_error) else 200
    return render(request, "fees/notices/list.html", context, status=status)


# --- issuing ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def notice_issue(request: HttpRequest, case_pk: int) -> HttpResponse:
    user = fees_user(request)
    court_case = court_case_get(user=user, pk=case_pk)  # 404 outside the user's scope
    if not can_issue_notice(user):
        raise PermissionDenied("只有本院立案、审判人员可以开具缴费通知书")
    form = NoticeIssueForm(request.POST or None, court_case=court_case)
    context: dict[str, Any] = {
        "court_case": court_case,
        "form": form,
        "preview": None,
        "existing": list(selectors.notice_list(user=user, court_case_id=court_case.pk)[:20]),
    }
    if request.method != "POST":
        return render(request, "fees/notices/issue.html", context)
    if form.is_valid():
        data = form.cleaned_data
        notice_input = services.NoticeInput(
            fee_kind=data["fee_kind"],
            amount=form.amount_value,
            procedure=data["procedure"],
            administrative_subject=data.get("administrative_subject") or "other",
            party=data.get("party"),
            payer_name=data.get("payer_name") or "",
            payer_role=data.get("payer_role") or "",
            payer_kind=data.get("payer_kind") or "person",
            payer_phone=data.get("payer_phone") or "",
        )
        try:
            if not data.get("confirm"):
                context["preview"] = services.notice_preview(data=notice_input)
                return render(request, "fees/notices/issue.html", context)
            notice, _created = services.notice_issue(
                actor=user, court_case=court_case, data=notice_input
            )
        except ApplicationError as error:
            put_errors(form, error)
        else:
            messages.success(request, f"已开具缴费通知书 {notice.number}")
            return redirect("fees:notice_detail", pk=notice.pk)
    return render(request, "fees/notices/issue.html", context, status=422)


# --- the notice -------------------------------------------------------------------------------


def _detail_context(user: User, notice: FeeNotice, **forms_given: Any) -> dict[str, Any]:
    detail = selectors.notice_detail(user=user, notice=notice)
    payable = notice.status in PAYABLE or notice.status == NoticeStatus.OVERDUE
    paid = notice.status == NoticeStatus.PAID
    counter = forms_given.get("counter") or CounterPaymentForm(
        initial={"amount": notice.outstanding}, auto_id="id_counter_%s"
    )
    refund = forms_given.get("refund") or RefundForm(auto_id="id_refund_%s")
    cancel = forms_given.get("cancel") or CancelForm(auto_id="id_cancel_%s")
    decisions = {
        relief.pk: (
            forms_given.get("decision")
            if forms_given.get("decision_for") == relief.pk
            else ReliefDecisionForm(auto_id=f"id_relief{relief.pk}_%s")
        )
        for relief in detail.reliefs
        if relief.status == ReliefStatus.PENDING
    }
    return {
        "notice": notice,
        "detail": detail,
        "counter_form": counter if payable and can_confirm_counter(user) else None,
        "refund_form": refund if paid and can_request_refund(user) else None,
        "cancel_form": cancel if payable and can_cancel_notice(user) else None,
        "decision_forms": decisions if can_decide_relief(user) else {},
        "may_view_phone": can_view_payer_phone(user) and bool(notice.payer_phone_encrypted),
        "refundable": services.refundable(notice) if paid else None,
        "open_action": forms_given.get("open_action", ""),
        "RefundStatus": RefundStatus,
        "RefundMethod": RefundMethod,
    }


@login_required
@require_GET
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = fees_user(request)
    notice = selectors.notice_get(user=user, pk=pk)
    return render(request, "fees/notices/detail.html", _detail_context(user, notice))


@login_required
@require_GET
def notice_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The notice as printed and handed or posted to the payer, with the pay page's QR code."""
    user = fees_user(request)
    notice = selectors.notice_get(user=user, pk=pk)
    link = services.public_link(services.pay_path(services.notice_token(notice)))
    context = {"notice": notice, "pay_link": link, "qr": qr_data_uri(link)}
    return render(request, "fees/notices/print.html", context)


@login_required
@require_POST
def notice_phone(request: HttpRequest, pk: int) -> HttpResponse:
    """The payer's full phone number (audited: selectors.payer_phone_reveal)."""
    user = fees_user(request)
    notice = selectors.notice_get(user=user, pk=pk)
    phone = selectors.payer_phone_reveal(user=user, notice=notice)
    template = "fees/notices/detail.html#phone" if request.headers.get("HX-Request") else None
    if template:
        return render(request, template, {"notice": notice, "phone": phone})
    context = _detail_context(user, notice)
    context["phone"] = phone
    return render(request, "fees/notices/detail.html", context)


def _refused(
    request: HttpRequest, user: User, notice: FeeNotice, **forms_given: Any
) -> HttpResponse:
    context = _detail_context(user, notice, **forms_given)
    return render(request, "fees/notices/detail.html", context, status=422)


@login_required
@require_POST
def counter_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    user = fees_user(request)
    notice = selectors.notice_get(user=user, pk=pk)
    form = CounterPaymentForm(request.POST, auto_id="id_counter_%s")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.counter_payment_confirm(
                actor=user,
                notice=notice,
                amount=data["amount"],
                receipt_number=data["receipt_number"],
                paid_on=data["paid_on"],
                note=data.get("note") or "",
            )
        except ApplicationError as error:
            if error.status_code == 403:
                raise
            put_errors(form, error)
        else:
            messages.success(request, "已确认窗口缴费")
            return redirect("fees:notice_detail", pk=notice.pk)
    return _refused(request, user, notice, counter=form, open_action="counter")


@login_required
@require_POST
def refund_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = fees_user(request)
    notice = selectors.notice_get(user=user, pk=pk)
    form = RefundForm(request.POST, auto_id="id_refund_%s")
    if form.is_valid():
        data = form.cleaned_data
        try:
            refund = services.refund_request(
                actor=user,
                notice=notice,
                amount=data["amount"],
                reason=data["reason"],
                effective_on=data["effective_on"],
                note=data.get("note") or "",
                bank_reference=data.get("bank_reference") or "",
            )
        except ApplicationError as error:
            if error.status_code == 403:
                raise
            put_errors(form, error)
        else:
            if refund.status == RefundStatus.SUCCEEDED:
                messages.success(request, f"已退费 {refund.amount:,.2f} 元")
            else:
                messages.warning(
                    request, f"退费已提交支付渠道，尚未完成：{refund.failure_reason or '处理中'}"
                )
            return redirect("fees:notice_detail", pk=notice.pk)
    return _refused(request, user, notice, refund=form, open_action="refund")


@login_required
@require_POST
def notice_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    user = fees_user(request)
    notice = selectors.notice_get(user=user, pk=pk)
    form = CancelForm(request.POST, auto_id="id_cancel_%s")
    if form.is_valid():
        try:
            services.notice_cancel(actor=user, notice=notice, reason=form.cleaned_data["reason"])
        except ApplicationError as error:
            if error.status_code == 403:
                raise
            put_errors(form, error)
        else:
            messages.success(request, "已撤销缴费通知书")
            return redirect("fees:notice_detail", pk=notice.pk)
    return _refused(request, user, notice, cancel=form, open_action="cancel")


@login_required
@require_POST
def relief_decide(request: HttpRequest, pk: int) -> HttpResponse:
    user = fees_user(request)
    application = selectors.relief_get(user=user, pk=pk)
    notice = selectors.notice_get(user=user, pk=application.notice_id)
    form = ReliefDecisionForm(request.POST, auto_id=f"id_relief{application.pk}_%s")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.relief_decide(
                actor=user,
                application=application,
                grant=data["decision"] == "grant",
                reasons=data.get("reasons") or "",
                percent=data.get("percent"),
                until=data.get("until"),
            )
        except ApplicationError as error:
            if error.status_code == 403:
                raise
            put_errors(form, error)
        else:
            messages.success(request, "已作出决定")
            return redirect("fees:notice_detail", pk=notice.pk)
    return _refused(
        request, user, notice, decision=form, decision_for=application.pk, open_action="relief"
    )


@login_required
@require_GET
def relief_file(request: HttpRequest, pk: int, file_pk: int) -> FileResponse:
    """A proof attached to a relief application, for those who see its notice."""
    user = fees_user(request)
    application = selectors.relief_get(user=user, pk=pk)
    attachment = application.attachments.filter(pk=file_pk).first() if file_pk < 2**31 else None
    if attachment is None:
        raise Http404("附件不存在")
    response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=True, filename=attachment.original_name)
        or "attachment"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def refund_refresh(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask the provider again what became of a refund still under way."""
    user = fees_user(request)
    refund = selectors.refund_get(user=user, pk=pk)
    if not can_request_refund(user):
        raise PermissionDenied("只有立案庭工作人员、法官或院领导可以办理退费")
    try:
        refund = services.refund_refresh(refund=refund)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.info(request, f"退费状态：{refund.get_status_display()}")
    return redirect("fees:notice_detail", pk=refund.notice_id)
