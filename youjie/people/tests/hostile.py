"""People's cases for the hostile-input sweeps (tests/hostile/cases.py says what goes here): a
person the Bayan Obo court's staff may see, one of 石拐区 they may not, an enterprise."""

from __future__ import annotations

from tests.hostile.cases import ApiWorld, Case, FormSpec, HostileCases, PathValues, World
from youjie.people import services as people_services
from youjie.people.forms import EnterpriseForm, PersonForm, SearchForm
from youjie.people.models import Person
from youjie.people.tests.factories import build_resident_id, build_uscc


def build(world: World) -> None:
    receptionist = world.users["receptionist"]
    world.put(
        # The party of the court case courtcases makes (and the desk's requests name).
        party=people_services.person_create(actor=receptionist, name="张三", mobile="13812345678"),
        person=people_services.person_create(
            actor=receptionist,
            name="孙八",
            id_number=build_resident_id(sequence=77),
            mobile="13600001111",
            address="白云鄂博矿区示例路1号",
        ),
        # 石拐区's: the Bayan Obo court's staff may not see it.
        hidden_person=people_services.person_create(
            actor=world.users["county_officer"], name="钱七", mobile="13700000000"
        ),
        enterprise=people_services.enterprise_create(
            actor=receptionist, name="示例有限公司", uscc=build_uscc()
        ),
    )


def path_values(world: World) -> PathValues:
    persons = [str(world.person.pk), str(world.hidden_person.pk)]
    return {
        ("people:dossier", "pk"): persons,
        ("people:reveal", "pk"): persons,
        ("people:reveal", "field"): ["phone", "id_number", "address"],
        ("people:enterprise_detail", "pk"): [str(world.enterprise.pk)],
    }


def _phone_of(person: Person) -> int:
    phone = person.phones.order_by("id").first()
    assert phone is not None
    return phone.pk


def form_specs(world: World) -> list[FormSpec]:
    return [
        FormSpec(
            name="people:search",
            persona="receptionist",
            url="/people/",
            base={"q": "孙八"},
            form=lambda data, files: SearchForm(data),
            control="renders",
        ),
        FormSpec(
            name="people:create",
            persona="receptionist",
            url="/people/new/",
            base={
                "name": "周九",
                "id_number": build_resident_id(sequence=88),
                "mobile": "13500002222",
                "address": "白云鄂博矿区示例路2号",
                "region": "150206",
            },
            form=lambda data, files: PersonForm(data),
            extra=[
                Case("known resident ID", {"id_number": build_resident_id(sequence=77)}),
                Case("known mobile", {"id_number": "", "mobile": "13600001111"}),
                Case("resident ID with a wrong check digit", {"id_number": "150206198005171230"}),
                Case("mobile not a mobile", {"mobile": "010-1234"}),
            ],
        ),
        FormSpec(
            name="people:enterprise_create",
            persona="receptionist",
            url="/people/enterprises/new/",
            base={"name": "另一有限公司", "uscc": build_uscc(organization_base="MA0Q0001")},
            form=lambda data, files: EnterpriseForm(data),
            extra=[
                Case("known code", {"uscc": world.enterprise.uscc}),
                Case("wrong check character", {"uscc": build_uscc()[:-1] + "0"}),
            ],
        ),
        FormSpec(
            name="people:reveal",
            persona="receptionist",
            url=f"/people/{world.person.pk}/reveal/phone/",
            base={},
            control="audits",  # every showing of a full number is audited; a refusal is not
            extra=[
                Case("phone id not a number", {"phone_id": "abc"}),
                Case("phone id past BIGINT", {"phone_id": str(2**63)}),
                Case("phone id of 5,000 digits", {"phone_id": "9" * 5000}),
                Case("another person's phone", {"phone_id": str(_phone_of(world.hidden_person))}),
                Case("unknown field", {}, url=f"/people/{world.person.pk}/reveal/password/"),
                Case(
                    "person out of scope", {}, url=f"/people/{world.hidden_person.pk}/reveal/phone/"
                ),
            ],
        ),
    ]


def api_build(world: ApiWorld) -> None:
    receptionist, other_receptionist = world.users["receptionist"], world.other_receptionist
    party = people_services.person_create(actor=receptionist, name="张三", mobile="13812345678")
    enterprise = people_services.enterprise_create(
        actor=receptionist, name="示例有限公司", uscc=build_uscc(organization_base="MA0T5678")
    )
    other_party = people_services.person_create(
        actor=other_receptionist, name="孙八", mobile="13500007777"
    )
    other_enterprise = people_services.enterprise_create(
        actor=other_receptionist,
        name="石拐某公司",
        uscc=build_uscc(region_code="150205", organization_base="MA0T9999"),
    )
    world.put(party=party, other_party=other_party)
    world.inside.update(person_id=party.pk, enterprise_id=enterprise.pk)
    world.outside.update(person_id=other_party.pk, enterprise_id=other_enterprise.pk)
    world.missing.update(person_id=10**9, enterprise_id=10**9)
    world.hints.update(
        name="钱七",
        mobile="13600006666",
        region_code=None,
        uscc=build_uscc(organization_base="MA0T1234"),
    )


CASES = HostileCases(
    users=("receptionist", "county_officer"),
    build=build,
    path_values=path_values,
    form_specs=form_specs,
    query_forms=(SearchForm,),
    unresolvable=("/people/..%2f..%2fetc/passwd/",),
    api_build=api_build,
)
