"""Pure rules about personal data. No queries beyond the user's cached role set."""

from __future__ import annotations

from typing import Any

from youjie.orgs.choices import Role

# Roles whose task at hand needs the full ID number, phone and address: reception registers
# and identifies callers, judges and clerks serve documents and contact parties, case handlers
# meet petitioners. Everyone else sees the masked forms (../shared/DESIGN.md "Who sees what").
FULL_DATA_ROLES: frozenset[str] = frozenset(
    {Role.RECEPTIONIST, Role.JUDGE, Role.CLERK, Role.CASE_HANDLER}
)


def can_view_full_personal_data(user: Any) -> bool:
    """Whether ``user`` may have a person's full ID number, phone or address revealed.

    Superuser status alone does not grant it: administrators see personal data only through
    a role granted to them, and every showing is audited.
    """
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if getattr(user, "is_service_account", False):
        return False
    return bool(user.has_role(*FULL_DATA_ROLES))
