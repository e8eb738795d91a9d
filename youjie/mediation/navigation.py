"""The mediation link in the staff navigation (youjie.core.navigation): mediators and the
staff of courts."""

from __future__ import annotations

from youjie.core.navigation import register_nav_entry
from youjie.mediation.permissions import may_use_mediation

register_nav_entry(label="诉前调解", url_name="mediation:list", order=38, visible=may_use_mediation)
