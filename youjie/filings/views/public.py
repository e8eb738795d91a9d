"""The public filing pages (no login), phone-sized on the portal's layout: 网上立案 for parties
and lawyers, its done page with the number, and the supplement page (补正).

Each POST goes: form shape + the portal's form guard (a signed, single-use token against
double submission) → the portal's rate limiter → one filings service → redirect. Bad input
re-renders the form with Chinese messages (422) and writes nothing.

The supplement page checks the filing's number, the submitter's phone and the one-time code sent
in the supplement notice (stored hashed): the portal's SMS-code machinery is bound to desk
requests and cannot be reused without editing the portal.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from youjie.core.errors import ApplicationError, NotFound
from youjie.core.middleware import client_ip
from youjie.filings import selectors, services
from youjie.filings.choices import FilingChannel
from youjie.filings.forms import ApplyForm, SupplementForm, party_formset
from youjie.filings.forms.fields import BasePartyFormSet
from youjie.filings.views.common import put_errors
from youjie.portal.formguard import form_token_issue
from youjie.portal.selectors import portal_hotline
from youjie.portal.services import RateLimited, rate_limit_consume

NUMBER_PATTERN = re.compile(r"^网立\d{4}-\d{6}$")
SUBMITTED_KEY = "filings.submitted"
SUPPLEMENTED_KEY = "filings.supplemented"
View = Callable[..., HttpResponse]


def public_page(view: View) -> View:
    """Errors with the portal's templates; 429 carries Retry-After."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except RateLimited as error:
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
        request, template, {"hotline": portal_hotline(), **(context or {})}, status=status
    )


def _ip(request: HttpRequest) -> str:
    return client_ip(request) or "unknown"


def _status(form: ApplyForm | SupplementForm, status: int | None) -> int:
    if status is not None:
        return status
    return 200 if not form.is_bound else (400 if form.rejected else 422)


def _render_apply(
    request: HttpRequest,
    form: ApplyForm,
    formset: BasePartyFormSet,
    status: int | None = None,
    error: ApplicationError | None = None,
) -> HttpResponse:
    context = {
        "form": form,
        "formset": formset,
        "form_token": form_token_issue(ApplyForm.form_name),
        "error": error,
    }
    return _render(request, "filings/apply.html", context, status=_status(form, status))


@never_cache
@require_http_methods(["GET", "POST"])
@public_page
def apply(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _render_apply(request, ApplyForm(), party_formset())
    form = ApplyForm(request.POST, request.FILES)
    formset = party_formset(request.POST)
    if not (form.is_valid() & formset.is_valid()):
        return _render_apply(request, form, formset, status=None if form.errors else 422)
    data = form.cleaned_data
    rate_limit_consume(
        checks=[("submit_ip", _ip(request)), ("submit_mobile", data["submitter_phone"])]
    )
    materials, names = form.material_inputs()
    try:
        filing, _created = services.filing_submit(
            actor=None,
            data=services.FilingInput(
                receiving_court=data["receiving_court"],
                competent_court=data["competent_court"],
                case_kind=data["case_kind"],
                procedure=data["procedure"],
                cause=data["cause"],
                claims=data["claims"],
                amount=data.get("amount") or None,
                currency=data["currency"],
                facts_and_reasons=data["facts_and_reasons"],
                submitter_kind=data["submitter_kind"],
                submitter_name=data["submitter_name"],
                submitter_phone=data["submitter_phone"],
                lawyer_licence_number=data.get("lawyer_licence_number") or "",
                law_firm=data.get("law_firm") or "",
                mediation_consent=bool(data.get("mediation_consent")),
                parties=formset.party_inputs(),
                materials=materials,
                channel=FilingChannel.PORTAL,
            ),
        )
    except ApplicationError as error:
        if isinstance(error, RateLimited):
            raise
        put_errors(form, error, names, formset)
        return _render_apply(request, form, formset, status=error.status_code, error=error)
    request.session[SUBMITTED_KEY] = filing.number
    return redirect("filings:apply_done")


@never_cache
@require_GET
@public_page
def apply_done(request: HttpRequest) -> HttpResponse:
    number = request.session.get(SUBMITTED_KEY)
    if not isinstance(number, str):
        raise NotFound("没有刚提交的立案申请")
    return _render(request, "filings/apply_done.html", {"number": number})


def _render_supplement(
    request: HttpRequest,
    number: str,
    form: SupplementForm,
    status: int | None = None,
    error: ApplicationError | None = None,
) -> HttpResponse:
    context = {
        "form": form,
        "number": number,
        "form_token": form_token_issue(SupplementForm.form_name),
        "error": error,
    }
    return _render(request, "filings/supplement.html", context, status=_status(form, status))


@never_cache
@require_http_methods(["GET", "POST"])
@public_page
def supplement(request: HttpRequest, number: str) -> HttpResponse:
    if not NUMBER_PATTERN.match(number):
        raise NotFound("立案申请编号格式不正确")
    if request.method != "POST":
        return _render_supplement(request, number, SupplementForm())
    form = SupplementForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_supplement(request, number, form)
    # Every well-formed attempt is counted, per address and per number: guessing the code of a
    # known number runs into the limit whatever the address.
    rate_limit_consume(checks=[("track_ip", _ip(request)), ("track_number", number)])
    materials, names = form.material_inputs()
    try:
        filing = selectors.filing_for_supplement(
            number=number, mobile=form.cleaned_data["mobile"], code=form.cleaned_data["code"]
        )
        services.filing_supplement_provide(
            filing=filing, materials=materials, note=form.cleaned_data.get("note") or ""
        )
    except ApplicationError as error:
        if isinstance(error, RateLimited):
            raise
        put_errors(form, error, names)
        status = 422 if isinstance(error, NotFound) else error.status_code
        return _render_supplement(request, number, form, status=status, error=error)
    request.session[SUPPLEMENTED_KEY] = number
    return redirect("filings:supplement_done", number=number)


@never_cache
@require_GET
@public_page
def supplement_done(request: HttpRequest, number: str) -> HttpResponse:
    if request.session.get(SUPPLEMENTED_KEY) != number:
        raise NotFound("没有刚提交的补正材料")
    return _render(request, "filings/supplement_done.html", {"number": number})
