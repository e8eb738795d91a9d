"""People pages: search, registration, the dossier (一人一档), revealing full data, enterprises.

Views stay thin: they parse input, fetch through the scoped ``access_*`` selectors (404 outside
scope), call one service or selector and render. ApplicationError (403, 404 …) is mapped to a
page by core's middleware.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.middleware import HtmxDetails

from youjie.core.errors import NotFound, ValidationFailed
from youjie.core.pagination import paginate
from youjie.orgs.models import User
from youjie.people import selectors, services
from youjie.people.forms import EnterpriseForm, PersonForm, SearchForm
from youjie.people.selectors import (
    QUERY_KIND_LABELS,
    DuplicateOffer,
    QueryKind,
    timeline_entries,
)
from youjie.people.validators import resident_id_warnings

SEARCH_PAGE_SIZE = 25


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def _staff(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User), "login_required guarantees an authenticated staff user"
    return user


def _put_field_errors(form: forms.Form, error: ValidationFailed) -> None:
    """Show the service's field errors next to the fields they name."""
    for field, field_messages in error.fields.items():
        target = field if field in form.fields else None
        for message in field_messages:
            form.add_error(target, message)
    if not error.fields:
        form.add_error(None, error.message)


@login_required
@require_http_methods(["GET", "POST"])
def search(request: HtmxHttpRequest) -> HttpResponse:
    """The search box posts, so that ID and phone numbers stay out of URLs, browser history
    and access logs; GET serves the first visit and the page links of name searches."""
    user = _staff(request)
    form = SearchForm(request.POST if request.method == "POST" else request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    kind, _ = selectors.classify_person_query(query)
    page = None
    if form.is_valid():
        persons = selectors.person_search_queryset(user=user, query=query)
        page = paginate(persons, page=form.data.get("page"), size=SEARCH_PAGE_SIZE)
    context = {
        "form": form,
        "query": query,
        "kind": kind,
        "kind_label": QUERY_KIND_LABELS[kind],
        "invalid_number": kind is QueryKind.INVALID_NUMBER,
        "paged_by_link": kind in (QueryKind.NAME, QueryKind.EMPTY),
        "page": page,
    }
    template = "people/search.html#results" if request.htmx else "people/search.html"
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    initial = {"region": user.org_unit.region_id if user.org_unit else None}
    form = PersonForm(request.POST if request.method == "POST" else None, initial=initial)
    duplicates: list[DuplicateOffer] = []
    duplicate_match = ""
    duplicate_message = ""
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(actor=user, **form.service_kwargs())
        except ValidationFailed as exc:
            _put_field_errors(form, exc)
        except services.DuplicatePerson as exc:
            duplicates = selectors.duplicate_offers(user=user, person_ids=exc.person_ids)
            duplicate_match = exc.match
            duplicate_message = exc.message
        else:
            messages.success(request, f"已登记：{person.name}")
            for warning in resident_id_warnings(form.cleaned_data["id_number"]):
                messages.warning(request, warning)  # accepted: a remark to check, not an error
            return redirect("people:dossier", pk=person.pk)
    context = {
        "form": form,
        "duplicates": duplicates,
        "duplicate_match": duplicate_match,
        "duplicate_message": duplicate_message,
        "show_allow_same_phone": duplicate_match == "phone"
        or bool(request.POST.get("allow_same_phone")),
    }
    return render(request, "people/create.html", context)


@login_required
@require_GET
def dossier(request: HttpRequest, pk: int) -> HttpResponse:
    user = _staff(request)
    person = selectors.access_person(user=user, person_id=pk)
    return render(
        request, "people/dossier.html", {"dossier": selectors.dossier_for(user=user, person=person)}
    )


@login_required
@require_POST
def reveal(request: HtmxHttpRequest, pk: int, field: str) -> HttpResponse:
    user = _staff(request)
    person = selectors.access_person(user=user, person_id=pk)
    phone = None
    if field == "phone" and request.POST.get("phone_id"):
        try:
            phone = person.phones.get(pk=int(request.POST["phone_id"]))
        except (ValueError, person.phones.model.DoesNotExist):
            raise NotFound("没有这一号码") from None
    value = selectors.person_reveal(user=user, person=person, field=field, phone=phone)
    context = {"person": person, "field": field, "value": value, "phone": phone}
    template = "people/reveal.html#revealed" if request.htmx else "people/reveal.html"
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def enterprise_create(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    initial = {"region": user.org_unit.region_id if user.org_unit else None}
    form = EnterpriseForm(request.POST if request.method == "POST" else None, initial=initial)
    existing = None
    if request.method == "POST" and form.is_valid():
        try:
            enterprise = services.enterprise_create(actor=user, **form.service_kwargs())
        except ValidationFailed as exc:
            _put_field_errors(form, exc)
        except services.DuplicateEnterprise as exc:
            form.add_error("uscc", exc.message)
            existing = (
                selectors.visible_enterprises(user=user).filter(pk__in=exc.enterprise_ids).first()
            )
        else:
            messages.success(request, f"已登记企业：{enterprise.name}")
            return redirect("people:enterprise_detail", pk=enterprise.pk)
    return render(request, "people/enterprise_create.html", {"form": form, "existing": existing})


@login_required
@require_GET
def enterprise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _staff(request)
    enterprise = selectors.access_enterprise(user=user, enterprise_id=pk)
    context = {"enterprise": enterprise, "events": timeline_entries(enterprise)}
    return render(request, "people/enterprise_detail.html", context)
