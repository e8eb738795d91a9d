"""The fee pages, one module per subject: the public calculator (here), the public pay page and
the provider's notify endpoint (``pay``), the staff pages of fee notices (``notices``) and of
reconciliation (``reconciliations``).

The portal's rate limiter (the one limiter for anonymous callers) and its hotline are imported
in this module only — the one module of the fees pages that the import contract lets import the
portal (pyproject.toml, ``ignore_imports``: "youjie.fees.views -> youjie.portal.*"); the public
pages in ``pay`` take them from here (``take_slot``, ``hotline``).

The calculator (/fees/): no login, on the portal's layout. A GET form, so that a result is a
link and the back button works; htmx swaps the result in place. Bad input is a 422 with the
reason in Chinese; past the rate limit a 429 (the portal's limiter, per address).
"""

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


def hotline() -> str:
    return portal_hotline()


def take_slot(request: HttpRequest, *rules: str) -> RateLimited | None:
    """Take a slot of each of the portal's rate-limit ``rules`` for the client's address; the
    refusal (429, with its Retry-After) when one is full."""
    address = client_ip(request) or "unknown"
    try:
        rate_limit_consume(checks=[(rule, address) for rule in rules])
    except RateLimited as error:
        return error
    return None


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
        limited = take_slot(request, RATE_LIMIT_RULE)
        if limited is None:
            context["estimate"] = form.result
        else:
            context["rate_limited"], status, retry_after = limited, 429, limited.retry_after
    template = "fees/calculator.html#result" if request.htmx else "fees/calculator.html"
    response = render(request, template, context, status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response
