"""The figures' links in the staff navigation (youjie.core.navigation)."""

from __future__ import annotations

from youjie.analytics.permissions import (
    may_see_campaign_figures,
    may_see_court_figures,
    may_see_court_screen,
    may_see_desk_figures,
)
from youjie.core.navigation import register_nav_entry

register_nav_entry(
    label="办理统计", url_name="analytics:desk", order=40, visible=may_see_desk_figures
)
register_nav_entry(
    label="审判质效", url_name="analytics:court", order=41, visible=may_see_court_figures
)
register_nav_entry(
    label="化解攻坚统计", url_name="analytics:campaign", order=42, visible=may_see_campaign_figures
)
register_nav_entry(
    label="数据大屏", url_name="analytics:screen", order=43, visible=may_see_court_screen
)
register_nav_entry(
    label="数据大屏", url_name="analytics:screen_city", order=44, visible=may_see_campaign_figures
)
