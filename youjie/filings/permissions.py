"""Pure rules of the filings app: who works on filings, who checks and who decides.

- Every staff member of a court (the court unit or any of its divisions) sees the filings
  received at that court or addressed to it as the competent court (``scopes``); nobody else
  does — not the city office, not a mediator.
- The form check and forwarding (形式核对) is done at the receiving court, the decision at the
  competent court, each by its 立案 staff: receptionists, division heads and court leaders
  (``DECIDING_ROLES``). Judges and clerks see the filings of their court, and act on none.
"""

from __future__ import annotations

from typing import TypeGuard

from youjie.core.viewers import Viewer
from youjie.filings.models import Filing
from youjie.orgs.choices import OrgKind, Role
from youjie.orgs.models import OrgUnit, User
from youjie.orgs.scoping import nearest_unit

# Roles of a court's staff who see its filings (the court's integration accounts see them by
# their unit's subtree, scopes.py).
COURT_STAFF_ROLES: frozenset[str] = frozenset(
    {Role.RECEPTIONIST, Role.JUDGE, Role.CLERK, Role.DIVISION_HEAD, Role.COURT_LEADER}
)
# Who checks, forwards, asks for supplements, accepts and refuses (立案 staff and their heads).
DECIDING_ROLES: frozenset[str] = frozenset(
    {Role.RECEPTIONIST, Role.DIVISION_HEAD, Role.COURT_LEADER}
)


def court_of(user: Viewer) -> OrgUnit | None:
    """The court ``user`` works at (their unit or its nearest court ancestor), or None."""
    if not isinstance(user, User) or not user.is_active or user.is_service_account:
        return None
    return nearest_unit(user.org_unit, OrgKind.COURT)


def may_see_filings(user: Viewer) -> TypeGuard[User]:
    """Court staff: the filings pages and the navigation entry are theirs."""
    return (
        isinstance(user, User) and user.has_role(*COURT_STAFF_ROLES) and court_of(user) is not None
    )


def may_decide_filings(user: Viewer) -> TypeGuard[User]:
    """立案 staff and their heads: the counter form, the queues' actions."""
    return may_see_filings(user) and user.has_role(*DECIDING_ROLES)


def _works_at(user: User, court_id: int) -> bool:
    court = court_of(user)
    return court is not None and court.pk == court_id


def can_check(user: Viewer, filing: Filing) -> bool:
    """The receiving court's form check (形式核对): forward, or ask for a supplement."""
    return may_decide_filings(user) and _works_at(user, filing.receiving_court_id)


def can_decide(user: Viewer, filing: Filing) -> bool:
    """The competent court's decision: accept, refuse, ask for a supplement."""
    return may_decide_filings(user) and _works_at(user, filing.competent_court_id)


def can_record_withdrawal(user: Viewer, filing: Filing) -> bool:
    """Either court's 立案 staff record a submitter's written withdrawal."""
    return can_check(user, filing) or can_decide(user, filing)
