"""Pure rules: who may act on a request. Visibility itself is youjie.orgs.scoping's job."""

from __future__ import annotations

from typing import TypeGuard

from youjie.core.viewers import Viewer
from youjie.desk.choices import RequestStatus
from youjie.desk.models import ServiceRequest
from youjie.orgs.choices import Role
from youjie.orgs.models import User
from youjie.orgs.scoping import court_of_user

DESK_STAFF_ROLES = (
    Role.RECEPTIONIST,
    Role.JUDGE,
    Role.CLERK,
    Role.DIVISION_HEAD,
    Role.COURT_LEADER,
)
SUPERVISOR_ROLES = (Role.DIVISION_HEAD, Role.COURT_LEADER)


def _in_unit(user: User, unit_path: str | None) -> bool:
    unit = user.org_unit
    return bool(unit is not None and unit_path and unit_path.startswith(unit.path))


def user_court_id(user: Viewer) -> int | None:
    """The court a staff member works in (their unit or its nearest court ancestor)."""
    court = court_of_user(user)
    return int(court.pk) if court is not None else None


def _same_court(user: User, service_request: ServiceRequest) -> bool:
    return user_court_id(user) == service_request.court_id


def is_desk_staff(user: Viewer) -> TypeGuard[User]:
    """Whether ``user`` works on the desk (a signed-in account with a desk role)."""
    return isinstance(user, User) and user.has_role(*DESK_STAFF_ROLES)


def can_act_on(user: Viewer, service_request: ServiceRequest) -> TypeGuard[User]:
    """Reply, route, transfer, pause: the owner of the moment, or a supervisor over it."""
    if not is_desk_staff(user):
        return False
    if user.pk in (service_request.assignee_id, service_request.first_contact_id):
        return True
    if user.has_role(Role.RECEPTIONIST) and service_request.status == RequestStatus.REGISTERED:
        return _same_court(user, service_request)
    if user.has_role(Role.COURT_LEADER):
        return _same_court(user, service_request)
    if user.has_role(Role.DIVISION_HEAD) and service_request.division is not None:
        return _in_unit(user, service_request.division.path)
    return False


def can_accept(user: Viewer, service_request: ServiceRequest) -> TypeGuard[User]:
    if service_request.status != RequestStatus.AWAITING_ACCEPTANCE or not is_desk_staff(user):
        return False
    if service_request.transfer_user_id is not None:
        if user.pk == service_request.transfer_user_id:
            return True
        division = service_request.transfer_division
        return bool(
            user.has_role(Role.DIVISION_HEAD) and division and _in_unit(user, division.path)
        )
    division = service_request.transfer_division
    return bool(division is not None and user.org_unit_id == division.pk)


def can_supervise(user: Viewer, service_request: ServiceRequest) -> TypeGuard[User]:
    if not isinstance(user, User) or not user.has_role(*SUPERVISOR_ROLES):
        return False
    if user.has_role(Role.COURT_LEADER):
        return _same_court(user, service_request)
    division = service_request.division or service_request.transfer_division
    return bool(division is not None and _in_unit(user, division.path))


def can_approve_clock_change(user: Viewer, service_request: ServiceRequest) -> TypeGuard[User]:
    return can_supervise(user, service_request)


def can_record_return_visit(user: Viewer, service_request: ServiceRequest) -> TypeGuard[User]:
    """Return visits are made by the court's reception (诉讼服务中心) or its supervisors."""
    return (
        isinstance(user, User)
        and user.has_role(Role.RECEPTIONIST, Role.DIVISION_HEAD, Role.COURT_LEADER)
        and _same_court(user, service_request)
    )


def can_manage_matter_types(user: Viewer) -> TypeGuard[User]:
    return isinstance(user, User) and (user.is_superuser or user.has_role(Role.ADMINISTRATOR))
