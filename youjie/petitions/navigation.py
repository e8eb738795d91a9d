"""The petitions links in the staff navigation (youjie.core.navigation)."""

from __future__ import annotations

from youjie.core.navigation import register_nav_entry
from youjie.petitions.permissions import is_department_liaison, may_see_petitions

register_nav_entry(
    label="信访化解", url_name="petitions:dashboard", order=45, visible=may_see_petitions
)
# A department liaison's page is the coordination list (their department's requests).
register_nav_entry(
    label="协调联动", url_name="petitions:coordination", order=46, visible=is_department_liaison
)
