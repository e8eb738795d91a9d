"""Helpers shared by the desk's pages: the staff gate, list rows, form errors from services."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django_htmx.middleware import HtmxDetails

from youjie.core.errors import ApplicationError, PermissionDenied
from youjie.core.pagination import Page, paginate_with
from youjie.desk import selectors
from youjie.desk.models import ServiceRequest
from youjie.desk.permissions import can_manage_matter_types, is_desk_staff
from youjie.orgs.backends import signed_in_user
from youjie.orgs.choices import OrgKind
from youjie.orgs.models import OrgUnit, User
from youjie.orgs.scoping import court_of_user

PAGE_SIZE = 25


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def staff_user(request: HttpRequest) -> User:
    return signed_in_user(request)


def desk_staff(request: HttpRequest) -> User:
    """The signed-in user, if they work on the desk (office officers see figures, not content)."""
    user = staff_user(request)
    if not (is_desk_staff(user) or user.is_superuser):
        raise PermissionDenied("只有法院诉讼服务工作人员可以使用诉事速办")
    return user


def can_view_matter_types(user: User) -> bool:
    return is_desk_staff(user) or can_manage_matter_types(user)


def court_of(user: User) -> OrgUnit | None:
    return court_of_user(user)


def court_divisions(court: OrgUnit | None) -> QuerySet[OrgUnit]:
    if court is None:
        return OrgUnit.objects.none()
    return OrgUnit.objects.filter(
        kind=OrgKind.DIVISION, is_active=True, path__startswith=court.path
    ).order_by("path")


def division_options(court: OrgUnit | None) -> list[tuple[str, str]]:
    """(id as text, name) of ``court_divisions(court)`` for a select (ids as text: the
    template compares them with the chosen one, and Django localises every number it prints)."""
    if court is None:
        return []
    return [(str(pk), name) for pk, name in court_divisions(court).values_list("pk", "name")]


@dataclass(frozen=True)
class RequestRow:
    """One line of a queue, as ``desk/_request_table.html`` prints it: the request's values
    (``selectors.ROW_VALUES``), whether it is overdue right now and the name of its assignee.
    The template builds the markup (and the link) and escapes every value."""

    values: dict[str, Any]
    overdue: bool
    assignee: str


def _assignee_name(values: dict[str, Any]) -> str:
    """``User.get_full_name`` from the row's values."""
    if values["assignee__username"] is None:
        return ""
    full = f"{values['assignee__first_name']} {values['assignee__last_name']}".strip()
    return str(values["assignee__display_name"] or full or values["assignee__username"])


def request_rows(items: Iterable[dict[str, Any]], now: datetime | None = None) -> list[RequestRow]:
    now = now or timezone.now()
    rows = []
    for values in items:
        overdue = selectors.overdue_at(
            now,
            status=values["status"],
            completion_due=values["completion_due"],
            first_response_due=values["first_response_due"],
            first_responded_at=values["first_responded_at"],
        )
        rows.append(RequestRow(values, overdue, _assignee_name(values)))
    return rows


def page_of_requests(
    requests: QuerySet[ServiceRequest] | selectors.Listing, request: HttpRequest
) -> tuple[Page, list[RequestRow]]:
    if isinstance(requests, selectors.Listing):
        fetch = requests.rows
    else:
        rows = selectors.for_rows(requests)

        def fetch(offset: int, limit: int) -> list[dict[str, Any]]:
            return list(rows[offset : offset + limit])

    page = paginate_with(fetch, request.GET.get("page"), PAGE_SIZE)
    return page, request_rows(page.items)


def put_field_errors(
    form: forms.Form,
    error: ApplicationError,
    field_map: dict[str, str] | None = None,
    *,
    with_message: bool = True,
) -> None:
    """Show a service's message at the top of the form and its field errors beside the fields
    (errors about something the form has no field for join the message at the top)."""
    field_map = field_map or {}
    if with_message:
        form.add_error(None, error.message)
    for name, field_messages in error.fields.items():
        target: str | None = field_map.get(name, name)
        if target not in form.fields:
            target = None
        elif target in form.errors:
            continue
        for message in field_messages:
            form.add_error(target, message)


def query_string_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def context_base(request: HttpRequest, active: str, **extra: Any) -> dict[str, Any]:
    return {"active": active, "filters": query_string_without_page(request), **extra}
