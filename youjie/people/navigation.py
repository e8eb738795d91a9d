"""The person search's link in the staff navigation (youjie.core.navigation), for everybody
signed in: the search itself is scoped (youjie.orgs.scoping)."""

from __future__ import annotations

from youjie.core.navigation import register_nav_entry

register_nav_entry(label="人员查询", url_name="people:search", order=50)
