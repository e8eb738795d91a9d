"""The desk figures' link in the staff navigation (youjie.core.navigation)."""

from __future__ import annotations

from youjie.analytics.permissions import may_see_desk_figures
from youjie.core.navigation import register_nav_entry

register_nav_entry(
    label="办理统计", url_name="analytics:desk", order=40, visible=may_see_desk_figures
)
