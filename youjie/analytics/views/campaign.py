"""化解攻坚统计: the city and county offices' dashboard — the campaign's progress by region and
unit with its burn-down, overdue matters, petitioners not yet met, aid and coordination, the
period beside last year's; every figure opens the petitions list behind it."""

from __future__ import annotations

from dataclasses import asdict

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from youjie.analytics import campaign_selectors
from youjie.analytics.forms import CampaignFiguresForm
from youjie.analytics.periods import PRESETS
from youjie.core.snapshots import snapshot_current


@require_GET
@login_required
def campaign(request: HttpRequest) -> HttpResponse:
    user = campaign_selectors.campaign_figures_user(user=request.user)
    choices = campaign_selectors.campaign_choices(user=user)
    form = CampaignFiguresForm(request.GET, today=timezone.localdate(), campaigns=choices)
    context: dict[str, object] = {"form": form, "presets": PRESETS}
    if not form.is_valid():
        return render(request, "analytics/campaign.html", context, status=422)
    chosen = campaign_selectors.campaign_for(user=user, campaign_id=form.cleaned_data["campaign"])
    # Kept per viewer, campaign and period by the background engine (one row read; recomputed
    # every minute while viewed): the page says 数据截至.
    period = form.period()
    snapshot = snapshot_current(
        user=user,
        kind=campaign_selectors.CAMPAIGN_SNAPSHOT,
        key=campaign_selectors.campaign_snapshot_key(campaign=chosen, period=period),
    )
    figures = campaign_selectors.campaign_figures_kept(
        payload=snapshot.payload, campaign=chosen, period=period
    )
    chart = {
        "burndown": asdict(figures.burndown) if figures.burndown else None,
        "regions": {
            "labels": [row.name for row in figures.by_region],
            "resolved": [row.resolved for row in figures.by_region],
            "in_progress": [row.in_progress for row in figures.by_region],
            "overdue": [row.overdue for row in figures.by_region],
            "links": [row.url for row in figures.by_region],
        },
    }
    period = figures.period
    shown = {  # the dates of a preset, and the campaign shown, in the inputs
        "start": f"{period.start:%Y-%m-%d}",
        "end": f"{period.end:%Y-%m-%d}",
        "campaign": str(chosen.pk) if chosen is not None else "",
    }
    form = CampaignFiguresForm(shown, today=form.today, campaigns=choices)
    context.update(form=form, figures=figures, chart=chart)
    return render(request, "analytics/campaign.html", context)
