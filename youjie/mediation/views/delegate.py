"""委派调解 from a filing: ``/mediation/delegate/<filing_id>/`` for staff of the filing's
competent court (the filing page links here). Refused without the party's consent."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from youjie.core.errors import ApplicationError, ValidationFailed
from youjie.core.idempotency import body_fingerprint
from youjie.filings.models import Filing
from youjie.mediation import selectors, services
from youjie.mediation.forms import DelegateForm
from youjie.mediation.models import Mediation
from youjie.mediation.views.common import put_field_errors
from youjie.orgs.backends import signed_in_user


def _render(
    request: HttpRequest,
    filing: Filing,
    form: DelegateForm,
    *,
    error: ApplicationError | None = None,
    status: int = 200,
) -> HttpResponse:
    context: dict[str, Any] = {
        "filing": filing,
        "parties": list(filing.parties.all()),
        "existing": Mediation.objects.filter(filing=filing).first(),
        "form": form,
        "error": error,
    }
    return render(request, "mediation/delegate.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def mediation_delegate(request: HttpRequest, filing_id: int) -> HttpResponse:
    user = signed_in_user(request)  # anyone outside the scope gets the 404 of the fetch
    filing = selectors.filing_for_delegation(user=user, filing_id=filing_id)  # 404 otherwise
    court = filing.competent_court
    if request.method != "POST":
        return _render(request, filing, DelegateForm(court=court))
    form = DelegateForm(request.POST, court=court)
    if not form.is_valid():
        error = ValidationFailed("委派信息有误，请检查标注的项目")
        return _render(request, filing, form, error=error, status=422)
    data = form.cleaned_data
    try:
        mediation, created = services.run_once(
            model=Mediation,
            idempotency=services.Idempotency(
                key=data["submission_key"],
                scope=f"mediation.page.delegate:{user.pk}",
                body_hash=body_fingerprint({"filing": filing.pk, **form.fingerprint_body()}),
            ),
            create=lambda: services.mediation_delegate(
                actor=user,
                filing=filing,
                mode=data["mode"],
                organisation=data.get("organisation"),
                mediator=data.get("mediator"),
                note=data.get("note") or "",
            ),
        )
    except ApplicationError as exc:
        if exc.code == "idempotency_key_reused":
            exc = ValidationFailed("该表单已提交过，内容不同，请刷新页面后重新填写")
        put_field_errors(form, exc)
        filing.refresh_from_db()
        return _render(request, filing, form, error=exc, status=exc.status_code)
    messages.success(
        request, f"已委派调解，案号{mediation.number}" if created else "该表单已提交过，已委派调解"
    )
    return redirect("mediation:detail", pk=mediation.pk)
