"""The petitions work page of each role (工作台): the office's campaign at a glance (the city
office over the city, a county office over its region: the scope decides), the lead official's
own matters and the petitioners not yet met (每案必见), the handler's matters. (A department
liaison's page is the coordination list, ``views.records``.)

Every figure links to the list behind it (the list's filters in the query string). The
figures over all the viewer's matters and the open campaign's are kept per viewer by the
background engine (``petitions.snapshots``) and shown with their 数据截至; the lists are read
now (their rows as they stand; which matters head the office's two lists, as of the figures).
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

from youjie.core.snapshots import snapshot_current, snapshot_recompute
from youjie.orgs.choices import Role
from youjie.orgs.models import User
from youjie.petitions import selectors
from youjie.petitions.permissions import is_office_officer
from youjie.petitions.snapshots import DASHBOARD, SHOWN
from youjie.petitions.views.common import petitions_user


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


def campaign_section(user: User, kept: dict[str, Any]) -> dict[str, Any] | None:
    """A campaign at a glance from its kept figures: N of M resolved, by region and unit,
    overdue, not yet met (None: the campaign is gone since)."""
    campaign = selectors.campaign_list(user=user).filter(pk=kept["id"]).first()
    if campaign is None:
        return None
    figures = selectors.Figures(**kept["totals"])
    by_region = [selectors.Figures(**row) for row in kept["by_region"]]
    by_unit = [selectors.Figures(**row) for row in kept["by_unit"]]
    return {
        "campaign": campaign,
        "totals": figures,
        "figures": figures_of(figures, not_met=kept["not_met"], campaign=campaign.pk),
        "by_region": [
            (row, list_url(campaign=campaign.pk, region=row.key, status="counted"))
            for row in by_region
        ],
        "by_unit": [
            (row, list_url(campaign=campaign.pk, unit=row.key, status="counted")) for row in by_unit
        ],
        "chart": kept["chart"],
    }


def _in_order(rows: list[Any], ids: list[int]) -> list[Any]:
    position = {pk: index for index, pk in enumerate(ids)}
    return sorted(rows, key=lambda row: position[row.pk])


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    user = petitions_user(request)
    context: dict[str, Any] = {"active": "dashboard", "role": "unit"}
    # The figures over all the viewer's matters are kept by the background engine (one row).
    snapshot = snapshot_current(user=user, kind=DASHBOARD)
    if (snapshot.payload.get("office") is not None) != is_office_officer(user):
        snapshot = snapshot_recompute(user=user, kind=DASHBOARD)  # a role given or taken since
    kept = snapshot.payload
    context["as_of"] = snapshot.computed_at
    context["figures"] = figures_of(selectors.Figures(**kept["figures"]), not_met=kept["not_met"])
    office = kept.get("office")
    if office is not None:
        context["role"] = "office"
        if office["campaign"] is not None:
            context["campaign"] = campaign_section(user, office["campaign"])
        follow_ups = selectors.follow_ups_due(user=user).filter(pk__in=office["follow_ups"])
        context["follow_ups"] = _in_order(list(follow_ups), office["follow_ups"])
        stalled = selectors.matter_list(user=user).filter(pk__in=office["stalled"])
        context["stalled"] = selectors.matter_rows(_in_order(list(stalled), office["stalled"]))
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
