"""Helpers shared by the desk's pages: the staff gate, list rows, form errors from services."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django_htmx.middleware import HtmxDetails

from youjie.core.errors import ApplicationError, PermissionDenied
from youjie.core.pagination import Page, paginate
from youjie.desk import selectors
from youjie.desk.models import ServiceRequest
from youjie.desk.permissions import can_manage_matter_types, is_desk_staff
from youjie.desk.templatetags import desk_tags
from youjie.orgs.choices import OrgKind
from youjie.orgs.models import OrgUnit, User
from youjie.orgs.scoping import court_of_user

PAGE_SIZE = 25


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def staff_user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User), "login_required guarantees an authenticated user"
    return user


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


@dataclass(frozen=True)
class RequestRow:
    """One line of a queue: the request, whether it is overdue right now, and what the row
    shows ready-made (link, badges, local times) so that the template only prints them."""

    service_request: ServiceRequest
    overdue: bool
    url: str
    status_badge: SafeString
    priority_badge: SafeString
    first_response_due: str
    completion_due: str


_PK_PLACEHOLDER = 2147483647


def request_rows(items: Iterable[ServiceRequest], now: datetime | None = None) -> list[RequestRow]:
    now = now or timezone.now()
    # One reverse() for the page, not two per row.
    detail_url = reverse("desk:detail", args=[_PK_PLACEHOLDER]).replace(str(_PK_PLACEHOLDER), "{}")
    return [
        RequestRow(
            item,
            selectors.is_overdue(item, now),
            url=detail_url.format(item.pk),
            status_badge=desk_tags.status_badge(item.status),
            priority_badge=desk_tags.priority_badge(item.priority),
            first_response_due=desk_tags.local_time(item.first_response_due),
            completion_due=desk_tags.local_time(item.completion_due),
        )
        for item in items
    ]


def page_of_requests(
    queryset: QuerySet[ServiceRequest], request: HttpRequest
) -> tuple[Page, list[RequestRow]]:
    page = paginate(selectors.for_rows(queryset), page=request.GET.get("page"), size=PAGE_SIZE)
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
