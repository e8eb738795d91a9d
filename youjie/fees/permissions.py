"""Pure rules: who may do what with fee notices. Who may *see* a notice is
``youjie.fees.scopes`` (the staff of the case's court: its receptionists and leaders, the
division head of the case's division, the case's judge and clerk); these rules are asked about
notices the user can already see, and nothing here queries.

- 开具 (issue): the 立案庭's receptionists, the case's judge and clerk, court leaders.
- 窗口缴费确认, 撤销 (confirm a counter payment, cancel): receptionists and court leaders.
- 退费 (request a refund): receptionists, judges and court leaders.
- 司法救助 decisions (缓交, 减交, 免交): court and division leaders (Art. 48: the court decides).
- 对账 (reconciliation of the daily statement): receptionists and court leaders.
- The payer's full phone number: those who call parties back (receptionist, judge, clerk).
"""

from __future__ import annotations

from typing import TypeGuard

from youjie.core.viewers import Viewer
from youjie.orgs.choices import Role
from youjie.orgs.models import User

FEE_STAFF_ROLES = (
    Role.RECEPTIONIST,
    Role.COURT_LEADER,
    Role.DIVISION_HEAD,
    Role.JUDGE,
    Role.CLERK,
)
ISSUE_ROLES = (Role.RECEPTIONIST, Role.COURT_LEADER, Role.JUDGE, Role.CLERK)
COUNTER_ROLES = (Role.RECEPTIONIST, Role.COURT_LEADER)
REFUND_ROLES = (Role.RECEPTIONIST, Role.COURT_LEADER, Role.JUDGE)
RELIEF_ROLES = (Role.COURT_LEADER, Role.DIVISION_HEAD)
RECONCILE_ROLES = (Role.RECEPTIONIST, Role.COURT_LEADER)
PHONE_ROLES = (Role.RECEPTIONIST, Role.JUDGE, Role.CLERK)


def _has(user: Viewer, roles: tuple[str, ...]) -> TypeGuard[User]:
    if not isinstance(user, User) or not user.is_active:
        return False
    return user.is_superuser or user.has_role(*roles)


def may_see_fees(user: Viewer) -> TypeGuard[User]:
    """Whether the fee pages are for ``user`` at all (the navigation asks this)."""
    return _has(user, FEE_STAFF_ROLES)


def can_issue_notice(user: Viewer) -> TypeGuard[User]:
    return _has(user, ISSUE_ROLES)


def can_confirm_counter(user: Viewer) -> TypeGuard[User]:
    return _has(user, COUNTER_ROLES)


def can_cancel_notice(user: Viewer) -> TypeGuard[User]:
    return _has(user, COUNTER_ROLES)


def can_request_refund(user: Viewer) -> TypeGuard[User]:
    return _has(user, REFUND_ROLES)


def can_decide_relief(user: Viewer) -> TypeGuard[User]:
    return _has(user, RELIEF_ROLES)


def can_reconcile(user: Viewer) -> TypeGuard[User]:
    return _has(user, RECONCILE_ROLES)


def can_view_payer_phone(user: Viewer) -> TypeGuard[User]:
    return _has(user, PHONE_ROLES)
