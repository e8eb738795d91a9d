"""The public pay page (码上缴费) and the payment provider's notify endpoint.

``/fees/pay/<token>/``: no login, phone-sized, on the portal's layout. The token in the address
(printed as a QR code on the notice and sent by SMS) opens one notice; the page shows it with
the payer's name and phone masked, what is due and by when, and a button that creates the order
at the provider and shows its QR code (a link on a phone). The status part polls (htmx) until
the payment is recorded — from the provider's notification, or from asking the provider (at most
every 10 seconds). ``relief/`` is the application for 缓交, 减交 or 免交. Each takes a slot of
the portal's rate limiter per address (views/__init__.py).

``/fees/notify/wechatpay/``: the provider's asynchronous notification. No session, no CSRF
token (the provider signs instead), a body of at most 64 KB; the answer is the provider's:
204 when accepted, 4xx with {"code": "FAIL", "message": …} when refused.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from youjie.core.errors import ApplicationError
from youjie.core.middleware import client_ip
from youjie.fees import selectors, services
from youjie.fees.choices import NoticeStatus, OrderStatus
from youjie.fees.forms import ReliefApplyForm
from youjie.fees.gateways import online_payment_enabled
from youjie.fees.models import FeeNotice, PaymentOrder
from youjie.fees.policy import PAY_RATE_LIMIT_RULE, RELIEF_RATE_LIMIT_RULE
from youjie.fees.views import HtmxHttpRequest, hotline, take_slot

PAGE_RULE = ORDER_RULE = PAY_RATE_LIMIT_RULE
RELIEF_RULE = RELIEF_RATE_LIMIT_RULE
NOTIFY_BODY_MAX = 64 * 1024


def qr_data_uri(text: str) -> str:
    """A QR code of ``text`` as an SVG data URI (the CSP allows data: images)."""
    import segno  # a worker loads it on first use (issue 11)

    return str(segno.make(text, error="m").svg_data_uri(scale=5, border=2))


def _limited(request: HttpRequest, *rules: str) -> HttpResponse | None:
    limited = take_slot(request, *rules)
    if limited is None:
        return None
    response = render(
        request,
        "portal/rate_limited.html",
        {"error": limited, "hotline": hotline()},
        status=429,
    )
    response["Retry-After"] = str(limited.retry_after)
    return response


def _context(notice: FeeNotice, token: str, **extra: Any) -> dict[str, Any]:
    order = selectors.open_order(notice=notice)
    return {
        "notice": notice,
        "token": token,
        "order": order,
        "order_qr": qr_data_uri(order.code_url) if order is not None and order.code_url else "",
        "online": online_payment_enabled(),
        "payable": notice.status == NoticeStatus.ISSUED and notice.outstanding > 0,
        "relief_pending": notice.relief_applications.filter(status="pending").exists(),
        "hotline": hotline(),
        **extra,
    }


@never_cache
@require_http_methods(["GET", "POST"])
def pay_page(request: HttpRequest, token: str) -> HttpResponse:
    notice = selectors.notice_by_token(token=token)  # 404 for any wrong token
    if request.method == "POST":
        if request.POST.get("action") != "pay":  # reads the body: a hostile one is refused
            context = _context(notice, token, error="请点击“立即缴费”按钮")
            return render(request, "fees/pay/page.html", context, status=400)
        if response := _limited(request, ORDER_RULE):
            return response
        try:
            services.payment_order_create(notice=notice)
        except ApplicationError as error:
            context = _context(notice, token, error=error.message)
            return render(request, "fees/pay/page.html", context, status=error.status_code)
        return redirect(reverse("fees:pay", args=[token]) + "#pay")
    if response := _limited(request, PAGE_RULE):
        return response
    return render(request, "fees/pay/page.html", _context(notice, token))


@never_cache
@require_GET
def pay_status(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """The status part of the pay page (htmx polls it every few seconds)."""
    notice = selectors.notice_by_token(token=token)
    if response := _limited(request, PAGE_RULE):
        return response
    order: PaymentOrder | None = selectors.open_order(notice=notice)
    error = ""
    if order is not None and order.status == OrderStatus.CREATED:
        try:
            services.payment_order_refresh(order=order)
        except ApplicationError as failure:
            error = failure.message
        notice.refresh_from_db()
    template = "fees/pay/page.html#status" if request.htmx else "fees/pay/page.html"
    context = _context(notice, token, error=error)
    # 286 tells htmx to stop polling: nothing is waiting for a payment any more.
    waiting = notice.status == NoticeStatus.ISSUED and context["order"] is not None
    return render(request, template, context, status=200 if waiting or not request.htmx else 286)


@never_cache
@require_http_methods(["GET", "POST"])
def relief_apply(request: HttpRequest, token: str) -> HttpResponse:
    notice = selectors.notice_by_token(token=token)
    if request.method == "POST":
        form = ReliefApplyForm(request.POST, request.FILES)
        if form.is_valid():
            if response := _limited(request, RELIEF_RULE):
                return response
            data = form.cleaned_data
            try:
                services.relief_apply(
                    notice=notice,
                    kind=data["kind"],
                    applicant_name=data["applicant_name"],
                    applicant_kind=data["applicant_kind"],
                    reasons=data["reasons"],
                    requested_percent=data.get("requested_percent"),
                    requested_until=data.get("requested_until"),
                    files=[data[name] for name in ("proof1", "proof2", "proof3") if data.get(name)],
                )
            except ApplicationError as error:
                for name, texts in error.fields.items():
                    target = name if name in form.fields else None
                    for text in texts:
                        form.add_error(target, text)
                if not error.fields:
                    form.add_error(None, error.message)
            else:
                messages.success(
                    request, "救助申请已提交，法院审查后将以短信告知结果；审查期间不计逾期。"
                )
                return redirect("fees:pay", token=token)
        context = _context(notice, token, form=form)
        return render(request, "fees/pay/relief.html", context, status=422)
    if response := _limited(request, PAGE_RULE):
        return response
    initial = {"applicant_name": notice.payer_name, "applicant_kind": notice.payer_kind}
    form = ReliefApplyForm(initial=initial)
    return render(request, "fees/pay/relief.html", _context(notice, token, form=form))


def _fail(message: str, status: int) -> HttpResponse:
    body = json.dumps({"code": "FAIL", "message": message}, ensure_ascii=False)
    return HttpResponse(body, status=status, content_type="application/json")


@csrf_exempt
@require_POST
def notify(request: HttpRequest, provider: str) -> HttpResponse:
    """The provider's asynchronous payment notification (see the module's docstring)."""
    if provider != "wechatpay" or not online_payment_enabled():
        return _fail("未开通该支付渠道", 404)
    length = request.META.get("CONTENT_LENGTH") or "0"
    if not length.isdigit() or int(length) > NOTIFY_BODY_MAX:
        return _fail("报文过大", 413)
    result = services.payment_notification_receive(
        headers=request.headers, body=request.body, remote_address=client_ip(request)
    )
    answer = result.response
    return HttpResponse(answer.body, status=answer.status, content_type=answer.content_type)
