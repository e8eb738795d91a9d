"""Scoped search, lookups, revealing full data (audited) and the dossier registry."""

from __future__ import annotations

import pytest

from youjie.core.errors import NotFound, PermissionDenied, ValidationFailed
from youjie.core.models import AuditEntry
from youjie.people import selectors
from youjie.people.dossier import DossierRow, DossierSection, register_dossier_section
from youjie.people.models import Person
from youjie.people.permissions import can_view_full_personal_data
from youjie.people.selectors import QueryKind, classify_person_query
from youjie.people.tests.conftest import World
from youjie.people.tests.factories import PersonFactory, build_resident_id

BYEB_ID = build_resident_id(address_code="150206", sequence=11)
SHIGUAI_ID = build_resident_id(address_code="150205", sequence=12)
BYEB_MOBILE = "13904720011"
SHIGUAI_MOBILE = "13904720012"


@pytest.fixture
def byeb_person(world: World) -> Person:
    """Registered by the Bayan Obo court, living in 白云鄂博矿区 (150206)."""
    return PersonFactory.create(
        name="白云张三",
        id_number=BYEB_ID,
        mobile=BYEB_MOBILE,
        region=world.byeb,
        owner_unit=world.court,
        created_by=world.receptionist,
    )


@pytest.fixture
def shiguai_person(world: World) -> Person:
    return PersonFactory.create(
        name="石拐张四",
        id_number=SHIGUAI_ID,
        mobile=SHIGUAI_MOBILE,
        region=world.shiguai,
        owner_unit=world.shiguai_office,
        created_by=world.county_officer,
    )


@pytest.mark.parametrize(
    ("query", "kind"),
    [
        ("", QueryKind.EMPTY),
        ("张", QueryKind.NAME),
        ("买买提·艾力", QueryKind.NAME),
        (BYEB_ID, QueryKind.ID_NUMBER),
        (BYEB_ID[:6] + BYEB_ID[8:17], QueryKind.ID_NUMBER),  # legacy 15 digits
        ("+86 139 0472 0011", QueryKind.MOBILE),
        ("008613904720011", QueryKind.MOBILE),  # 15 characters, but not an ID
        ("12345", QueryKind.INVALID_NUMBER),
        (BYEB_ID[:17] + ("0" if BYEB_ID[-1] != "0" else "1"), QueryKind.INVALID_NUMBER),
    ],
)
def test_classify_query(query: str, kind: QueryKind) -> None:
    assert classify_person_query(query)[0] is kind


def test_county_officer_does_not_see_another_county(
    world: World, byeb_person: Person, shiguai_person: Person
) -> None:
    officer = world.county_officer
    for query in ("张", "白云", BYEB_ID, BYEB_ID.lower(), BYEB_MOBILE, "+86" + BYEB_MOBILE, ""):
        assert byeb_person not in selectors.person_search(user=officer, query=query), query
    assert selectors.person_search(user=officer, query="张") == [shiguai_person]
    assert selectors.person_search(user=officer, query=SHIGUAI_ID) == [shiguai_person]
    assert selectors.person_find_by_mobile(user=officer, mobile=BYEB_MOBILE) == []
    assert selectors.person_find_by_id_number(user=officer, id_number=BYEB_ID) is None
    with pytest.raises(NotFound):
        selectors.access_person(user=officer, person_id=byeb_person.pk)


def test_city_officer_sees_both_counties(
    world: World, byeb_person: Person, shiguai_person: Person
) -> None:
    officer = world.city_officer
    assert set(selectors.person_search(user=officer, query="张")) == {byeb_person, shiguai_person}
    assert selectors.person_search(user=officer, query=BYEB_ID) == [byeb_person]
    assert selectors.person_search(user=officer, query=SHIGUAI_MOBILE) == [shiguai_person]
    assert selectors.person_find_by_mobile(user=officer, mobile="139-0472-0011") == [byeb_person]
    assert selectors.person_find_by_id_number(user=officer, id_number=BYEB_ID) == byeb_person
    assert selectors.access_person(user=officer, person_id=byeb_person.pk) == byeb_person


def test_court_reception_sees_its_courts_registrations(
    world: World, byeb_person: Person, shiguai_person: Person
) -> None:
    assert selectors.person_search(user=world.receptionist, query="") == [byeb_person]


def test_search_by_legacy_id_and_invalid_numbers(world: World, byeb_person: Person) -> None:
    legacy = BYEB_ID[:6] + BYEB_ID[8:17]
    assert selectors.person_search(user=world.city_officer, query=legacy) == [byeb_person]
    assert selectors.person_search(user=world.city_officer, query="12345") == []
    assert selectors.person_find_by_mobile(user=world.city_officer, mobile="0472-1234567") == []
    assert selectors.person_find_by_id_number(user=world.city_officer, id_number="x") is None


def test_query_longer_than_50_is_refused(world: World) -> None:
    with pytest.raises(ValidationFailed):
        selectors.person_search(user=world.city_officer, query="张" * 51)


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("receptionist", True),
        ("judge", True),
        ("clerk", True),
        ("case_handler", True),
        ("city_officer", False),
        ("county_officer", False),
        ("administrator", False),
    ],
)
def test_can_view_full_personal_data(world: World, persona: str, allowed: bool) -> None:
    assert can_view_full_personal_data(getattr(world, persona)) is allowed


def test_superuser_without_role_may_not_reveal(world: World, byeb_person: Person) -> None:
    world.administrator.is_superuser = True
    world.administrator.save()
    with pytest.raises(PermissionDenied):
        selectors.person_reveal(user=world.administrator, person=byeb_person, field="id_number")
    assert AuditEntry.objects.count() == 0


def test_reveal_is_audited_every_time(world: World, byeb_person: Person) -> None:
    user = world.receptionist
    for _ in range(2):
        value = selectors.person_reveal(user=user, person=byeb_person, field="id_number")
        assert value == BYEB_ID
    assert selectors.person_reveal(user=user, person=byeb_person, field="phone") == BYEB_MOBILE
    address = selectors.person_reveal(user=user, person=byeb_person, field="address")
    assert address == "内蒙古自治区包头市示例路1号"
    actions = list(
        AuditEntry.objects.order_by("id").values_list("action", "actor_id", "subject_id")
    )
    assert actions == [
        ("view_full_id_number", user.pk, str(byeb_person.pk)),
        ("view_full_id_number", user.pk, str(byeb_person.pk)),
        ("view_full_phone", user.pk, str(byeb_person.pk)),
        ("view_full_address", user.pk, str(byeb_person.pk)),
    ]


def test_reveal_refused_without_role_and_outside_scope(world: World, byeb_person: Person) -> None:
    with pytest.raises(PermissionDenied):
        selectors.person_reveal(user=world.city_officer, person=byeb_person, field="id_number")
    # A judge may reveal, but only for persons in their scope (none of their cases here).
    with pytest.raises(NotFound):
        selectors.person_reveal(user=world.judge, person=byeb_person, field="id_number")
    with pytest.raises(NotFound):
        selectors.person_reveal(user=world.receptionist, person=byeb_person, field="password")
    assert AuditEntry.objects.count() == 0


def test_dossier_collects_registered_sections(
    world: World, byeb_person: Person, temporary_dossier_sections: list[object]
) -> None:
    # Other apps (courtcases, desk …) register their own sections too; look only at ours.
    def first(user: object, person: Person) -> DossierSection:
        return DossierSection(title="测试甲", rows=[("甲记录", "/a/1/", "说明")], order=-2)

    def second(user: object, person: Person) -> DossierSection:
        return DossierSection(title="测试乙", rows=[DossierRow("乙记录")], order=-1)

    def nothing(user: object, person: Person) -> None:
        return None

    for provider in (second, nothing, first):
        register_dossier_section(provider)
        temporary_dossier_sections.append(provider)
    dossier = selectors.dossier_for(user=world.receptionist, person=byeb_person)
    assert [section.title for section in dossier.sections][:2] == ["测试甲", "测试乙"]
    assert dossier.sections[0].row_list == [DossierRow("甲记录", "/a/1/", "说明")]
    assert dossier.sections[1].row_list == [DossierRow("乙记录", "", "")]
    assert dossier.can_view_full_data
    with pytest.raises(NotFound):
        selectors.dossier_for(user=world.county_officer, person=byeb_person)
