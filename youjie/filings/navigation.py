"""The filings link in the staff navigation (youjie.core.navigation): court staff."""

from __future__ import annotations

from youjie.core.navigation import register_nav_entry
from youjie.filings.permissions import may_see_filings

register_nav_entry(label="网上立案", url_name="filings:list", order=35, visible=may_see_filings)
