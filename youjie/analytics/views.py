"""Pages: the desk figures dashboard and its .xlsx export (same basis, same period rules), and
the court performance figures (审判质效)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from youjie.analytics import court_selectors, selectors
from youjie.analytics.court_figures import DEFINITIONS as COURT_DEFINITIONS
from youjie.analytics.court_figures import chart_data as court_chart_data
from youjie.analytics.exports import DEFINITIONS, desk_figures_workbook
from youjie.analytics.figures import VISIT_RESULTS, chart_data
from youjie.analytics.forms import CourtFiguresForm, PeriodForm
from youjie.analytics.periods import COURT_PRESETS, PRESETS
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
    figures = selectors.desk_figures(basis=basis, period=period)
    shown = {"start": f"{period.start:%Y-%m-%d}", "end": f"{period.end:%Y-%m-%d}"}
    context.update(
        form=PeriodForm(shown, today=form.today),  # the dates of a preset, shown in the inputs
        figures=figures,
        data=chart_data(figures, CHARTED),
        export_query=request.GET.urlencode(),
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


@require_GET
@login_required
def court(request: HttpRequest) -> HttpResponse:
    """审判质效: the court leader's (the court) and the division head's (the division) figures,
    this period and the same period last year, by division and by case type."""
    court_unit = court_selectors.court_figures_court(user=request.user)
    divisions = court_selectors.court_figures_divisions(user=request.user, court=court_unit)
    judges = court_selectors.court_figures_judges(user=request.user, court=court_unit)
    choices = {
        "divisions": [(unit.pk, unit.name) for unit in divisions],
        "judges": [(user.pk, user.display_name or user.username) for user in judges],
    }
    form = CourtFiguresForm(request.GET, today=timezone.localdate(), **choices)
    context: dict[str, object] = {
        "form": form,
        "presets": COURT_PRESETS,
        "definitions": COURT_DEFINITIONS,
        "list_url": reverse("courtcases:list"),
    }
    if not form.is_valid():
        return render(request, "analytics/court.html", context, status=422)
    data = form.cleaned_data
    basis = court_selectors.court_figures_basis(
        user=request.user,
        court_code=court_unit.court_code,
        division_id=data.get("division"),
        judge_id=data.get("judge"),
        type_code=data.get("type") or "",
    )
    figures = court_selectors.court_figures(basis=basis, period=form.period())
    shown = {
        "start": f"{figures.period.start:%Y-%m-%d}",
        "end": f"{figures.period.end:%Y-%m-%d}",
        "division": data.get("division") or "",
        "judge": data.get("judge") or "",
        "type": data.get("type") or "",
    }
    context.update(
        form=CourtFiguresForm(shown, today=form.today, **choices),
        figures=figures,
        lines=figures.total_lines(),
        data=court_chart_data(figures),
    )
    return render(request, "analytics/court.html", context)
