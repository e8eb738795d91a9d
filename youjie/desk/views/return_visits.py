"""回访: the queue of return visits, with one form per visit (services.return_visit_record)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from youjie.core.errors import ApplicationError, NotFound
from youjie.core.pagination import paginate
from youjie.desk import selectors, services
from youjie.desk.forms import ReturnVisitForm
from youjie.desk.models import ReturnVisit, ServiceRequest
from youjie.desk.permissions import can_record_return_visit
from youjie.desk.views.common import PAGE_SIZE, context_base, desk_staff, put_field_errors
from youjie.orgs.models import User
from youjie.orgs.scoping import scope_queryset


def _visit_for(user: User, pk: int) -> ReturnVisit:
    """A return visit of a request the user may see (any status, so a repeat is 'stale')."""
    visible = scope_queryset(ServiceRequest.objects.all(), user).values("pk")
    visit = (
        ReturnVisit.objects.select_related("service_request", "service_request__matter_type")
        .filter(pk=pk, service_request__in=visible)
        .first()
    )
    if visit is None:
        raise NotFound("回访记录不存在或无权查看")
    return visit


def _render_queue(
    request: HttpRequest,
    user: User,
    *,
    failed: ReturnVisit | None = None,
    failed_form: ReturnVisitForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    page = paginate(
        selectors.return_visit_queue(user=user), page=request.GET.get("page"), size=PAGE_SIZE
    )
    entries = []
    for visit in page.items:
        allowed = can_record_return_visit(user, visit.service_request)
        form = failed_form if failed is not None and visit.pk == failed.pk else ReturnVisitForm()
        entries.append({"visit": visit, "can_record": allowed, "form": form})
    context = context_base(
        request, "return_visits", page=page, entries=entries, failed=failed, error=error
    )
    return render(request, "desk/return_visits.html", context, status=status)


@login_required
@require_GET
def return_visits(request: HttpRequest) -> HttpResponse:
    return _render_queue(request, desk_staff(request))


@login_required
@require_POST
def return_visit_record(request: HttpRequest, visit_pk: int) -> HttpResponse:
    user = desk_staff(request)
    visit = _visit_for(user, visit_pk)
    form = ReturnVisitForm(request.POST)
    if not form.is_valid():
        return _render_queue(
            request, user, failed=visit, failed_form=form, error="请检查回访记录的填写", status=422
        )
    try:
        services.return_visit_record(actor=user, visit=visit, **form.cleaned_data)
    except ApplicationError as exc:
        put_field_errors(form, exc)
        return _render_queue(
            request, user, failed=visit, failed_form=form, error=exc.message, status=exc.status_code
        )
    messages.success(request, f"已记录诉求 {visit.service_request.number} 的回访结果")
    return redirect("desk:return_visits")
