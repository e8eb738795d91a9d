"""The public fee calculator (/fees/): no login, on the portal's layout. A GET form, so that a
result is a link and the back button works; htmx swaps the result in place. Bad input is a 422
with the reason in Chinese; past the rate limit a 429 (the portal's limiter, per address)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers
from django_htmx.middleware import HtmxDetails

from youjie.core.middleware import client_ip
from youjie.fees.forms import FeeEstimateForm
from youjie.fees.policy import RATE_LIMIT_RULE, fees_policy
from youjie.portal.selectors import portal_hotline
from youjie.portal.services import RateLimited, rate_limit_consume


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


@require_GET
@vary_on_headers("HX-Request")  # the same address answers a page or its result partial
def calculator(request: HtmxHttpRequest) -> HttpResponse:
    bound = "kind" in request.GET  # other parameters (a campaign tag …) do not submit it
    form = FeeEstimateForm(request.GET if bound else None, policy=fees_policy())
    context: dict[str, Any] = {"form": form, "estimate": None, "hotline": portal_hotline()}
    status, retry_after = 200, 0
    if bound and not form.is_valid():
        status = 422
    elif bound:
        try:
            rate_limit_consume(checks=[(RATE_LIMIT_RULE, client_ip(request) or "unknown")])
            context["estimate"] = form.result
        except RateLimited as error:
            context["rate_limited"], status, retry_after = error, 429, error.retry_after
    template = "fees/calculator.html#result" if request.htmx else "fees/calculator.html"
    response = render(request, template, context, status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response
