"""The courtcases tests' own small world, built only from orgs' services.

包头市 (150200) with 石拐区 (150205) and 白云鄂博矿区 (150206); the Bayan Obo court (内0206) with
its reception division (立案庭) and civil division (民事审判庭); the 石拐区 court (内0205); a city
office and a 石拐区 county office. Fixture names stay local to these tests.
"""

from __future__ import annotations

from typing import Any

import pytest

from youjie.courtcases.tests.factories import World, make_user
from youjie.orgs.models import Region
from youjie.orgs.services import org_unit_create


@pytest.fixture(autouse=True)
def _no_second_factor(settings: Any) -> None:
    settings.YOUJIE_OTP_ENFORCED = False


@pytest.fixture
def world(db: Any) -> World:
    city = Region.objects.create(code="150200", name="包头市", kind="city")
    shiguai = Region.objects.create(code="150205", name="石拐区", kind="district", parent=city)
    byeb = Region.objects.create(code="150206", name="白云鄂博矿区", kind="district", parent=city)
    city_office = org_unit_create(
        code="C-BT-ZXB", name="包头市专项办", kind="office", region_id="150200"
    )
    shiguai_office = org_unit_create(
        code="C-150205-ZXB", name="石拐区专项办", kind="office", region_id="150205"
    )
    byeb_office = org_unit_create(
        code="C-150206-ZXB", name="白云鄂博矿区专项办", kind="office", region_id="150206"
    )
    court = org_unit_create(
        code="C-BYEB-FY", name="白云鄂博矿区人民法院", kind="court", region_id="150206",
        court_code="内0206",
    )  # fmt: skip
    reception = org_unit_create(
        code="C-BYEB-LAT", name="立案庭", kind="division", region_id="150206", parent=court
    )
    civil = org_unit_create(
        code="C-BYEB-MS", name="民事审判庭", kind="division", region_id="150206", parent=court,
        short_name="民庭",
    )  # fmt: skip
    other_court = org_unit_create(
        code="C-SG-FY", name="石拐区人民法院", kind="court", region_id="150205",
        court_code="内0205",
    )  # fmt: skip
    admin = make_user("c_admin", "administrator", city_office, "管理员")
    return World(
        city=city,
        shiguai=shiguai,
        byeb=byeb,
        court=court,
        reception_division=reception,
        civil_division=civil,
        other_court=other_court,
        receptionist=make_user("c_reception", "receptionist", reception, "王丽"),
        court_leader=make_user("c_leader", "court_leader", court, "刘志强"),
        judge=make_user("c_judge", "judge", civil, "李敏"),
        other_judge=make_user("c_judge2", "judge", civil, "王强"),
        clerk=make_user("c_clerk", "clerk", civil, "赵晓"),
        division_head=make_user("c_divhead", "division_head", civil, "张建国"),
        city_officer=make_user("c_city", "office_officer", city_office, "陈华"),
        county_officer=make_user("c_county", "office_officer", shiguai_office, "孙立"),
        byeb_officer=make_user("c_byeb", "office_officer", byeb_office, "马力"),
        administrator=admin,
        other_receptionist=make_user("c_sg_reception", "receptionist", other_court, "周敏"),
    )
