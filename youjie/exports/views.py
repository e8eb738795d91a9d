"""Pages: an export of any registered list (/exports/<name>.xlsx?<the list page's query string>),
the user's background exports with their progress (我的导出, polled by htmx while one runs),
and the download of a finished one (its owner only)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from youjie.exports import selectors, services
from youjie.exports.models import ExportJob
from youjie.exports.registry import export_list_get
from youjie.exports.workbook import XLSX
from youjie.orgs.backends import signed_in_user


def export_response(request: HttpRequest, name: str) -> HttpResponse:
    """The export of list ``name`` with the request's query string: the .xlsx itself, or (for a
    large list) a redirect to 我的导出 where its background job shows. Also the body of the
    petitions app's older export addresses."""
    user = signed_in_user(request)
    export_list = export_list_get(name)
    outcome = services.export_start(actor=user, export_list=export_list, query=request.GET)
    if isinstance(outcome, ExportJob):
        messages.success(
            request,
            f"{outcome.title}共{outcome.rows_total}{export_list.counter}，已转入后台导出；"
            f"完成后可在本页下载（文件保留{settings.YOUJIE_EXPORT_KEEP_DAYS}天）",
        )
        return redirect("exports:jobs")
    response = HttpResponse(outcome.content, content_type=XLSX)
    response["Content-Disposition"] = (
        content_disposition_header(True, outcome.filename) or "attachment"
    )
    return response


@login_required
@require_GET
def export(request: HttpRequest, name: str) -> HttpResponse:
    return export_response(request, name)


@login_required
@require_GET
def job_list(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    jobs = list(selectors.export_jobs_of(user=user)[: selectors.JOBS_SHOWN])
    context = {
        "rows": [(job, selectors.is_downloadable(job), selectors.expires_at(job)) for job in jobs],
        "polling": any(job.in_progress for job in jobs),
        "direct_max": settings.YOUJIE_EXPORT_DIRECT_MAX_ROWS,
        "keep_days": settings.YOUJIE_EXPORT_KEEP_DAYS,
    }
    template = "exports/jobs.html#jobs" if getattr(request, "htmx", False) else "exports/jobs.html"
    return render(request, template, context)


@login_required
@require_GET
def job_download(request: HttpRequest, pk: int) -> FileResponse:
    user = signed_in_user(request)
    job = selectors.export_job_get(user=user, pk=pk)
    path = services.export_job_file(actor=user, job=job)
    filename = services.export_filename(job.title, job.finished_at or job.created_at)
    return FileResponse(path.open("rb"), as_attachment=True, filename=filename, content_type=XLSX)
