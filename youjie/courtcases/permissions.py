"""Pure rules: who may do what with court cases. Nothing here queries beyond the user's roles."""

from __future__ import annotations

from typing import TypeGuard

from youjie.core.viewers import Viewer
from youjie.courtcases.models import CourtCase
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


# --- hearings ---------------------------------------------------------------------------------

# Court staff who work with hearings: the upcoming-hearings page and its navigation link.
HEARING_STAFF_ROLES: frozenset[str] = frozenset(
    {Role.JUDGE, Role.CLERK, Role.DIVISION_HEAD, Role.COURT_LEADER, Role.RECEPTIONIST}
)


def may_see_hearings(user: Viewer) -> bool:
    """Whether the upcoming-hearings page is for ``user``; which hearings is their scope's."""
    if not isinstance(user, User) or not user.is_active:
        return False
    return user.is_superuser or user.has_role(*HEARING_STAFF_ROLES)


def can_manage_hearings(user: Viewer, court_case: CourtCase) -> TypeGuard[User]:
    """Schedule, postpone, cancel, mark held, record attendance: the case's judge or clerk, the
    head of the case's division, or a leader of the case's court (``court_case.court`` loaded)."""
    if not isinstance(user, User) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if user.pk is not None and user.pk in (court_case.judge_id, court_case.clerk_id):
        return True
    unit = user.org_unit
    if unit is None:
        return False
    if user.has_role(Role.DIVISION_HEAD) and court_case.division_id == unit.pk:
        return True
    court_path = court_case.court.path
    return (
        user.has_role(Role.COURT_LEADER) and bool(court_path) and unit.path.startswith(court_path)
    )
