"""Pages: the case list and detail (with its hearings, ``hearing_views``), the two-step
import (validate, then run), and the runs of every source with the watched folder's state."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from youjie.core.errors import ApplicationError, PermissionDenied, ValidationFailed
from youjie.core.links import links_for
from youjie.core.models import Event
from youjie.core.pagination import paginate
from youjie.core.timeline import timeline_for
from youjie.courtcases import selectors, services
from youjie.courtcases.choices import ImportStatus
from youjie.courtcases.forms import CaseFilterForm, CaseImportRunForm, CaseImportUploadForm
from youjie.courtcases.models import CaseImportFolder, CourtCase, ImportSource
from youjie.courtcases.permissions import can_import_cases
from youjie.courtcases.views.hearings import HEARING_VERBS, hearing_section
from youjie.orgs.models import User

PAGE_SIZE = 25
# The court figures' drill-down filters shown under "更多条件" (division and judge are hidden).
DRILL_FIELDS = (
    "filed_from", "filed_to", "closed_from", "closed_to", "open_on", "first_instance", "appealed",
    "petitioned", "result", "over_limit", "over_limit_on", "litigation_only",
)  # fmt: skip
ERRORS_SHOWN = 500


def _importer(request: HttpRequest) -> User:
    """The signed-in user if they may import case lists, else 403."""
    user = request.user
    if not can_import_cases(user):
        raise PermissionDenied("只有诉讼服务中心接待员、院领导和系统管理员可以导入案件")
    return user


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    form = CaseFilterForm(request.GET)
    filters = form.filters()
    page = paginate(
        selectors.court_case_list(user=request.user, **filters),
        page=request.GET.get("page"),
        size=PAGE_SIZE,
    )
    context = {
        "form": form,
        "page": page,
        "can_import": can_import_cases(request.user),
        "drill": filters["drill"],
        "drill_fields": [form[name] for name in DRILL_FIELDS],
    }
    return render(request, "courtcases/case_list.html", context)


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    court_case = selectors.court_case_get(user=request.user, pk=pk)
    return render_case(request, court_case)


def render_case(
    request: HttpRequest,
    court_case: CourtCase,
    *,
    forms: dict[str, Any] | None = None,
    error: ApplicationError | None = None,
    status: int = 200,
) -> HttpResponse:
    """The case page; ``forms`` puts a refused hearing form back with its errors."""
    context = {
        "case": court_case,
        "parties": list(court_case.parties.all()),
        "events": [(event, describe_event(event)) for event in timeline_for(court_case)],
        **hearing_section(request, court_case, forms=forms or {}),
        "error": error,
        # Other apps' links on the case ("开具缴费通知书": youjie.core.links).
        "record_links": links_for(request.user, court_case),
    }
    return render(request, "courtcases/case_detail.html", context, status=status)


_VERBS = {
    "imported": "由案件清单导入",
    "updated_by_import": "案件清单导入时更新",
    **HEARING_VERBS,
}


def describe_event(event: Event) -> str:
    text = _VERBS.get(event.verb, event.verb)
    changed = event.data.get("changed") if isinstance(event.data, dict) else None
    if changed:
        labels = [_field_label(name) for name in changed]
        text += f"：{'、'.join(labels)}"
    return text


def _field_label(name: str) -> str:
    if name == "parties":
        return "当事人"
    try:
        field = CourtCase._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    return str(getattr(field, "verbose_name", name))


@login_required
def case_import(request: HttpRequest) -> HttpResponse:
    importer = _importer(request)
    courts = selectors.importable_courts(user=importer)
    posted = request.method == "POST"  # an empty POST is bound too: it gets its errors
    form = CaseImportUploadForm(
        request.POST if posted else None, request.FILES if posted else None, courts=courts
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            case_import = services.case_import_validate(
                actor=importer,
                court=form.cleaned_data["court"],
                file_name=upload.name or "",
                content=upload.read(),
            )
        except ValidationFailed as exc:
            form.add_error("file", exc.message)
        else:
            return redirect("courtcases:import_status", pk=case_import.pk)
    context = {
        "form": form,
        "has_courts": courts.exists(),
        "recent": list(selectors.case_import_list(user=importer)[:10]),
    }
    return render(request, "courtcases/case_import.html", context, status=_status(form))


def _status(form: CaseImportUploadForm) -> int:
    return 422 if form.is_bound and form.errors else 200


@login_required
def case_import_status(request: HttpRequest, pk: int) -> HttpResponse:
    importer = _importer(request)
    polling = bool(getattr(request, "htmx", False))
    case_import = selectors.case_import_get(user=importer, pk=pk, with_errors=not polling)
    context: dict[str, Any] = {
        "case_import": case_import,
        "Status": ImportStatus,
        "in_progress": case_import.status in (ImportStatus.QUEUED, ImportStatus.RUNNING),
        "percent": _percent(case_import.processed_rows, case_import.valid_rows),
        "error_count": case_import.total_rows - case_import.valid_rows,
    }
    if polling:
        return render(request, "courtcases/case_import_status.html#progress", context)
    context["errors"] = case_import.errors[:ERRORS_SHOWN]
    context["errors_hidden"] = max(len(case_import.errors) - ERRORS_SHOWN, 0)
    return render(request, "courtcases/case_import_status.html", context)


def _percent(done: int, total: int) -> int:
    return min(100, done * 100 // total) if total else 0


@login_required
@require_POST
def case_import_run(request: HttpRequest, pk: int) -> HttpResponse:
    importer = _importer(request)
    case_import = selectors.case_import_get(user=importer, pk=pk)
    form = CaseImportRunForm(request.POST)
    form.is_valid()
    try:
        services.case_import_start(
            actor=importer,
            case_import=case_import,
            import_valid_rows=bool(form.cleaned_data.get("import_valid_rows")),
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("courtcases:import_status", pk=case_import.pk)


@login_required
@require_POST
def case_import_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    importer = _importer(request)
    case_import = selectors.case_import_get(user=importer, pk=pk)
    try:
        services.case_import_cancel(actor=importer, case_import=case_import)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("courtcases:import_status", pk=case_import.pk)
    messages.success(request, f"已取消导入“{case_import.file_name}”。")
    return redirect("courtcases:import")


@login_required
@require_GET
def case_import_runs(request: HttpRequest) -> HttpResponse:
    """Every run the user may see (their courts'), of every source, with its result; filtered
    by source and status. An unknown filter value is named and ignored."""
    importer = _importer(request)
    runs = selectors.case_import_list(user=importer)
    ignored = []
    filters: dict[str, str] = {}
    for name, label, choices in (
        ("source", "来源", ImportSource),
        ("status", "状态", ImportStatus),
    ):
        value = request.GET.get(name, "")
        if value in choices.values:
            filters[name] = value
        elif value:
            ignored.append(label)
    if filters:
        runs = runs.filter(**filters)
    page = paginate(runs, page=request.GET.get("page"), size=PAGE_SIZE)
    context = {
        "page": page,
        "filters": filters,
        "ignored": ignored,
        "sources": ImportSource.choices,
        "statuses": ImportStatus.choices,
        **_folder_state(importer),
    }
    return render(request, "courtcases/case_import_runs.html", context)


def _folder_state(importer: User) -> dict[str, Any]:
    """The watched folder as the runs page shows it: the configured path, each of the user's
    courts' incoming/ folder, and what the last scan found (not user data: one row)."""
    root = services.case_import_folder_dir()
    if root is None:
        return {"folder_root": None, "folder": None, "folder_courts": []}
    courts = selectors.importable_courts(user=importer).only("name", "court_code")
    return {
        "folder_root": root,
        "folder": CaseImportFolder.objects.filter(path=str(root)[:500]).first(),
        "folder_courts": [(court, root / court.court_code / "incoming") for court in courts],
    }
