"""Who may change the working-day calendar. Pure rules; views and services both ask here."""

from __future__ import annotations


def can_edit_calendar(user: object) -> bool:
    """Administrators (the role) and superusers may enter or remove a year's schedule."""
    if not getattr(user, "is_authenticated", False):
        return False
    if getattr(user, "is_superuser", False):
        return True
    has_role = getattr(user, "has_role", None)
    return bool(has_role is not None and has_role("administrator"))
