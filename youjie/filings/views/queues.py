"""The staff's filings page (/filings/): the queues of their court by step — 待协作核对,
待审查 (earliest decision day first, overdue marked), 超期未决 (the division head's list:
先行立案), 待补正, 近期决定 — with filters; and the counter form (窗口立案) for a walk-in."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from youjie.core.errors import ApplicationError, ValidationFailed
from youjie.core.idempotency import body_fingerprint, check_key
from youjie.core.pagination import paginate
from youjie.filings import selectors, services
from youjie.filings.choices import FilingChannel
from youjie.filings.forms import CounterForm, FilingFilterForm, party_formset
from youjie.filings.forms.fields import BasePartyFormSet
from youjie.filings.permissions import court_of, may_decide_filings
from youjie.filings.views.common import PAGE_SIZE, deciding_user, filings_user, put_errors
from youjie.orgs.models import User

RESUBMITTED_MESSAGE = "该表单已提交过，内容不同，请刷新页面后重新填写"


@login_required
@require_GET
def filing_list(request: HttpRequest) -> HttpResponse:
    user = filings_user(request)
    form = FilingFilterForm(request.GET or None)
    default_queue = "review" if may_decide_filings(user) else "all"
    page = None
    queue = default_queue
    if not form.is_bound or form.is_valid():
        filters: dict[str, Any] = form.filters() if form.is_bound else {}
        queue = filters.get("queue") or default_queue
        filters["queue"] = queue
        filings = selectors.filing_queue(user=user, **filters)
        page = paginate(filings, page=request.GET.get("page"), size=PAGE_SIZE)
    today = selectors.clock_today()
    counts = selectors.queue_counts(user=user) if may_decide_filings(user) else {}
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("queue", None)
    context = {
        "form": form,
        "page": page,
        "queue": queue,
        "tabs": [(name, label, counts.get(name)) for name, label in selectors.QUEUES.items()],
        "today": today,
        "overdue_ids": {
            filing.pk
            for filing in (page.items if page else [])
            if selectors.is_overdue(filing, today)
        },
        "filters": params.urlencode(),
        "may_file": may_decide_filings(user),
        "court": court_of(user),
    }
    return render(request, "filings/list.html", context, status=200 if page else 422)


def _counter_context(
    form: CounterForm, formset: BasePartyFormSet, user: User, **extra: Any
) -> dict[str, Any]:
    return {"form": form, "formset": formset, "court": court_of(user), **extra}


@login_required
@require_http_methods(["GET", "POST"])
def filing_counter(request: HttpRequest) -> HttpResponse:
    """窗口立案: the staff member files for a walk-in; their court receives the materials."""
    user = deciding_user(request)
    template = "filings/counter.html"
    if request.method != "POST":
        context = _counter_context(
            CounterForm(), party_formset(), user, submission_key=uuid.uuid4().hex
        )
        return render(request, template, context)
    form = CounterForm(request.POST, request.FILES)
    formset = party_formset(request.POST)
    key = str(request.POST.get("submission_key", ""))[:100]
    context = _counter_context(form, formset, user, submission_key=key or uuid.uuid4().hex)
    if not (form.is_valid() & formset.is_valid()):
        context["error"] = ValidationFailed("立案信息有误，请检查标注的项目")
        return render(request, template, context, status=422)
    materials, names = form.material_inputs()
    data = form.cleaned_data
    filing_input = services.FilingInput(
        receiving_court=court_of(user),
        competent_court=data["competent_court"],
        case_kind=data["case_kind"],
        procedure=data["procedure"],
        cause=data["cause"],
        claims=data["claims"],
        amount=data.get("amount") or None,
        currency=data["currency"],
        facts_and_reasons=data["facts_and_reasons"],
        submitter_kind=data["submitter_kind"],
        submitter_name=data["submitter_name"],
        submitter_phone=data["submitter_phone"],
        lawyer_licence_number=data.get("lawyer_licence_number") or "",
        law_firm=data.get("law_firm") or "",
        mediation_consent=bool(data.get("mediation_consent")),
        parties=formset.party_inputs(),
        materials=materials,
        channel=FilingChannel.COUNTER,
    )
    try:
        # The hidden submission key makes a double-clicked or reloaded form file once.
        idempotency = None
        if key.strip():
            idempotency = services.Idempotency(
                key=check_key(key),
                scope=f"filings.counter:{user.pk}",
                body_hash=body_fingerprint(
                    {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
                ),
            )
        filing, created = services.filing_submit(
            actor=user, data=filing_input, idempotency=idempotency
        )
    except ApplicationError as exc:
        if exc.code == "idempotency_key_reused":
            exc = ValidationFailed(RESUBMITTED_MESSAGE, code="resubmitted")
        put_errors(form, exc, names, formset)
        context["error"] = exc
        return render(request, template, context, status=exc.status_code)
    if created:
        messages.success(request, f"已登记立案申请 {filing.number}")
    else:
        messages.info(request, f"该表单已提交过，立案申请 {filing.number} 已登记")
    return redirect("filings:detail", pk=filing.pk)
