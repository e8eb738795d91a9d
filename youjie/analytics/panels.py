"""The home-page panel that leads to the desk figures."""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch, reverse

from youjie.analytics.permissions import may_see_desk_figures
from youjie.core.panels import Panel, register_panel


@register_panel
def desk_figures_panel(user: Any) -> Panel | None:
    if not may_see_desk_figures(user):
        return None
    try:
        url = reverse("analytics:desk")
    except NoReverseMatch:  # the app is installed but its URLs are not mounted
        return None
    return Panel(
        title="诉事速办统计",
        url=url,
        text="受理量、回音率、按期办结率、满意度与回访结果，与去年同期比较",
        order=40,
    )
