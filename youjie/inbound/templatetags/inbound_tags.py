from __future__ import annotations

from django import template

from youjie.core.viewers import Viewer
from youjie.inbound.selectors import staff_groups

register = template.Library()


@register.filter
def receives_screen_pop(user: Viewer | None) -> bool:
    """Desk staff get the incoming-call pop-up (the socket checks again on connect)."""
    return bool(staff_groups(user))
