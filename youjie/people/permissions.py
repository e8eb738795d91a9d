"""Pure rules about personal data. No queries beyond the user's cached role set."""

from __future__ import annotations

from typing import TypeGuard

from youjie.core.viewers import Viewer
from youjie.orgs.choices import Role
from youjie.orgs.models import User

# Roles whose task at hand needs the full ID number, phone and address: reception registers
# and identifies callers, judges and clerks serve documents and contact parties, case handlers
# meet petitioners. Everyone else sees the masked forms (../shared/DESIGN.md "Who sees what").
FULL_DATA_ROLES: frozenset[str] = frozenset(
    {Role.RECEPTIONIST, Role.JUDGE, Role.CLERK, Role.CASE_HANDLER}
)


def can_view_full_personal_data(user: Viewer) -> TypeGuard[User]:
    """Whether ``user`` may have a person's full ID number, phone or address revealed.

    Superuser status alone does not grant it: administrators see personal data only through
    a role granted to them, and every showing is audited.
    """
    if not isinstance(user, User) or not user.is_active or user.is_service_account:
        return False
    return user.has_role(*FULL_DATA_ROLES)
