"""The people app's own small world: 包头市 (150200) with 石拐区 (150205) and 白云鄂博矿区
(150206), a city office, a 石拐区 county office, and the Bayan Obo court.

It is built here rather than from the global personas so that these tests depend on nothing but
orgs' services; the fixture names are prefixed to keep them apart from the global ones.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from youjie.orgs.models import OrgUnit, Region, User, UserRole
from youjie.orgs.services import org_unit_create


@dataclass
class World:
    city: Region
    shiguai: Region
    byeb: Region
    city_office: OrgUnit
    shiguai_office: OrgUnit
    court: OrgUnit
    receptionist: User  # Bayan Obo court reception: may see full data
    judge: User
    clerk: User
    case_handler: User  # 白云鄂博矿区 political-legal committee
    city_officer: User  # 市专项办: sees the whole city, masked only
    county_officer: User  # 石拐区专项办: must NOT see 白云鄂博矿区 persons
    administrator: User


def _user(username: str, role: str, unit: OrgUnit, display_name: str) -> User:
    user = User.objects.create_user(
        username=username, password="pw-" + username, display_name=display_name, org_unit=unit
    )
    UserRole.objects.create(user=user, role=role)
    return user


@pytest.fixture
def world(db: Any) -> World:
    city = Region.objects.create(code="150200", name="包头市", kind="city")
    shiguai = Region.objects.create(code="150205", name="石拐区", kind="district", parent=city)
    byeb = Region.objects.create(code="150206", name="白云鄂博矿区", kind="district", parent=city)
    city_office = org_unit_create(
        code="P-BT-ZXB", name="包头市专项办", kind="office", region_id="150200"
    )
    shiguai_office = org_unit_create(
        code="P-150205-ZXB", name="石拐区专项办", kind="office", region_id="150205"
    )
    byeb_committee = org_unit_create(
        code="P-150206-ZFW", name="白云鄂博矿区政法委", kind="committee", region_id="150206"
    )
    court = org_unit_create(
        code="P-BYEB-FY",
        name="白云鄂博矿区人民法院",
        kind="court",
        region_id="150206",
        court_code="内0206",
    )
    reception = org_unit_create(
        code="P-BYEB-LAT", name="立案庭", kind="division", region_id="150206", parent=court
    )
    civil = org_unit_create(
        code="P-BYEB-MS", name="民事审判庭", kind="division", region_id="150206", parent=court
    )
    return World(
        city=city,
        shiguai=shiguai,
        byeb=byeb,
        city_office=city_office,
        shiguai_office=shiguai_office,
        court=court,
        receptionist=_user("p_reception", "receptionist", reception, "王丽"),
        judge=_user("p_judge", "judge", civil, "李敏"),
        clerk=_user("p_clerk", "clerk", civil, "赵晓"),
        case_handler=_user("p_handler", "case_handler", byeb_committee, "周平"),
        city_officer=_user("p_city_officer", "office_officer", city_office, "陈华"),
        county_officer=_user("p_county_officer", "office_officer", shiguai_office, "孙立"),
        administrator=_user("p_admin", "administrator", city_office, "管理员"),
    )


@pytest.fixture
def temporary_dossier_sections() -> Iterator[list[Any]]:
    """Providers appended to this list are unregistered after the test."""
    from youjie.people.dossier import unregister_dossier_section

    added: list[Any] = []
    yield added
    for provider in added:
        unregister_dossier_section(provider)
