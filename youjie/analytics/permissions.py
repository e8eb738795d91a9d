"""Who may read desk figures. Pure rules apart from reading the viewer's own unit and region."""

from __future__ import annotations

from typing import Any

from youjie.desk.permissions import is_desk_staff
from youjie.orgs.choices import OrgKind, RegionKind, Role
from youjie.orgs.models import OrgUnit

# An office at one of these levels oversees every court below it (the city office, 市专项办).
OVERSEEING_REGION_KINDS = (RegionKind.CITY, RegionKind.PROVINCE)


def city_office_region(user: Any) -> str | None:
    """The region code of a city-level office officer, or None for anybody else.

    A county office officer (旗县区专项办) is not a city office officer: DESIGN.md gives desk
    figures to the city office only.
    """
    if not getattr(user, "is_authenticated", False) or not user.has_role(Role.OFFICE_OFFICER):
        return None
    unit_id = getattr(user, "org_unit_id", None)
    if unit_id is None:
        return None
    found = (
        OrgUnit.objects.filter(
            pk=unit_id, kind=OrgKind.OFFICE, region__kind__in=OVERSEEING_REGION_KINDS
        )
        .values_list("region_id", flat=True)
        .first()
    )
    return str(found) if found is not None else None


def may_see_desk_figures(user: Any) -> bool:
    return is_desk_staff(user) or city_office_region(user) is not None
