"""审判质效: the court leader's and the division head's figures, read from the day table the
background engine keeps current, each count and rate linking to the cases behind it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from youjie.analytics import court_selectors
from youjie.analytics.court_figures import DEFINITIONS as COURT_DEFINITIONS
from youjie.analytics.court_figures import chart_data as court_chart_data
from youjie.analytics.forms import CourtFiguresForm
from youjie.analytics.periods import COURT_PRESETS


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
