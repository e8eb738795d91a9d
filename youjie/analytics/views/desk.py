"""The desk figures dashboard and its .xlsx export (same basis, same period rules)."""

from __future__ import annotations

from functools import partial

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from youjie.analytics import selectors
from youjie.analytics.exports import DEFINITIONS, desk_figures_workbook
from youjie.analytics.figures import VISIT_RESULTS, chart_data
from youjie.analytics.forms import PeriodForm
from youjie.analytics.periods import PRESETS
from youjie.core.errors import ValidationFailed
from youjie.desk.choices import ReturnVisitResult

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHARTED = ("division", "channel", "matter_type")  # judges get a table, never a bar chart


@require_GET
@login_required
def desk(request: HttpRequest) -> HttpResponse:
    basis = selectors.desk_figures_basis(user=request.user)
    form = PeriodForm(request.GET, today=timezone.localdate())
    context: dict[str, object] = {
        "form": form,
        "basis": basis,
        "presets": PRESETS,
        "definitions": DEFINITIONS,
        "visit_labels": [ReturnVisitResult(result).label for result in VISIT_RESULTS],
    }
    if not form.is_valid():
        return render(request, "analytics/desk.html", context, status=422)
    period = form.period()
    # Figures read from the day table are the same until its next refresh: their part of the
    # page is a fragment cached under the basis, the period and the table's 数据截至, and the
    # figures are only read (lazily) when the fragment is not cached. Computed ones (a judge's
    # own) are rendered each time.
    kept_at = selectors.desk_figures_kept_at(basis=basis)
    figures = SimpleLazyObject(partial(selectors.desk_figures, basis=basis, period=period))
    shown = {"start": f"{period.start:%Y-%m-%d}", "end": f"{period.end:%Y-%m-%d}"}
    context.update(
        form=PeriodForm(shown, today=form.today),  # the dates of a preset, shown in the inputs
        has_figures=True,
        figures=figures,
        # (A dict in a lazy object: json_script serialises what ``chart.data`` resolves to.)
        chart=SimpleLazyObject(lambda: {"data": chart_data(figures, CHARTED)}),  # type: ignore[arg-type]
        export_query=request.GET.urlencode(),
        fragment=(
            None
            if kept_at is None
            else f"{basis.key}:{period.start:%Y%m%d}-{period.end:%Y%m%d}:{kept_at.timestamp()}"
        ),
    )
    return render(request, "analytics/desk.html", context)


@require_GET
@login_required
def desk_export(request: HttpRequest) -> HttpResponse:
    basis = selectors.desk_figures_basis(user=request.user)
    form = PeriodForm(request.GET, today=timezone.localdate())
    if not form.is_valid():
        fields = {name: [str(m) for m in messages] for name, messages in form.errors.items()}
        raise ValidationFailed("统计期间有误", fields=fields)
    period = form.period()
    figures = selectors.desk_figures(basis=basis, period=period)
    response = HttpResponse(desk_figures_workbook(figures), content_type=XLSX)
    filename = f"诉事速办统计_{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx"
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    return response
