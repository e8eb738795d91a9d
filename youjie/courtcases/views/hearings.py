"""Hearing pages: the 庭审安排 section of a court case's page (the hearings with their
participants, the schedule form, and per hearing postpone, cancel, mark held and attendance),
and the upcoming hearings of a judge, clerk, division or court (/courtcases/hearings/).

Whoever may see the case sees its hearings (masked phones only); the forms are shown to, and
the writes done by, the case's judge or clerk, its division head or a court leader
(``permissions.can_manage_hearings``, checked again by the service)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from youjie.core.errors import ApplicationError, PermissionDenied, ValidationFailed
from youjie.core.pagination import paginate
from youjie.courtcases import hearings, selectors
from youjie.courtcases.choices import HearingKind, HearingStatus
from youjie.courtcases.forms import (
    HearingAttendanceForm,
    HearingCancelForm,
    HearingFilterForm,
    HearingPostponeForm,
    HearingScheduleForm,
)
from youjie.courtcases.models import CourtCase, Hearing
from youjie.courtcases.permissions import can_manage_hearings, may_see_hearings
from youjie.orgs.backends import signed_in_user
from youjie.orgs.models import User

PAGE_SIZE = 25

# How the court case's timeline reads the hearing events (views.cases.describe_event).
HEARING_VERBS = {
    "hearing_scheduled": "安排庭审",
    "hearing_postponed": "庭审延期",
    "hearing_cancelled": "取消庭审",
    "hearing_held": "确认已开庭",
    "hearing_attendance_recorded": "记录到庭情况",
    "hearing_attendance_corrected": "更正到庭情况",
    "hearing_reminded": "发送开庭提醒短信",
}


def hearing_section(
    request: HttpRequest, court_case: CourtCase, *, forms: dict[str, Any]
) -> dict[str, Any]:
    """The 庭审安排 section's context: each hearing with the forms its viewer may use."""
    user = request.user
    manages = can_manage_hearings(user, court_case)
    now = timezone.now()
    rows = []
    for hearing in selectors.hearings_of_case(user=user, court_case=court_case):
        scheduled = hearing.status == HearingStatus.SCHEDULED
        failed = forms.get("hearing_id") == hearing.pk
        participants = list(hearing.participants.all())
        rows.append(
            {
                "hearing": hearing,
                "participants": participants,
                "begun": hearing.scheduled_at <= now,
                "postpone_form": (forms.get("postpone") if failed else None)
                or (HearingPostponeForm(auto_id=f"postpone{hearing.pk}_%s") if scheduled else None),
                "cancel_form": (forms.get("cancel") if failed else None)
                or (HearingCancelForm(auto_id=f"cancel{hearing.pk}_%s") if scheduled else None),
                "attendance_form": (forms.get("attendance") if failed else None)
                or (
                    HearingAttendanceForm(
                        participants=participants, auto_id=f"attendance{hearing.pk}_%s"
                    )
                    if hearing.status == HearingStatus.HELD and participants
                    else None
                ),
            }
        )
    schedule_form = forms.get("schedule")
    if schedule_form is None and manages:
        schedule_form = HearingScheduleForm(court_case=court_case)
    return {
        "hearing_rows": rows,
        "can_manage_hearings": manages,
        "schedule_form": schedule_form if manages else None,
        "HearingStatus": HearingStatus,
        "HearingKind": HearingKind,
    }


def _manager(request: HttpRequest, court_case: CourtCase) -> User:
    user = signed_in_user(request)
    if not can_manage_hearings(user, court_case):
        raise PermissionDenied(hearings.MANAGE_REFUSED)
    return user


def _put_errors(form: Any, error: ApplicationError) -> None:
    for name, field_messages in error.fields.items():
        target = name if name in form.fields else None
        for message in field_messages:
            form.add_error(target, message)
    if not error.fields:
        form.add_error(None, error.message)


def _back(court_case: CourtCase) -> HttpResponse:
    return redirect(reverse("courtcases:detail", args=[court_case.pk]) + "#hearings")


def _refused(
    request: HttpRequest,
    court_case: CourtCase,
    forms: dict[str, Any],
    error: ApplicationError,
) -> HttpResponse:
    from youjie.courtcases.views.cases import render_case

    return render_case(request, court_case, forms=forms, error=error, status=error.status_code)


@login_required
@require_POST
def hearing_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    court_case = selectors.court_case_get(user=request.user, pk=pk)  # 404 outside the scope
    user = _manager(request, court_case)
    form = HearingScheduleForm(request.POST, court_case=court_case)
    if not form.is_valid():
        error = ValidationFailed("庭审安排有误，请检查标注的项目")
        return _refused(request, court_case, {"schedule": form}, error)
    data = form.cleaned_data
    try:
        hearing = hearings.hearing_schedule(
            actor=user,
            court_case=court_case,
            hearing_kind=data["hearing_kind"],
            hearing_at=data["hearing_at"],
            duration_minutes=data["duration_minutes"],
            hearing_link=data["hearing_link"],
            courtroom=data["courtroom"],
            party_ids=[party.pk for party in data["party_ids"]],
            others=data["other_participants"],
        )
    except ApplicationError as exc:
        _put_errors(form, exc)
        return _refused(request, court_case, {"schedule": form}, exc)
    messages.success(request, f"已安排{hearings.sms_when(hearing.scheduled_at)}开庭，已通知参加人")
    for warning in hearings.hearing_time_warnings(hearing.scheduled_at, hearing.duration_minutes):
        messages.warning(request, f"请注意：{warning}")
    return _back(court_case)


def _hearing_and_manager(request: HttpRequest, pk: int) -> tuple[Hearing, User]:
    hearing = selectors.hearing_get(user=request.user, pk=pk)  # 404 outside the scope
    return hearing, _manager(request, hearing.court_case)


@login_required
@require_POST
def hearing_postpone(request: HttpRequest, pk: int) -> HttpResponse:
    hearing, user = _hearing_and_manager(request, pk)
    form = HearingPostponeForm(request.POST, auto_id=f"postpone{hearing.pk}_%s")
    forms = {"hearing_id": hearing.pk, "postpone": form}
    if not form.is_valid():
        error = ValidationFailed("延期信息有误，请检查标注的项目")
        return _refused(request, hearing.court_case, forms, error)
    try:
        new_hearing = hearings.hearing_postpone(
            actor=user,
            hearing=hearing,
            reason=form.cleaned_data["reason"],
            new_hearing_at=form.cleaned_data.get("new_hearing_at"),
        )
    except ApplicationError as exc:
        _put_errors(form, exc)
        return _refused(request, hearing.court_case, forms, exc)
    if new_hearing is not None:
        when = hearings.sms_when(new_hearing.scheduled_at)
        messages.success(request, f"庭审已延期至{when}，已通知参加人")
    else:
        messages.success(request, "庭审已延期，已通知参加人；新的开庭时间确定后请另行安排")
    return _back(hearing.court_case)


@login_required
@require_POST
def hearing_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    hearing, user = _hearing_and_manager(request, pk)
    form = HearingCancelForm(request.POST, auto_id=f"cancel{hearing.pk}_%s")
    forms = {"hearing_id": hearing.pk, "cancel": form}
    if not form.is_valid():
        error = ValidationFailed("取消信息有误，请检查标注的项目")
        return _refused(request, hearing.court_case, forms, error)
    try:
        hearings.hearing_cancel(actor=user, hearing=hearing, reason=form.cleaned_data["reason"])
    except ApplicationError as exc:
        _put_errors(form, exc)
        return _refused(request, hearing.court_case, forms, exc)
    messages.success(request, "庭审已取消，已通知参加人")
    return _back(hearing.court_case)


@login_required
@require_POST
def hearing_hold(request: HttpRequest, pk: int) -> HttpResponse:
    """A confirmation button: the hearing took place."""
    hearing, user = _hearing_and_manager(request, pk)
    try:
        hearings.hearing_hold(actor=user, hearing=hearing)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return _back(hearing.court_case)
    messages.success(request, "已确认开庭，请记录到庭情况")
    return _back(hearing.court_case)


@login_required
@require_POST
def hearing_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    hearing, user = _hearing_and_manager(request, pk)
    participants = list(hearing.participants.order_by("id"))
    form = HearingAttendanceForm(
        request.POST, participants=participants, auto_id=f"attendance{hearing.pk}_%s"
    )
    forms = {"hearing_id": hearing.pk, "attendance": form}
    if not form.is_valid():
        error = ValidationFailed("到庭情况有误，请为每位参加人选择")
        return _refused(request, hearing.court_case, forms, error)
    try:
        hearings.hearing_attendance_record(
            actor=user, hearing=hearing, attendance=form.attendance()
        )
    except ApplicationError as exc:
        _put_errors(form, exc)
        return _refused(request, hearing.court_case, forms, exc)
    messages.success(request, "已记录到庭情况")
    return _back(hearing.court_case)


@login_required
@require_GET
def hearing_list(request: HttpRequest) -> HttpResponse:
    """Upcoming hearings within the user's scope (a judge's own cases, a division's, a
    court's), soonest first; past ones not yet marked held are flagged."""
    user = signed_in_user(request)
    if not may_see_hearings(user):
        raise PermissionDenied("庭审安排仅供法院的法官、书记员、庭长、院领导和立案人员查看")
    form = HearingFilterForm(request.GET)
    page = paginate(
        selectors.hearings_upcoming(user=user, days=form.day_count()),
        page=request.GET.get("page"),
        size=PAGE_SIZE,
    )
    context = {"form": form, "page": page, "now": timezone.now()}
    return render(request, "courtcases/hearing_list.html", context)
