"""Calendar pages: the year list with a deadline calculator, a year's month grid, the editor."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from youjie.core.errors import ValidationFailed
from youjie.core.viewers import StaffUser
from youjie.workdays.calendar import DeadlineInfo, deadline_info
from youjie.workdays.forms import CalendarYearForm, DeadlineCalculatorForm
from youjie.workdays.models import YEAR_MAX, YEAR_MIN
from youjie.workdays.parsing import format_notice_dates
from youjie.workdays.permissions import can_edit_calendar
from youjie.workdays.selectors import (
    FIRST_LISTED_YEAR,
    WEEKDAY_LABELS,
    calendar_year_records,
    year_month_grids,
    year_schedule,
    year_summaries,
)
from youjie.workdays.services import calendar_year_delete, calendar_year_save


def _check_year(year: int) -> None:
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise Http404("年份超出范围")


def _editor(request: HttpRequest) -> StaffUser:
    """The signed-in user if they may edit the calendar, else 403."""
    user = request.user
    if not can_edit_calendar(user):
        raise PermissionDenied("只有系统管理员可以修改节假日安排")
    return user


@login_required
def index(request: HttpRequest) -> HttpResponse:
    current_year = timezone.localdate().year
    calculator = DeadlineCalculatorForm(request.GET if "start" in request.GET else None)
    result: DeadlineInfo | None = None
    if calculator.is_bound and calculator.is_valid():
        data = calculator.cleaned_data
        result = deadline_info(data["start"], data["days"], unit=data["unit"])
    context = {
        "years": year_summaries(first_year=FIRST_LISTED_YEAR, last_year=current_year + 2),
        "calculator": calculator,
        "result": result,
        "can_edit": can_edit_calendar(request.user),
    }
    return render(request, "workdays/index.html", context)


@login_required
def year_detail(request: HttpRequest, year: int) -> HttpResponse:
    _check_year(year)
    context = {
        "schedule": year_schedule(year),
        "record": calendar_year_records(range(year, year + 1)).get(year),
        "months": year_month_grids(year),
        "weekday_labels": WEEKDAY_LABELS,
        "can_edit": can_edit_calendar(request.user),
    }
    return render(request, "workdays/year_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def year_edit(request: HttpRequest, year: int) -> HttpResponse:
    _check_year(year)
    editor = _editor(request)
    schedule = year_schedule(year)
    if request.method == "POST":
        form = CalendarYearForm(request.POST, year=year)
        if form.is_valid():
            try:
                calendar_year_save(
                    year=year,
                    holidays=form.cleaned_data["holidays"],
                    workdays=form.cleaned_data["workdays"],
                    source=form.cleaned_data["source"],
                    actor=editor,
                )
            except ValidationFailed as error:
                for field_name, field_messages in error.fields.items():
                    for message in field_messages:
                        form.add_error(field_name if field_name in form.fields else None, message)
            else:
                messages.success(request, f"{year}年节假日安排已保存")
                return redirect("workdays:year", year=year)
    else:
        # Start from what is in force, so that correcting one date needs no retyping.
        form = CalendarYearForm(
            initial={
                "source": schedule.source,
                "holidays": format_notice_dates(schedule.holidays),
                "workdays": format_notice_dates(schedule.workdays),
            },
            year=year,
        )
    return render(request, "workdays/year_edit.html", {"form": form, "schedule": schedule})


@login_required
@require_POST
def year_delete(request: HttpRequest, year: int) -> HttpResponse:
    _check_year(year)
    editor = _editor(request)
    if calendar_year_delete(year=year, actor=editor):
        messages.success(request, f"已删除{year}年的管理员录入，恢复为内置日历或仅按周末计算")
    else:
        messages.info(request, f"{year}年没有管理员录入的安排")
    return redirect("workdays:year", year=year)
