"""Pure rules: who may do what with court cases. Nothing here queries beyond the user's roles."""

from __future__ import annotations

from typing import TypeGuard

from youjie.core.viewers import Viewer
from youjie.orgs.choices import Role
from youjie.orgs.models import User

# Reception staff, court leaders and administrators load the court's case list by hand; the
# court case system's integration account (token bound to the court) loads it through the API.
IMPORT_ROLES: frozenset[str] = frozenset(
    {Role.RECEPTIONIST, Role.COURT_LEADER, Role.ADMINISTRATOR, Role.INTEGRATION}
)


def can_import_cases(user: Viewer) -> TypeGuard[User]:
    """Whether ``user`` may import case lists at all; which courts is their scope's business
    (``selectors.importable_courts``)."""
    if not isinstance(user, User) or not user.is_active:
        return False
    return user.is_superuser or user.has_role(*IMPORT_ROLES)
