"""The working-day calendar's link in the staff navigation (youjie.core.navigation), for
everybody signed in."""

from __future__ import annotations

from youjie.core.navigation import register_nav_entry

register_nav_entry(label="工作日历", url_name="workdays:index", order=70)
