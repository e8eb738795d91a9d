"""Helpers shared by the desk's pages: the staff gate, list rows, form errors from services."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from html import escape
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django_htmx.middleware import HtmxDetails

from youjie.core.compiled import values_rows
from youjie.core.errors import ApplicationError, PermissionDenied
from youjie.core.pagination import Page, paginate_with
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


def division_options(court: OrgUnit | None) -> list[tuple[str, str]]:
    """(id as text, name) of ``court_divisions(court)`` for a select; the statement compiled
    once per court (ids as text: Django localises every number a template prints)."""
    if court is None:
        return []
    rows = values_rows(
        OrgUnit,
        ("court_divisions", court.path),
        lambda: court_divisions(court).values("pk", "name"),
        offset=0,
        limit=1000,
    )
    return [(str(row["pk"]), row["name"]) for row in rows]


@dataclass(frozen=True)
class RequestRow:
    """One line of a queue: the request's values (``selectors.ROW_VALUES``), whether it is
    overdue right now, its address and its HTML.

    The row is rendered here rather than in a template: a list page prints 25 rows of ~20
    values each, and Django's template engine spent more on them than on the rest of the page.
    Every value from the database is escaped (``html.escape``, quotes included) as the template
    did; the badges are this module's own markup."""

    values: dict[str, Any]
    overdue: bool
    url: str
    html: SafeString


_PK_PLACEHOLDER = 2147483647

_ROW = (
    '<tr><td class="number"><a href="{url}">{number}</a></td>'
    '<td><a class="request-title" href="{url}">{title}</a>{priority}{supervised}'
    '<div class="muted">{division}{assignee}</div></td>'
    '<td class="wide-only">{requester}<div class="muted">{mobile}</div></td>'
    '<td class="wide-only">{matter_type}</td>'
    "<td>{status}</td>"
    '<td><span class="muted">回应</span> {first_response_due}<br>'
    '<span class="muted">办结</span> {completion_due}{overdue}</td>'
    '<td class="wide-only">{repeat}</td></tr>\n'
)
_SUPERVISED = ' <span class="badge orange">督办</span>'
_OVERDUE = '<br><span class="badge red">已超期</span>'


def _assignee_name(values: dict[str, Any]) -> str:
    """``User.get_full_name`` from the row's values."""
    if values["assignee__username"] is None:
        return ""
    full = f"{values['assignee__first_name']} {values['assignee__last_name']}".strip()
    return values["assignee__display_name"] or full or values["assignee__username"]


def _repeat_cell(values: dict[str, Any]) -> str:
    if values["repeat_count"]:
        return f'<span class="badge orange">{int(values["repeat_count"])} 次</span>'
    return '<span class="badge">重复</span>' if values["repeat_of_id"] else "—"


def _row_html(values: dict[str, Any], url: str, overdue: bool) -> SafeString:
    assignee = _assignee_name(values)
    # Every interpolated value below is escaped or is markup built here.
    return mark_safe(  # noqa: S308
        _ROW.format(
            url=escape(url),
            number=escape(values["number"]),
            title=escape(values["title"]),
            priority=desk_tags.priority_badge(values["priority"]),
            supervised=_SUPERVISED if values["is_supervised"] else "",
            division=escape(values["division__name"] or "未分派"),
            assignee=f" · {escape(assignee)}" if assignee else "",
            requester=escape(values["requester_name"]),
            mobile=escape(values["requester_mobile_masked"] or "未留电话"),
            matter_type=escape(values["matter_type__name"]),
            status=desk_tags.status_badge(values["status"]),
            first_response_due=desk_tags.local_time(values["first_response_due"]),
            completion_due=desk_tags.local_time(values["completion_due"]),
            overdue=_OVERDUE if overdue else "",
            repeat=_repeat_cell(values),
        )
    )


def request_rows(items: Iterable[dict[str, Any]], now: datetime | None = None) -> list[RequestRow]:
    now = now or timezone.now()
    # One reverse() for the page, not two per row.
    detail_url = reverse("desk:detail", args=[_PK_PLACEHOLDER]).replace(str(_PK_PLACEHOLDER), "{}")
    rows = []
    for values in items:
        url = detail_url.format(values["id"])
        overdue = selectors.overdue_at(
            now,
            status=values["status"],
            completion_due=values["completion_due"],
            first_response_due=values["first_response_due"],
            first_responded_at=values["first_responded_at"],
        )
        rows.append(RequestRow(values, overdue, url, _row_html(values, url, overdue)))
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
