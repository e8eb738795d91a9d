"""The home-page card of the mediation app (youjie.core.panels): a mediator's own mediations
(waiting for confirmation, under way, overdue, sessions ahead); a court staff member's court's.
Registered from ``MediationConfig.ready``."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from youjie.core.panels import Panel, PanelFigure, register_panel
from youjie.core.viewers import Viewer
from youjie.mediation.permissions import is_mediator, staff_court


def _list(**query: str) -> str:
    url = reverse("mediation:list")
    return f"{url}?{urlencode(query)}" if query else url


@register_panel
def mediation_panel(user: Viewer) -> Panel | None:
    from youjie.mediation import selectors

    if is_mediator(user):
        figures = selectors.mediator_figures(user=user)
        title, text, mine = "我的诉前调解", "委派给您的调解案件，请在3个工作日内确认接受。", "1"
    else:
        court = staff_court(user)
        if court is None:
            return None
        figures = selectors.court_figures(court=court)
        title, text, mine = "诉前调解", f"{court.name}委派和主持的诉前调解案件。", ""
    base = {"mine": mine} if mine else {}
    return Panel(
        title=title,
        url=_list(**base),
        text=text,
        order=38,
        figures=(
            PanelFigure("待确认", str(figures.waiting), "件", _list(**base, status="assigned")),
            PanelFigure("调解中", str(figures.under_way), "件", _list(**base, status="accepted")),
            PanelFigure("已超期", str(figures.overdue), "件", _list(**base, overdue="on")),
            PanelFigure("待开调解会", str(figures.sessions_ahead), "场"),
        ),
    )
