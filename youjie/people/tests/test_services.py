"""Registering persons and enterprises: encryption, duplicates, validation, timeline."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection

from youjie.core.crypto import decrypt_text
from youjie.core.errors import ValidationFailed
from youjie.core.models import Event
from youjie.core.timeline import timeline_for
from youjie.people import services
from youjie.people.identity import id_number_hash, phone_hash
from youjie.people.models import Enterprise, Person, PersonPhone
from youjie.people.tests.conftest import World
from youjie.people.tests.factories import build_resident_id, build_uscc

ID_NUMBER = build_resident_id(
    address_code="150206", birth_date=datetime.date(1975, 2, 3), sequence=42
)
MOBILE = "13904720001"


def create(world: World, **kwargs: object) -> Person:
    params: dict[str, object] = {"actor": world.receptionist, "name": "张三", "region": world.byeb}
    params.update(kwargs)
    return services.person_create(**params)  # type: ignore[arg-type]


def test_create_encrypts_and_derives(world: World) -> None:
    person = create(
        world, id_number=ID_NUMBER.lower(), mobile="+86 139-0472-0001", address="包头市白云路1号"
    )
    person.refresh_from_db()
    assert person.id_number_masked == ID_NUMBER[:6] + "********" + ID_NUMBER[-4:]
    assert person.id_number_hash == id_number_hash(ID_NUMBER)
    assert decrypt_text(person.id_number_encrypted) == ID_NUMBER
    assert decrypt_text(person.address_encrypted) == "包头市白云路1号"
    assert not hasattr(person, "birth_date")  # derived from the number only when revealed
    assert person.gender == "female"  # sequence 042: even
    assert person.owner_unit == world.receptionist.org_unit
    assert person.created_by == world.receptionist
    phone = person.phones.get()
    assert phone.is_primary and phone.number_masked == "139****0001"
    assert phone.number_hash == phone_hash(MOBILE)
    assert decrypt_text(phone.number_encrypted) == MOBILE
    assert [event.verb for event in timeline_for(person)] == ["created"]


def test_database_never_holds_the_clear_values(world: World) -> None:
    person = create(world, id_number=ID_NUMBER, mobile=MOBILE, address="包头市白云路1号")
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM people_person WHERE id = %s", [person.pk])
        person_row = " ".join(str(value) for value in cursor.fetchone())
        cursor.execute("SELECT * FROM people_personphone WHERE person_id = %s", [person.pk])
        phone_row = " ".join(str(value) for value in cursor.fetchone())
        cursor.execute("SELECT * FROM core_event")
        events = " ".join(str(value) for row in cursor.fetchall() for value in row)
    for text in (person_row, phone_row, events):
        assert ID_NUMBER not in text
        assert ID_NUMBER[6:14] not in text  # not even the birth date part of the number
        assert MOBILE not in text
        assert "白云路" not in text


def test_same_id_number_is_refused_whatever_its_spelling(world: World) -> None:
    first = create(world, id_number=ID_NUMBER)
    with pytest.raises(services.DuplicatePerson) as excinfo:
        create(
            world,
            name="张三丰",
            id_number=" "
            + ID_NUMBER.translate(str.maketrans("0123456789", "０１２３４５６７８９")),
        )
    assert excinfo.value.status_code == 409
    assert excinfo.value.code == "duplicate_person"
    assert excinfo.value.extra == {"person_ids": [first.pk], "match": "id_number"}
    assert Person.objects.count() == 1


def test_legacy_15_digit_number_is_the_same_person(world: World) -> None:
    first = create(world, id_number=ID_NUMBER)
    legacy = ID_NUMBER[:6] + ID_NUMBER[8:17]
    with pytest.raises(services.DuplicatePerson) as excinfo:
        create(world, id_number=legacy)
    assert excinfo.value.person_ids == [first.pk]


def test_id_duplicate_cannot_be_bypassed_with_allow_same_phone(world: World) -> None:
    create(world, id_number=ID_NUMBER, mobile=MOBILE)
    with pytest.raises(services.DuplicatePerson) as excinfo:
        create(world, id_number=ID_NUMBER, mobile=MOBILE, allow_same_phone=True)
    assert excinfo.value.match == "id_number"


def test_phone_match_needs_explicit_confirmation(world: World) -> None:
    first = create(world, mobile=MOBILE)
    with pytest.raises(services.DuplicatePerson) as excinfo:
        create(world, name="张小三", mobile="0086" + MOBILE)
    assert excinfo.value.extra == {"person_ids": [first.pk], "match": "phone"}
    assert Person.objects.count() == 1

    second = create(world, name="张小三", mobile=MOBILE, allow_same_phone=True)
    assert PersonPhone.objects.filter(number_hash=phone_hash(MOBILE)).count() == 2
    assert Event.objects.get(subject_id=str(second.pk)).data["same_phone_confirmed"] is True


def test_invalid_input_lists_every_field_and_writes_nothing(world: World) -> None:
    bad_id = ID_NUMBER[:17] + ("0" if ID_NUMBER[-1] != "0" else "1")
    with pytest.raises(ValidationFailed) as excinfo:
        create(world, name="  ", id_number=bad_id, mobile="12345", address="路" * 201)
    fields = excinfo.value.fields
    assert excinfo.value.status_code == 422
    assert fields["name"] == ["姓名不能为空"]
    assert fields["id_number"] == [f"身份证号校验位错误，应为{ID_NUMBER[-1]}"]
    assert fields["mobile"][0].startswith("手机号码应为11位")
    assert fields["address"] == ["住址不能超过200个字，当前为201个字"]
    assert Person.objects.count() == 0
    assert PersonPhone.objects.count() == 0
    assert Event.objects.count() == 0


def test_person_needs_a_registering_unit(world: World) -> None:
    world.receptionist.org_unit = None
    with pytest.raises(ValidationFailed) as excinfo:
        create(world)
    assert "owner_unit" in excinfo.value.fields


def test_update_records_changed_fields_not_values(world: World) -> None:
    person = create(world, id_number=ID_NUMBER, address="旧址")
    new_id = build_resident_id(sequence=43)
    services.person_update(
        actor=world.receptionist, person=person, id_number=new_id, address="新址", is_deputy=True
    )
    person.refresh_from_db()
    assert person.id_number_hash == id_number_hash(new_id)
    assert person.gender == "male"
    assert decrypt_text(person.address_encrypted) == "新址"
    assert person.is_deputy
    event = timeline_for(person).last()
    assert event is not None and event.verb == "updated"
    assert sorted(event.data["fields"]) == ["address", "id_number", "is_deputy"]
    assert new_id not in str(event.data) and "新址" not in str(event.data)


def test_update_without_change_writes_no_event(world: World) -> None:
    person = create(world, id_number=ID_NUMBER)
    services.person_update(
        actor=world.receptionist, person=person, name="张三", id_number=ID_NUMBER
    )
    assert timeline_for(person).count() == 1


def test_update_to_someone_elses_id_is_refused(world: World) -> None:
    create(world, id_number=ID_NUMBER)
    other = create(world, name="李四", id_number=build_resident_id(sequence=7))
    with pytest.raises(services.DuplicatePerson):
        services.person_update(actor=world.receptionist, person=other, id_number=ID_NUMBER)


def test_add_phone(world: World) -> None:
    person = create(world, mobile=MOBILE)
    phone = services.person_add_phone(
        actor=world.receptionist, person=person, mobile="13904720002", is_primary=True
    )
    assert phone.is_primary
    assert list(person.phones.filter(is_primary=True)) == [phone]
    with pytest.raises(ValidationFailed):
        services.person_add_phone(actor=world.receptionist, person=person, mobile=MOBILE)
    other = create(world, name="李四")
    with pytest.raises(services.DuplicatePerson):
        services.person_add_phone(actor=world.receptionist, person=other, mobile=MOBILE)
    services.person_add_phone(
        actor=world.receptionist, person=other, mobile=MOBILE, allow_same_phone=True
    )
    assert other.phones.get().is_primary  # the first number becomes primary


def test_enterprise_create_and_duplicate(world: World) -> None:
    uscc = build_uscc()
    enterprise = services.enterprise_create(
        actor=world.receptionist,
        name="包头示例公司",
        uscc=uscc.lower(),
        legal_representative="王五",
    )
    assert enterprise.uscc == uscc
    assert enterprise.owner_unit == world.receptionist.org_unit
    assert [event.verb for event in timeline_for(enterprise)] == ["created"]
    with pytest.raises(services.DuplicateEnterprise) as excinfo:
        services.enterprise_create(actor=world.receptionist, name="另一家", uscc=uscc)
    assert excinfo.value.status_code == 409
    assert excinfo.value.extra == {"enterprise_ids": [enterprise.pk]}
    assert "包头示例公司" in excinfo.value.message


def test_enterprise_duplicate_outside_scope_names_nothing(world: World) -> None:
    """Scoped like persons (issue 12 item 2): the 石拐区 office may not see the Bayan Obo
    court's enterprise, so its duplicate is refused without the id, name or unit."""
    uscc = build_uscc()
    services.enterprise_create(actor=world.receptionist, name="包头示例公司", uscc=uscc)
    with pytest.raises(services.DuplicateEnterprise) as excinfo:
        services.enterprise_create(actor=world.county_officer, name="另一家", uscc=uscc)
    assert excinfo.value.status_code == 409
    assert excinfo.value.extra == {"enterprise_ids": []}
    assert excinfo.value.message == services.OUT_OF_SCOPE_USCC_MESSAGE
    assert "包头示例公司" not in excinfo.value.message and "立案庭" in excinfo.value.message
    assert Enterprise.objects.count() == 1


def test_enterprise_invalid_uscc(world: World) -> None:
    with pytest.raises(ValidationFailed) as excinfo:
        services.enterprise_create(actor=world.receptionist, name="", uscc="91150206MA0Q0000")
    assert excinfo.value.fields == {
        "name": ["企业名称不能为空"],
        "uscc": ["统一社会信用代码应为18位，当前为16位"],
    }
    with pytest.raises(ValidationFailed) as excinfo:
        services.enterprise_create(actor=world.receptionist, name="某公司", uscc=" ")
    assert excinfo.value.fields == {"uscc": ["统一社会信用代码不能为空"]}
    assert Enterprise.objects.count() == 0


def test_masked_number_and_plain_columns_never_rebuild_the_full_number(world: World) -> None:
    """Issue 12 item 1: the masked ID shows digits 1-6 and 15-18; a birth date kept in clear
    (digits 7-14) would complete it. No plain column may hold the birth date in any spelling."""
    person = create(world, id_number=ID_NUMBER, mobile=MOBILE)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM people_person WHERE id = %s", [person.pk])
        row = cursor.fetchone()
    born = datetime.date(1975, 2, 3)
    spellings = {"19750203", "1975-02-03", "1975/02/03", "1975年2月3日"}
    for value in row:
        assert value != born
        assert not any(spelling in str(value) for spelling in spellings)
    masked = person.id_number_masked
    assert masked[6:14] == "********"
