"""The lists: a mediator's own mediations with their due dates (overdue in red), a court's
mediations for its staff. One page; what it holds is the user's scope."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from youjie.core.pagination import paginate
from youjie.mediation import selectors
from youjie.mediation.choices import MediationStatus
from youjie.mediation.forms import MediationFilterForm
from youjie.mediation.permissions import is_mediator, staff_court
from youjie.mediation.views.common import PAGE_SIZE, mediation_user, query_without_page


@login_required
@require_GET
def mediation_list(request: HttpRequest) -> HttpResponse:
    user = mediation_user(request)
    form = MediationFilterForm(request.GET)
    valid = form.is_valid()
    data = form.cleaned_data if valid else {}
    mediations = selectors.mediation_list(
        user=user,
        status=data.get("status") or "",
        overdue=bool(data.get("overdue")),
        mine=bool(data.get("mine")),
        search=data.get("q") or "",
    )
    page = paginate(mediations, page=request.GET.get("page"), size=PAGE_SIZE)
    today = selectors.clock_today()
    rows = [
        {
            "mediation": mediation,
            "overdue": mediation.status == MediationStatus.ACCEPTED
            and mediation.due_on is not None
            and mediation.due_on < today,
        }
        for mediation in page.items
    ]
    court = staff_court(user)
    context = {
        "form": form,
        "valid": valid,
        "page": page,
        "rows": rows,
        "today": today,
        "court": court,
        "title": "我的诉前调解" if is_mediator(user) and court is None else "诉前调解",
        "filters": query_without_page(request),
    }
    return render(request, "mediation/list.html", context)
