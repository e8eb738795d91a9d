"""The home-page panels that lead to the desk figures, and the leaders' overview of them."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from youjie.analytics.periods import preset_period
from youjie.analytics.permissions import may_see_desk_figures
from youjie.core.panels import Panel, PanelFigure, register_panel
from youjie.core.viewers import Viewer
from youjie.orgs.choices import Role
from youjie.orgs.models import User


@register_panel
def desk_figures_panel(user: Viewer) -> Panel | None:
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


@register_panel
def leader_overview_panel(user: Viewer) -> Panel | None:
    """What a court leader or division head opens the desk for: this month's figures over their
    scope (the same numbers as the figures page), and what is overdue or supervised."""
    if not isinstance(user, User) or not user.has_role(Role.COURT_LEADER, Role.DIVISION_HEAD):
        return None
    from youjie.analytics.selectors import desk_figures, desk_figures_basis
    from youjie.desk.selectors import overdue_list, supervised_list

    basis = desk_figures_basis(user=user)
    period = preset_period("month", timezone.localdate())
    total = desk_figures(basis=basis, period=period).total
    return Panel(
        title=f"{basis.label}诉事速办概况",
        url=reverse("analytics:desk"),
        text=f"{basis.label} · {period.label}",
        order=5,
        figures=(
            PanelFigure("本月受理", str(total.current.received), "件"),
            PanelFigure("按期回音率", total.response_rate),
            PanelFigure("按期办结率", total.completion_rate),
            PanelFigure("满意度", total.satisfaction_mean),
            PanelFigure(
                "超期", str(overdue_list(user=user).count()), "件", reverse("desk:overdue")
            ),
            PanelFigure(
                "督办中", str(supervised_list(user=user).count()), "件", reverse("desk:supervised")
            ),
        ),
    )
