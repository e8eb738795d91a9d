"""The home-page panel of the filings app (youjie.core.panels): for a court's 立案 staff and
division heads, what waits at their court — filings to check, to review, overdue (先行立案),
awaiting a supplement — each figure linking to its queue. Registered from ``ready``."""

from __future__ import annotations

from django.urls import reverse

from youjie.core.panels import Panel, PanelFigure, register_panel
from youjie.core.viewers import Viewer
from youjie.filings import dossier  # noqa: F401  (registers the 一人一档 section)
from youjie.filings.permissions import may_decide_filings


def _queue(name: str) -> str:
    return f"{reverse('filings:list')}?queue={name}"


@register_panel
def filings_panel(user: Viewer) -> Panel | None:
    if not may_decide_filings(user):
        return None
    from youjie.filings.selectors import queue_counts

    counts = queue_counts(user=user)
    overdue = counts["overdue"]
    text = f"待审查 {counts['review']} 件，待协作核对 {counts['check']} 件"
    if overdue:
        text += f"，超期未决 {overdue} 件，应先行立案"
    return Panel(
        title="网上立案",
        url=reverse("filings:list"),
        text=text,
        order=6,
        figures=(
            PanelFigure("待审查", str(counts["review"]), "件", _queue("review")),
            PanelFigure("超期未决", str(overdue), "件", _queue("overdue")),
            PanelFigure("待协作核对", str(counts["check"]), "件", _queue("check")),
            PanelFigure("待补正", str(counts["supplement"]), "件", _queue("supplement")),
        ),
    )
