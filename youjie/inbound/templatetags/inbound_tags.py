from __future__ import annotations

from typing import Any

from django import template

from youjie.inbound.selectors import staff_groups

register = template.Library()


@register.filter
def receives_screen_pop(user: Any) -> bool:
    """Desk staff get the incoming-call pop-up (the socket checks again on connect)."""
    return bool(staff_groups(user))
