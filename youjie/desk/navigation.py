"""The desk's links in the staff navigation (youjie.core.navigation), for desk staff."""

from __future__ import annotations

from youjie.core.navigation import register_nav_entry
from youjie.desk.permissions import is_desk_staff

register_nav_entry(label="诉事速办", url_name="desk:my_queue", order=20, visible=is_desk_staff)
register_nav_entry(label="登记诉求", url_name="desk:intake", order=30, visible=is_desk_staff)
