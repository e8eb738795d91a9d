"""The fees link in the staff navigation (youjie.core.navigation)."""

from __future__ import annotations

from youjie.core.navigation import register_nav_entry
from youjie.fees.permissions import may_see_fees

register_nav_entry(label="诉讼费", url_name="fees:notice_list", order=62, visible=may_see_fees)
