"""Who may read desk figures. Pure rules apart from reading the viewer's own unit and region."""

from __future__ import annotations

from typing import TypeGuard

from youjie.core.viewers import Viewer
from youjie.desk.permissions import is_desk_staff
from youjie.orgs.choices import OrgKind, Role
from youjie.orgs.models import OrgUnit, User


def city_office_region(user: Viewer) -> str | None:
    """The region code of a city-level office officer, or None for anybody else.

    A county office officer (旗县区专项办) is not a city office officer: DESIGN.md gives desk
    figures to the city office only.
    """
    if not isinstance(user, User) or not user.has_role(Role.OFFICE_OFFICER):
        return None
    unit: OrgUnit | None = user.org_unit
    if unit is None or unit.kind != OrgKind.OFFICE:
        return None
    # GB/T 2260: a prefecture-level code ends in "00" and a province's in "0000"; county-level
    # codes (and functional zones such as 150271) do not. No query: the unit is already loaded.
    return str(unit.region_id) if str(unit.region_id).endswith("00") else None


def may_see_desk_figures(user: Viewer) -> bool:
    return is_desk_staff(user) or city_office_region(user) is not None


# Court figures (审判质效): a court leader reads their court's, a division head their division's
# (DESIGN.md "Who sees what"); what each sees is the scoping of CourtCase. Judges are not given
# a page of their own figures: DOMAIN.md §9 (no ranking of judges by these numbers).
COURT_FIGURES_ROLES = (Role.COURT_LEADER, Role.DIVISION_HEAD)


def may_see_court_figures(user: Viewer) -> TypeGuard[User]:
    return isinstance(user, User) and user.is_active and user.has_role(*COURT_FIGURES_ROLES)


# The offices' figures (化解攻坚统计): the city office over the city, a county office over its
# region (what each sees is the scoping of the petitions records).
def may_see_campaign_figures(user: Viewer) -> TypeGuard[User]:
    return isinstance(user, User) and user.is_active and user.has_role(Role.OFFICE_OFFICER)


# The big screens (数据大屏). The court hall's shows the court's desk figures: for those whose
# desk figures are the court's (a court leader, a receptionist at the hall's desk). The office's
# shows the campaign (and, for the city office, the desk figures of the city's courts).
COURT_SCREEN_ROLES = (Role.COURT_LEADER, Role.RECEPTIONIST)


def may_see_court_screen(user: Viewer) -> TypeGuard[User]:
    return isinstance(user, User) and user.is_active and user.has_role(*COURT_SCREEN_ROLES)


def may_see_office_screen(user: Viewer) -> TypeGuard[User]:
    return may_see_campaign_figures(user)
