"""The desk's lists: my queue, the division's, intake, overdue, supervised, deputies', search.

Each page fetches one page of 25 plus one row through a scoped selector (no COUNT(*)), and
computes the overdue badge per row with ``selectors.is_overdue``.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from youjie.core.errors import ValidationFailed
from youjie.desk import selectors
from youjie.desk.choices import RequestStatus
from youjie.desk.forms import DivisionFilterForm, PeriodForm, SearchForm
from youjie.desk.models import ServiceRequest
from youjie.desk.views.common import (
    HtmxHttpRequest,
    context_base,
    court_divisions,
    court_of,
    desk_staff,
    division_options,
    page_of_requests,
)
from youjie.desk.views.reports import priority_report
from youjie.orgs.choices import Role
from youjie.workdays.calendar import SHANGHAI

QUEUE_TEMPLATE = "desk/queue.html"


def _queue(
    request: HttpRequest,
    *,
    active: str,
    title: str,
    queryset: QuerySet[ServiceRequest] | selectors.Listing,
    **extra: object,
) -> HttpResponse:
    page, rows = page_of_requests(queryset, request)
    # Every name the template asks for is set: a missing one costs Django an exception.
    optional = {"intro": "", "division_filter": False, "period_form": None, "report": None}
    context = context_base(request, active, title=title, page=page, rows=rows, **(optional | extra))
    return render(request, QUEUE_TEMPLATE, context)


@login_required
@require_GET
def my_queue(request: HttpRequest) -> HttpResponse:
    user = desk_staff(request)
    return _queue(
        request,
        active="my_queue",
        title="我的待办",
        queryset=selectors.listing("my_queue", user, lambda: selectors.my_queue(user=user)),
        intro="分派给我、待我签收、以及我首接尚未移交的诉求。",
        empty="暂无待办诉求。",
    )


@login_required
@require_GET
def division_queue(request: HttpRequest) -> HttpResponse:
    user = desk_staff(request)
    court = court_of(user)
    division = None
    division_errors = None
    if request.GET.get("division"):  # the form (and its queryset) only for a chosen division
        form = DivisionFilterForm(request.GET, divisions=court_divisions(court))
        division = form.cleaned_data.get("division") if form.is_valid() else None
        division_errors = form.errors.get("division")
    division_id = division.pk if division is not None else user.org_unit_id
    title = f"本庭诉求 · {division.name}" if division is not None else "本庭诉求"
    return _queue(
        request,
        active="division_queue",
        title=title,
        queryset=selectors.division_listing(user=user, division_id=division_id),
        division_filter=True,
        division_errors=division_errors,
        division_options=division_options(court),
        division_selected=str(division.pk) if division is not None else "",
        intro="本庭室承办或待本庭室签收、尚未答复的诉求。",
        empty="本庭室暂无未办结诉求。",
    )


@login_required
@require_GET
def intake_queue(request: HttpRequest) -> HttpResponse:
    user = desk_staff(request)
    return _queue(
        request,
        active="intake_queue",
        title="待分派",
        queryset=selectors.listing("intake_queue", user, lambda: selectors.intake_queue(user=user)),
        intro="已登记、尚无人承办的诉求（网上、微信、未被签收退回的诉求）。",
        empty="暂无待分派诉求。",
    )


@login_required
@require_GET
def overdue(request: HttpRequest) -> HttpResponse:
    user = desk_staff(request)
    supervisor = user.has_role(Role.DIVISION_HEAD, Role.COURT_LEADER)
    return _queue(
        request,
        active="overdue",
        title="超期诉求",
        queryset=selectors.overdue_list(user=user),
        intro=(
            "本庭室（院）已超过首次回应或办结期限、仍在计时的诉求。超期只能通过答复、督办或中止计时等留痕操作解除。"
            if supervisor
            else "我承办或经手的已超期诉求。庭长、院领导可看到本庭室（院）全部超期诉求。"
        ),
        empty="没有超期诉求。",
    )


@login_required
@require_GET
def supervised(request: HttpRequest) -> HttpResponse:
    user = desk_staff(request)
    return _queue(
        request,
        active="supervised",
        title="督办诉求",
        queryset=selectors.listing(
            "supervised", user, lambda: selectors.supervised_list(user=user)
        ),
        intro="正在督办、尚未答复的诉求，按督办期限排列。",
        empty="没有督办中的诉求。",
    )


def _with_default_period(request: HttpRequest) -> QueryDict:
    """The period inputs show what is counted: this month so far unless the user chose."""
    data = request.GET.copy()
    today = timezone.localtime(timezone.now(), SHANGHAI).date()
    if not data.get("date_from"):
        data["date_from"] = today.replace(day=1).isoformat()
    if not data.get("date_to"):
        data["date_to"] = today.isoformat()
    return data


@login_required
@require_GET
def priority(request: HttpRequest) -> HttpResponse:
    user = desk_staff(request)
    requests = selectors.priority_list(user=user)
    period = PeriodForm(_with_default_period(request))
    report = None
    if period.is_valid():
        report = priority_report(
            requests,
            date_from=period.cleaned_data["date_from"],
            date_to=period.cleaned_data["date_to"],
        )
    return _queue(
        request,
        active="priority",
        title="代表委员诉求",
        queryset=requests,
        intro="人大代表、政协委员提出或经代表委员专线来电的诉求，时限减半、优先办理。",
        empty="暂无代表委员诉求。",
        period_form=period,
        report=report,
    )


def search_form_state(request: HttpRequest, form: SearchForm) -> tuple[object, ...]:
    """Everything the search form's markup depends on, as the key of its cached fragment: the
    values submitted for its fields (all of them, as the widgets read them), the matter types
    it offers and the fields in error (marked ``aria-invalid``)."""
    return (
        tuple((name, tuple(request.GET.getlist(name))) for name in form.fields),
        tuple(form.fields["matter_type"].choices),  # type: ignore[attr-defined]
        tuple(form.errors),
    )


@login_required
@require_GET
def search(request: HtmxHttpRequest) -> HttpResponse:
    user = desk_staff(request)
    form = SearchForm(request.GET)
    page = rows = None
    if form.is_valid():
        try:
            filters = form.filters()
            listing = selectors.search_listing(user=user, **filters)
            page, rows = page_of_requests(listing, request)
        except ValidationFailed as exc:
            form.add_error("q", exc.message)
    context = context_base(
        request,
        "search",
        form=form,
        form_state=search_form_state(request, form),
        page=page,
        rows=rows,
        statuses=RequestStatus,
    )
    template = "desk/search.html#results" if request.htmx else "desk/search.html"
    # htmx swaps only 2xx responses: the partial shows its errors with 200.
    status = 200 if form.is_valid() or request.htmx else 422
    return render(request, template, context, status=status)
