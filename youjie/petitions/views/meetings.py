"""Meeting pages: leaders' dispatch meetings (调度会) and the three-day review (三日一研究) — the
list with the next review day, a new dispatch meeting, the meeting with its generated agenda,
its minutes taken matter by matter (逐案解剖) and its decisions as tasks, and a task reported
done. The office's own officers run its meetings; a task's owner reports it done."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from youjie.core.errors import ApplicationError, PermissionDenied, ValidationFailed
from youjie.core.idempotency import body_fingerprint
from youjie.core.pagination import paginate
from youjie.orgs.choices import OrgKind
from youjie.orgs.models import OrgUnit, User
from youjie.petitions import selectors, services
from youjie.petitions.choices import MeetingStatus, MeetingTaskStatus
from youjie.petitions.forms import (
    MeetingCreateForm,
    MeetingFilterForm,
    MeetingHoldForm,
    MeetingMinuteForm,
    MeetingTaskDoneForm,
    MeetingTaskForm,
    ReviewGenerateForm,
)
from youjie.petitions.models import PetitionMatter, ReviewMeeting
from youjie.petitions.permissions import can_complete_task, can_run_meetings
from youjie.petitions.views.common import PAGE_SIZE, base_context, petitions_user, put_field_errors

STALE_MESSAGE = "该会议已被他人处理，页面内容已过期，请刷新后重试"


def own_office(user: User) -> OrgUnit | None:
    """The office whose meetings ``user`` runs (an office officer's own 专项办)."""
    office = user.org_unit
    if office is None or office.kind != OrgKind.OFFICE or not can_run_meetings(user, office):
        return None
    return office


@login_required
@require_GET
def meeting_list(request: HttpRequest) -> HttpResponse:
    user = petitions_user(request)
    form = MeetingFilterForm(request.GET)
    kind = form.cleaned_data.get("kind", "") if form.is_valid() else ""
    page = paginate(
        selectors.meeting_list(user=user, kind=kind), page=request.GET.get("page"), size=PAGE_SIZE
    )
    today = selectors.clock_today()
    office = own_office(user)
    context = base_context(
        request,
        "meetings",
        form=form,
        page=page,
        office=office,
        today=today,
        review_due_today=services.review_day_is_due(today),
        next_review=services.review_next_day(today),
        my_tasks=selectors.tasks_of_owner(user=user, owner_id=user.pk)[:20],
        generate_form=ReviewGenerateForm() if office is not None else None,
    )
    return render(request, "petitions/meetings/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest) -> HttpResponse:
    user = petitions_user(request)
    office = own_office(user)
    if office is None:
        raise PermissionDenied("只有专项办干部可以召开调度会")
    if request.method != "POST":
        context = base_context(request, "meetings", form=MeetingCreateForm(office=office))
        return render(request, "petitions/meetings/new.html", context)
    form = MeetingCreateForm(request.POST, office=office)
    if not form.is_valid():
        error = ValidationFailed("会议信息有误，请检查标注的项目")
        context = base_context(request, "meetings", form=form, error=error)
        return render(request, "petitions/meetings/new.html", context, status=422)
    data = form.cleaned_data
    try:
        meeting, created = services.run_once(
            model=ReviewMeeting,
            idempotency=services.Idempotency(
                key=data["submission_key"],
                scope=f"petitions.page.meeting:{user.pk}",
                body_hash=body_fingerprint(form.fingerprint_body()),
            ),
            create=lambda: services.meeting_create(
                actor=user,
                title=data["title"],
                held_on=data["held_on"],
                chair=data.get("chair"),
                attendees=data.get("attendees") or "",
                summary=data.get("summary") or "",
            ),
        )
    except ApplicationError as exc:
        if exc.code == "idempotency_key_reused":
            exc = ValidationFailed("该表单已提交过，内容不同，请刷新页面后重新填写")
        put_field_errors(form, exc)
        context = base_context(request, "meetings", form=form, error=exc)
        return render(request, "petitions/meetings/new.html", context, status=exc.status_code)
    messages.success(request, "调度会已创建" if created else "该表单已提交过，调度会已创建")
    return redirect("petitions:meeting_detail", pk=meeting.pk)


def render_meeting(
    request: HttpRequest,
    user: User,
    meeting: ReviewMeeting,
    *,
    forms: dict[str, Any] | None = None,
    error: ApplicationError | None = None,
    status: int = 200,
) -> HttpResponse:
    forms = forms or {}
    today = selectors.clock_today()
    runs = can_run_meetings(user, meeting.office)
    tasks = list(selectors.meeting_tasks(user=user, meeting=meeting))
    failed_task = forms.get("task_done_pk")
    task_rows = [
        {
            "task": task,
            "overdue": task.status == MeetingTaskStatus.OPEN and task.due_on < today,
            "done_form": (
                forms.get("task_done")
                if failed_task == task.pk
                else MeetingTaskDoneForm(auto_id=f"task{task.pk}_%s")
            )
            if task.status == MeetingTaskStatus.OPEN and can_complete_task(user, task)
            else None,
        }
        for task in tasks
    ]
    agenda = meeting.agenda if isinstance(meeting.agenda, dict) else {}
    context = base_context(
        request,
        "meetings",
        meeting=meeting,
        agenda_sections=agenda.get("sections", []),
        agenda=agenda,
        minutes=selectors.meeting_minutes(user=user, meeting=meeting),
        task_rows=task_rows,
        minute_form=forms.get("minute") or (MeetingMinuteForm() if runs else None),
        task_form=forms.get("task") or (MeetingTaskForm(office=meeting.office) if runs else None),
        hold_form=forms.get("hold")
        or (
            MeetingHoldForm(initial={"expected_status": meeting.status})
            if runs and meeting.status == MeetingStatus.SCHEDULED
            else None
        ),
        events=selectors.supervision_timeline(meeting),
        error=error,
    )
    return render(request, "petitions/meetings/detail.html", context, status=status)


@login_required
@require_GET
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = petitions_user(request)
    meeting = selectors.meeting_get(user=user, pk=pk)  # 404 outside the scope
    return render_meeting(request, user, meeting)


def _matter_by_number(user: User, number: str) -> PetitionMatter:
    found = selectors.matters_by_numbers(user=user, numbers=[number]).get(number.strip())
    if found is None:
        message = f"{number.strip()}不存在或无权查看"
        raise ValidationFailed(message, fields={"number": [message]})
    return found


@login_required
@require_POST
def meeting_minute(request: HttpRequest, pk: int) -> HttpResponse:
    user = petitions_user(request)
    meeting = selectors.meeting_get(user=user, pk=pk)
    form = MeetingMinuteForm(request.POST)
    if not form.is_valid():
        error = ValidationFailed("研究意见有误，请检查标注的项目")
        return render_meeting(
            request, user, meeting, forms={"minute": form}, error=error, status=422
        )
    try:
        matter = _matter_by_number(user, form.cleaned_data["number"])
        services.meeting_matter_record(
            actor=user, meeting=meeting, matter=matter, minute=form.cleaned_data["minute"]
        )
    except ApplicationError as exc:
        put_field_errors(form, exc)
        return render_meeting(
            request, user, meeting, forms={"minute": form}, error=exc, status=exc.status_code
        )
    messages.success(request, f"已记录对{matter.number}的研究意见")
    return redirect("petitions:meeting_detail", pk=meeting.pk)


@login_required
@require_POST
def meeting_task(request: HttpRequest, pk: int) -> HttpResponse:
    user = petitions_user(request)
    meeting = selectors.meeting_get(user=user, pk=pk)
    error: ApplicationError
    if not can_run_meetings(user, meeting.office):
        error = PermissionDenied("只有召集会议的专项办干部可以交办任务")
        return render_meeting(request, user, meeting, error=error, status=403)
    form = MeetingTaskForm(request.POST, office=meeting.office)
    if not form.is_valid():
        error = ValidationFailed("交办任务信息有误，请检查标注的项目")
        return render_meeting(request, user, meeting, forms={"task": form}, error=error, status=422)
    data = form.cleaned_data
    try:
        matter = _matter_by_number(user, data["number"])
        services.meeting_task_create(
            actor=user,
            meeting=meeting,
            matter=matter,
            description=data["description"],
            owner=data["owner"],
            due_on=data["due_on"],
        )
    except ApplicationError as exc:
        put_field_errors(form, exc)
        return render_meeting(
            request, user, meeting, forms={"task": form}, error=exc, status=exc.status_code
        )
    messages.success(request, f"已交办{matter.number}的任务")
    return redirect("petitions:meeting_detail", pk=meeting.pk)


@login_required
@require_POST
def meeting_hold(request: HttpRequest, pk: int) -> HttpResponse:
    user = petitions_user(request)
    meeting = selectors.meeting_get(user=user, pk=pk)
    form = MeetingHoldForm(request.POST)
    if not form.is_valid():
        error = ValidationFailed("；".join(str(m) for ms in form.errors.values() for m in ms))
        return render_meeting(request, user, meeting, forms={"hold": form}, error=error, status=422)
    if form.cleaned_data["expected_status"] != meeting.status:
        error = ValidationFailed(STALE_MESSAGE, code="stale")
        return render_meeting(request, user, meeting, error=error, status=422)
    try:
        services.meeting_hold(
            actor=user,
            meeting=meeting,
            attendees=form.cleaned_data.get("attendees") or "",
            summary=form.cleaned_data.get("summary") or "",
        )
    except ApplicationError as exc:
        put_field_errors(form, exc)
        fresh = selectors.meeting_get(user=user, pk=pk)
        return render_meeting(
            request, user, fresh, forms={"hold": form}, error=exc, status=exc.status_code
        )
    messages.success(request, "已确认会议召开")
    return redirect("petitions:meeting_detail", pk=meeting.pk)


@login_required
@require_POST
def task_done(request: HttpRequest, pk: int) -> HttpResponse:
    user = petitions_user(request)
    task = selectors.meeting_task_get(user=user, pk=pk)  # 404 outside the scope
    meeting = task.meeting
    form = MeetingTaskDoneForm(request.POST, auto_id=f"task{task.pk}_%s")
    forms = {"task_done": form, "task_done_pk": task.pk}
    if not form.is_valid():
        error = ValidationFailed("落实情况有误，请检查标注的项目")
        return render_meeting(request, user, meeting, forms=forms, error=error, status=422)
    try:
        services.meeting_task_complete(
            actor=user,
            task=task,
            note=form.cleaned_data["note"],
            done_on=form.cleaned_data.get("done_on"),
        )
    except ApplicationError as exc:
        put_field_errors(form, exc)
        return render_meeting(
            request, user, meeting, forms=forms, error=exc, status=exc.status_code
        )
    messages.success(request, "已报告任务落实情况")
    return redirect("petitions:meeting_detail", pk=meeting.pk)


@login_required
@require_POST
def review_generate(request: HttpRequest) -> HttpResponse:
    """Generate the 三日一研究 agenda of the user's office for today (when today is a review
    day and it is not there yet): the periodic task does it at the set time."""
    user = petitions_user(request)
    office = own_office(user)
    if office is None:
        raise PermissionDenied("只有专项办干部可以生成三日一研究议程")
    form = ReviewGenerateForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(str(m) for ms in form.errors.values() for m in ms))
        return redirect("petitions:meeting_list")
    try:
        meeting = services.review_agenda_generate(
            actor=user, office=office, day=form.cleaned_data.get("day")
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("petitions:meeting_list")
    messages.success(request, f"已生成{meeting.title}的议程")
    return redirect("petitions:meeting_detail", pk=meeting.pk)
