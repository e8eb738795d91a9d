"""The court cases' link in the staff navigation (youjie.core.navigation), for everybody
signed in: the list itself is scoped (youjie.orgs.scoping)."""

from __future__ import annotations

from youjie.core.navigation import register_nav_entry
from youjie.courtcases.permissions import may_see_hearings

register_nav_entry(label="法院案件", url_name="courtcases:list", order=60)
register_nav_entry(
    label="庭审安排", url_name="courtcases:hearings", order=63, visible=may_see_hearings
)
