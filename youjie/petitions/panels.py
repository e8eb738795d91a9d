"""Home-page panels of the petitions app (youjie.core.panels), one per role:

- office officers (市专项办, 旗县区专项办): the campaign at a glance — N of M resolved, overdue,
  not yet met, follow-ups due — over what their scope holds (the city, or their region);
- lead officials: their own matters and the petitioners not yet met (每案必见);
- case handlers: the matters they handle;
- unit leaders: their units' matters;
- department liaisons: the coordination requests addressed to their department (P2's; until
  then an empty state).

Each figure links to the list behind it. Registered from ``PetitionsConfig.ready``.
"""

from __future__ import annotations

from django.urls import reverse

from youjie.core.panels import Panel, PanelFigure, register_panel
from youjie.core.viewers import Viewer
from youjie.orgs.choices import Role
from youjie.orgs.models import User
from youjie.petitions import dossier  # noqa: F401  (registers the 一人一档 section)
from youjie.petitions.permissions import (
    is_department_liaison,
    is_office_officer,
    may_see_petitions,
)


def _list(**filters: object) -> str:
    from youjie.petitions.views.home import list_url

    return list_url(**filters)


@register_panel
def petitions_panel(user: Viewer) -> Panel | None:
    if not may_see_petitions(user):
        return None
    from youjie.petitions import selectors

    dashboard = reverse("petitions:dashboard")
    if is_office_officer(user):
        campaign = selectors.campaign_open_for_user(user=user)
        if campaign is not None:
            figures = selectors.campaign_figures(user=user, campaign=campaign)
            not_met = (
                selectors.matters_not_yet_met(user=user)
                .filter(campaign_matters__campaign=campaign)
                .count()
            )
            due = selectors.follow_ups_due(user=user).filter(campaign=campaign).count()
            return Panel(
                title=campaign.name,
                url=dashboard,
                text=f"已化解 {figures.resolved}/{figures.total} 件，事心双解 {figures.settled} 件",
                order=3,
                figures=(
                    PanelFigure(
                        "已化解",
                        f"{figures.resolved}/{figures.total}",
                        "件",
                        _list(campaign=campaign.pk, status="done"),
                    ),
                    PanelFigure(
                        "超期",
                        str(figures.overdue),
                        "件",
                        _list(campaign=campaign.pk, overdue="on"),
                    ),
                    PanelFigure(
                        "尚未见面", str(not_met), "件", _list(campaign=campaign.pk, not_met="on")
                    ),
                    PanelFigure("回头看到期", str(due), "件", dashboard),
                ),
            )
    if user.has_role(Role.LEAD_OFFICIAL):
        return _lead_panel(user, dashboard)
    handler = user.has_role(Role.CASE_HANDLER)
    figures = selectors.figures_for(
        selectors.matters_of_handler(user=user, handler_id=user.pk)
        if handler
        else selectors.visible_matters(user=user)
    )
    return Panel(
        title="我承办的信访事项" if handler else "信访化解",
        url=dashboard,
        text=(
            f"共 {figures.total} 件，已化解 {figures.resolved} 件，未化解 {figures.in_progress} 件"
        ),
        order=3,
        figures=(
            PanelFigure("未化解", str(figures.in_progress), "件", _list(status="open")),
            PanelFigure("超期", str(figures.overdue), "件", _list(overdue="on")),
        ),
    )


def _lead_panel(user: User, dashboard: str) -> Panel:
    """The lead official's own matters (包案) and 每案必见: the petitioners not yet met."""
    from youjie.petitions import selectors

    led = selectors.matters_of_lead_official(user=user, lead_official_id=user.pk)
    figures = selectors.figures_for(led)
    people = selectors.petitioners_not_yet_met(user=user, lead_official_id=user.pk)
    lead = user.pk
    return Panel(
        title="我的包案事项",
        url=dashboard,
        text=(
            f"包案 {figures.total} 件，已化解 {figures.resolved} 件；"
            f"每案必见：尚有 {people} 名信访人未见面"
        ),
        order=3,
        figures=(
            PanelFigure("包案", str(figures.total), "件", _list(lead=lead, status="counted")),
            PanelFigure("未化解", str(figures.in_progress), "件", _list(lead=lead, status="open")),
            PanelFigure("超期", str(figures.overdue), "件", _list(lead=lead, overdue="on")),
            PanelFigure("未见面信访人", str(people), "人", _list(lead=lead, not_met="on")),
        ),
    )


@register_panel
def liaison_panel(user: Viewer) -> Panel | None:
    """The department liaison's coordination requests awaiting their reply (协调联动)."""
    if not is_department_liaison(user):
        return None
    from youjie.petitions.selectors import coordination_open

    waiting = coordination_open(user=user).count()
    url = reverse("petitions:coordination")
    return Panel(
        title="协调联动",
        url=url,
        text=f"待答复的协调请求 {waiting} 件" if waiting else "暂无待答复的协调请求。",
        order=3,
        figures=(PanelFigure("待答复", str(waiting), "件", url),),
    )
