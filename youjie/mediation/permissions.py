"""Pure rules: who may do what in pre-litigation mediation. Who may *see* a mediation is
``youjie.mediation.scopes``; these rules are asked about records the user can already see.

- Court staff of the filing's competent court (立案庭 receptionists, judges, clerks, division
  heads, court leaders) delegate a filing to mediation, supervise it (record a failure or a
  withdrawal, a confirmation application) and decide on judicial confirmations; deciding a
  confirmation and recording a mediation document take a judge, a division head or a leader.
- The mediator a mediation is assigned to conducts it: accepts, extends with the parties'
  agreement, schedules and records sessions, records the agreement or the failure. Their
  organisation's other staff have no part in it (they see nothing of it).
"""

from __future__ import annotations

from typing import TypeGuard

from youjie.core.viewers import Viewer
from youjie.mediation.models import Mediation
from youjie.orgs.choices import Role
from youjie.orgs.models import OrgUnit, User
from youjie.orgs.scoping import court_of_user

COURT_STAFF_ROLES = (
    Role.RECEPTIONIST,
    Role.JUDGE,
    Role.CLERK,
    Role.DIVISION_HEAD,
    Role.COURT_LEADER,
)
# Who decides on a judicial confirmation or records a mediation document for the court.
DECIDING_ROLES = (Role.JUDGE, Role.DIVISION_HEAD, Role.COURT_LEADER)
# Who may conduct a mediation the court keeps (法官+调解).
COURT_MEDIATOR_ROLES = (Role.JUDGE, Role.MEDIATOR)


def is_mediator(user: Viewer) -> TypeGuard[User]:
    return isinstance(user, User) and user.is_active and user.has_role(Role.MEDIATOR)


def staff_court(user: Viewer) -> OrgUnit | None:
    """The court whose mediations ``user`` supervises: a court staff member's court."""
    if not isinstance(user, User) or not user.is_active or not user.has_role(*COURT_STAFF_ROLES):
        return None
    return court_of_user(user)


def is_court_staff(user: Viewer, court: OrgUnit | None = None) -> TypeGuard[User]:
    """Staff of a court (of ``court`` when given)."""
    own = staff_court(user)
    return own is not None and (court is None or own.pk == court.pk)


def may_use_mediation(user: Viewer) -> TypeGuard[User]:
    """Whether the mediation pages are for ``user`` at all (the navigation asks this)."""
    return isinstance(user, User) and (
        user.is_superuser or is_mediator(user) or is_court_staff(user)
    )


def can_delegate(user: Viewer, court: OrgUnit) -> TypeGuard[User]:
    """Delegate a filing of ``court`` (its competent court) to mediation."""
    return is_court_staff(user, court)


def can_conduct(user: Viewer, mediation: Mediation) -> TypeGuard[User]:
    """The assigned mediator: accept, extend, sessions, agreement, failure."""
    return isinstance(user, User) and user.is_active and user.pk == mediation.mediator_id


def can_supervise(user: Viewer, mediation: Mediation) -> TypeGuard[User]:
    """Staff of the court that delegated the mediation."""
    court = staff_court(user)
    return court is not None and court.pk == mediation.court_id


def can_end(user: Viewer, mediation: Mediation) -> TypeGuard[User]:
    """Record a failure or a withdrawal, or a confirmation application: the mediator or the
    court."""
    return can_conduct(user, mediation) or can_supervise(user, mediation)


def can_decide(user: Viewer, mediation: Mediation) -> TypeGuard[User]:
    """Decide on a judicial confirmation (accept, extend, confirm, refuse) or record the
    mediation document: a judge, division head or leader of the delegating court."""
    return can_supervise(user, mediation) and user.has_role(*DECIDING_ROLES)


def can_register_confirmation(user: Viewer, mediation: Mediation) -> TypeGuard[User]:
    """Accept or refuse to accept a confirmation application (立案): the court's staff."""
    return can_supervise(user, mediation)
