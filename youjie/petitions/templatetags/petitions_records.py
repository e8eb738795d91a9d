"""Filters of the records section, the coordination page and the aid list (P2): amounts in 元."""

from __future__ import annotations

from decimal import Decimal

from django import template

from youjie.core.viewers import Viewer
from youjie.petitions.permissions import may_see_aid_list

register = template.Library()


@register.filter
def money(value: Decimal | None) -> str:
    """292444.2 → "292,444.20"; nothing → "—". Amounts are Decimal to the 分."""
    if value is None:
        return "—"
    return f"{Decimal(value):,.2f}"


@register.filter
def may_list_aid(user: Viewer) -> bool:
    """Whether the 救助台账 tab is shown (the page checks the same rule)."""
    return may_see_aid_list(user)
