"""Who may change the working-day calendar. Pure rules; views and services both ask here."""

from __future__ import annotations

from typing import TypeGuard

from youjie.core.viewers import StaffUser, Viewer


def can_edit_calendar(user: Viewer) -> TypeGuard[StaffUser]:
    """Administrators (the role) and superusers may enter or remove a year's schedule."""
    if not user.is_authenticated or not isinstance(user, StaffUser):
        return False
    return user.is_superuser or user.has_role("administrator")
