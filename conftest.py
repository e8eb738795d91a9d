"""Named personas shared by every app's tests (CONVENTIONS.md rule 11).

The organisation tree is the demo one of 包头市 (youjie.demo.services.seed_organisations):
a receptionist and a judge at the Bayan Obo court, a division head, a city-office officer,
a county-office officer of 石拐区 (150205) who must NOT see 白云鄂博矿区 (150206) records.
"""

from __future__ import annotations

from typing import Any

import pytest

from youjie.orgs.models import OrgUnit, User, UserRole


def make_user(username: str, role: str, unit_code: str, display_name: str = "") -> User:
    unit = OrgUnit.objects.get(code=unit_code)
    user = User.objects.create_user(
        username=username,
        password="pw-" + username,
        display_name=display_name or username,
        org_unit=unit,
    )
    UserRole.objects.create(user=user, role=role)
    return user


@pytest.fixture
def org_tree(db: Any) -> None:
    from youjie.demo.services import SeedReport, seed_organisations

    seed_organisations(SeedReport())


@pytest.fixture
def court(org_tree: None) -> OrgUnit:
    return OrgUnit.objects.get(code="BT-BYEB-FY")


@pytest.fixture
def civil_division(org_tree: None) -> OrgUnit:
    return OrgUnit.objects.get(code="BT-BYEB-MS")


@pytest.fixture
def receptionist(org_tree: None) -> User:
    return make_user("reception", "receptionist", "BT-BYEB-LAT", "王丽")


@pytest.fixture
def judge(org_tree: None) -> User:
    return make_user("judge_li", "judge", "BT-BYEB-MS", "李敏")


@pytest.fixture
def other_judge(org_tree: None) -> User:
    return make_user("judge_wang", "judge", "BT-BYEB-MS", "王强")


@pytest.fixture
def division_head(org_tree: None) -> User:
    return make_user("divhead", "division_head", "BT-BYEB-MS", "张建国")


@pytest.fixture
def court_leader(org_tree: None) -> User:
    return make_user("leader", "court_leader", "BT-BYEB-FY", "刘志强")


@pytest.fixture
def city_officer(org_tree: None) -> User:
    return make_user("city_officer", "office_officer", "BT-ZXB", "陈华")


@pytest.fixture
def county_officer(org_tree: None) -> User:
    """Officer of the 石拐区 office: must not see 白云鄂博矿区 or other counties' records."""
    return make_user("county_officer", "office_officer", "150205-ZXB", "孙立")


@pytest.fixture
def byeb_county_officer(org_tree: None) -> User:
    return make_user("byeb_officer", "office_officer", "150206-ZXB", "马力")


@pytest.fixture
def administrator(org_tree: None) -> User:
    user = make_user("admin", "administrator", "BT-ZFW", "管理员")
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user
