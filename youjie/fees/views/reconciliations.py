"""Reconciliation pages (对账): upload the provider's daily statement of one's court and see what
differs; the earlier reconciliations are kept and listed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from youjie.core.errors import ApplicationError, PermissionDenied
from youjie.core.pagination import paginate
from youjie.fees import selectors, services
from youjie.fees.forms import ReconciliationForm
from youjie.fees.permissions import can_reconcile
from youjie.fees.views.notices import fees_user, put_errors

PAGE_SIZE = 25


@login_required
@require_http_methods(["GET", "POST"])
def reconciliation_list(request: HttpRequest) -> HttpResponse:
    user = fees_user(request)
    may_upload = can_reconcile(user)
    form = ReconciliationForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if not may_upload:
            raise PermissionDenied("只有立案庭工作人员或院领导可以对账")
        if form.is_valid():
            try:
                reconciliation = services.reconciliation_create(
                    actor=user,
                    statement_date=form.cleaned_data["statement_date"],
                    uploaded=form.cleaned_data["statement"],
                )
            except ApplicationError as error:
                if error.status_code == 403:
                    raise
                put_errors(form, error)
            else:
                messages.success(request, "账单已上传并完成对账")
                return redirect("fees:reconciliation_detail", pk=reconciliation.pk)
        status = 422
    page = paginate(
        selectors.reconciliation_list(user=user), page=request.GET.get("page"), size=PAGE_SIZE
    )
    context = {"form": form if may_upload else None, "page": page}
    return render(request, "fees/reconciliations/list.html", context, status=status)


@login_required
@require_GET
def reconciliation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = fees_user(request)
    reconciliation = selectors.reconciliation_get(user=user, pk=pk)
    differences = reconciliation.differences or []
    context = {
        "reconciliation": reconciliation,
        "missing_ours": [row for row in differences if row.get("kind") == "missing_ours"],
        "missing_theirs": [row for row in differences if row.get("kind") == "missing_theirs"],
        "amounts": [row for row in differences if row.get("kind") == "amount"],
    }
    return render(request, "fees/reconciliations/detail.html", context)
