"""The petitions work page of each role (工作台): the office's campaign at a glance (the city
office over the city, a county office over its region: the scope decides), the lead official's
own matters and the petitioners not yet met (每案必见), the handler's matters. (A department
liaison's page is the coordination list, ``views.records``.)

Every figure links to the list behind it (the list's filters in the query string).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from youjie.orgs.choices import Role
from youjie.orgs.models import User
from youjie.petitions import selectors
from youjie.petitions.models import Campaign
from youjie.petitions.permissions import is_office_officer
from youjie.petitions.views.campaigns import chart_data
from youjie.petitions.views.common import petitions_user

SHOWN = 10


def list_url(**filters: Any) -> str:
    """The matter list with ``filters`` (the list form's names) in its query string."""
    query = urlencode({key: value for key, value in filters.items() if value not in ("", None)})
    return reverse("petitions:list") + (f"?{query}" if query else "")


@dataclass(frozen=True)
class Figure:
    label: str
    value: int
    url: str
    alarm: bool = False


def figures_of(figures: selectors.Figures, *, not_met: int, **filters: Any) -> list[Figure]:
    """The figures of a set of matters, each linking to its list."""
    return [
        Figure("事项总数", figures.total, list_url(status="counted", **filters)),
        Figure("已化解", figures.resolved, list_url(status="done", **filters)),
        Figure("事心双解", figures.settled, list_url(status="settled", **filters)),
        Figure("未化解", figures.in_progress, list_url(status="open", **filters)),
        Figure("超期", figures.overdue, list_url(overdue="on", **filters), figures.overdue > 0),
        Figure("尚未见面", not_met, list_url(not_met="on", **filters), not_met > 0),
    ]


def campaign_section(user: User, campaign: Campaign) -> dict[str, Any]:
    """A campaign at a glance: N of M resolved, by region (and unit), overdue, not yet met."""
    progress = selectors.campaign_progress(user=user, campaign=campaign)
    region_rows = progress.by_region
    figures = selectors.figures_sum(region_rows)  # every matter has one region
    not_met = (
        selectors.matters_not_yet_met(user=user).filter(campaign_matters__campaign=campaign).count()
    )
    by_region = [
        (row, list_url(campaign=campaign.pk, region=row.key, status="counted"))
        for row in region_rows
    ]
    by_unit = [
        (row, list_url(campaign=campaign.pk, unit=row.key, status="counted"))
        for row in progress.by_unit
    ]
    return {
        "campaign": campaign,
        "totals": figures,
        "figures": figures_of(figures, not_met=not_met, campaign=campaign.pk),
        "by_region": by_region,
        "by_unit": by_unit,
        "chart": chart_data(campaign, user, region_rows),
    }


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    user = petitions_user(request)
    context: dict[str, Any] = {"active": "dashboard", "role": "unit"}
    all_figures = selectors.matter_figures(user=user)
    context["figures"] = figures_of(
        all_figures, not_met=selectors.matters_not_yet_met(user=user).count()
    )
    if is_office_officer(user):
        context["role"] = "office"
        campaign = selectors.campaign_open_for_user(user=user)
        if campaign is not None:
            context["campaign"] = campaign_section(user, campaign)
        context["follow_ups"] = list(selectors.follow_ups_due(user=user)[:SHOWN])
        context["stalled"] = selectors.matter_rows(
            list(selectors.matter_list(user=user, overdue=True)[:SHOWN])
        )
    if user.has_role(Role.LEAD_OFFICIAL):
        context["role"] = "lead" if context["role"] == "unit" else context["role"]
        led = selectors.matters_of_lead_official(user=user, lead_official_id=user.pk)
        not_met_led = selectors.matters_not_yet_met(user=user).filter(lead_official=user)
        context["led"] = {
            "figures": figures_of(
                selectors.figures_for(led), not_met=not_met_led.count(), lead=user.pk
            ),
            "rows": selectors.matter_rows(list(led[:SHOWN])),
            "not_met": selectors.matter_rows(
                list(not_met_led.select_related(*selectors.MATTER_RELATED)[:SHOWN])
            ),
            "petitioners_not_met": selectors.petitioners_not_yet_met(
                user=user, lead_official_id=user.pk
            ),
            "more_url": list_url(lead=user.pk),
        }
    if user.has_role(Role.CASE_HANDLER):
        context["role"] = "handler" if context["role"] == "unit" else context["role"]
        handled = selectors.matters_of_handler(user=user, handler_id=user.pk)
        context["handled"] = selectors.matter_rows(list(handled[:SHOWN]))
    return render(request, "petitions/dashboard.html", context)
