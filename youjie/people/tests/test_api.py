"""/api/v1/people: scoped, masked output; 422 / 409 / 404 in the API's one error format."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from youjie.orgs.models import User
from youjie.orgs.services import api_token_create
from youjie.people.models import Enterprise, Person
from youjie.people.tests.conftest import World
from youjie.people.tests.factories import PersonFactory, build_resident_id, build_uscc

API = "/api/v1/people"
BYEB_ID = build_resident_id(address_code="150206", sequence=31)
BYEB_MOBILE = "13904720031"


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post_json(
    client: Client, url: str, body: dict[str, Any], headers: dict[str, str] | None = None
) -> Any:
    return client.post(url, data=json.dumps(body), content_type="application/json", headers=headers)


@pytest.fixture
def byeb_person(world: World) -> Person:
    return PersonFactory.create(
        name="白云张三",
        id_number=BYEB_ID,
        mobile=BYEB_MOBILE,
        region=world.byeb,
        owner_unit=world.court,
        created_by=world.receptionist,
        is_deputy=True,
    )


def test_list_is_scoped_and_masked(world: World, byeb_person: Person) -> None:
    rows = client_for(world.city_officer).get(API, {"q": BYEB_ID}).json()
    assert rows == [
        {
            "id": byeb_person.pk,
            "name": "白云张三",
            "id_number_masked": BYEB_ID[:6] + "********" + BYEB_ID[-4:],
            "gender": "male",
            "phones_masked": ["139****0031"],
            "region_code": "150206",
            "region_name": "白云鄂博矿区",
            "owner_unit_code": "P-BYEB-FY",
            "is_deputy": True,
            "is_cppcc_member": False,
            "is_hardship": False,
        }
    ]
    county = client_for(world.county_officer)
    for query in ("白云", BYEB_ID, BYEB_MOBILE, ""):
        assert county.get(API, {"q": query}).json() == [], query


def test_query_length_is_limited(world: World) -> None:
    response = client_for(world.city_officer).get(API, {"q": "张" * 51})
    assert response.status_code == 422
    assert response.json()["code"] == "validation_failed"


def test_detail_is_404_outside_scope(world: World, byeb_person: Person) -> None:
    url = f"{API}/{byeb_person.pk}"
    assert client_for(world.city_officer).get(url).json()["name"] == "白云张三"
    response = client_for(world.county_officer).get(url)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert "白云张三" not in response.content.decode()


def test_requires_authentication(world: World) -> None:
    assert Client().get(API).status_code == 401


def test_create_with_token(world: World) -> None:
    token, key = api_token_create(name="窗口终端", org_unit=world.court)
    response = post_json(
        Client(),
        API,
        {
            "name": "新来的",
            "id_number": BYEB_ID,
            "mobile": "+86 " + BYEB_MOBILE,
            "region_code": "150206",
        },
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["id_number_masked"] == BYEB_ID[:6] + "********" + BYEB_ID[-4:]
    assert body["phones_masked"] == ["139****0031"]
    assert BYEB_ID not in response.content.decode() and BYEB_MOBILE not in response.content.decode()
    person = Person.objects.get()
    assert person.owner_unit == world.court and person.created_by == token.user


def test_create_answers_warnings_for_an_implausible_but_valid_id(world: World) -> None:
    client = client_for(world.receptionist)
    response = post_json(client, API, {"name": "样例", "id_number": "440524188001010014"})
    assert response.status_code == 201, response.content
    assert response.json()["warnings"] == [
        "身份证号中的出生日期为1880年01月01日，早于1900年，请与证件核对"
    ]
    plain = post_json(client, API, {"name": "样例二", "id_number": "11010519491231002X"})
    assert plain.status_code == 201 and plain.json()["warnings"] == []
    # Only creation answers warnings: a read is the person, not the input.
    assert "warnings" not in client.get(f"{API}/{plain.json()['id']}").json()


def test_create_invalid_is_422_with_fields_and_writes_nothing(world: World) -> None:
    bad = BYEB_ID[:17] + ("0" if BYEB_ID[-1] != "0" else "1")
    response = post_json(
        client_for(world.receptionist), API, {"name": "某人", "id_number": bad, "mobile": "123"}
    )
    assert response.status_code == 422
    body = response.json()
    assert body["fields"]["id_number"] == [f"身份证号校验位错误，应为{BYEB_ID[-1]}"]
    assert body["fields"]["mobile"][0].startswith("手机号码应为11位")
    assert Person.objects.count() == 0


def test_create_schema_limits(world: World) -> None:
    response = post_json(
        client_for(world.receptionist), API, {"name": "名" * 51, "id_number": "1" * 33}
    )
    assert response.status_code == 422
    assert set(response.json()["fields"]) == {"name", "id_number"}
    response = post_json(
        client_for(world.receptionist), API, {"name": "某人", "region_code": "999999"}
    )
    assert response.status_code == 422
    assert response.json()["fields"] == {"region_code": ["区划代码999999不存在"]}


def test_create_duplicate_is_409_with_existing_ids(world: World, byeb_person: Person) -> None:
    client = client_for(world.receptionist)
    response = post_json(client, API, {"name": "白云张三", "id_number": BYEB_ID.lower()})
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "duplicate_person"
    assert body["extra"] == {"person_ids": [byeb_person.pk], "match": "id_number"}

    phone_only = {"name": "白云张小三", "mobile": BYEB_MOBILE}
    response = post_json(client, API, phone_only)
    assert response.status_code == 409 and response.json()["extra"]["match"] == "phone"
    response = post_json(client, API, {**phone_only, "allow_same_phone": True})
    assert response.status_code == 201
    assert Person.objects.count() == 2


def test_enterprises(world: World) -> None:
    client = client_for(world.receptionist)
    uscc = build_uscc(organization_base="MA0T5678")
    response = post_json(client, f"{API}/enterprises", {"name": "示例公司", "uscc": uscc.lower()})
    assert response.status_code == 201
    enterprise_id = response.json()["id"]
    assert response.json()["uscc"] == uscc
    assert client.get(f"{API}/enterprises/{enterprise_id}").json()["name"] == "示例公司"
    again = post_json(client, f"{API}/enterprises", {"name": "另一家", "uscc": uscc})
    assert again.status_code == 409
    assert again.json()["extra"] == {"enterprise_ids": [enterprise_id]}
    bad = post_json(client, f"{API}/enterprises", {"name": "坏的", "uscc": uscc[:17] + "I"})
    assert bad.status_code == 422 and "uscc" in bad.json()["fields"]
    assert (
        client_for(world.county_officer).get(f"{API}/enterprises/{enterprise_id}").status_code
        == 404
    )
    # Outside the scope the duplicate names nothing (scoped like persons, issue 12 item 2).
    hidden = post_json(
        client_for(world.county_officer), f"{API}/enterprises", {"name": "另一家", "uscc": uscc}
    )
    assert hidden.status_code == 409
    assert hidden.json() == {
        "code": "duplicate_enterprise",
        "message": "该统一社会信用代码可能已在其他单位登记，请联系立案庭核实，不能重复登记",
        "extra": {"enterprise_ids": []},
    }
    assert Enterprise.objects.count() == 1


def test_duplicate_outside_scope_gives_no_identifier(world: World, byeb_person: Person) -> None:
    """Issue 12 item 2: a county officer registering a Bayan Obo person's ID number learns
    neither the person's id nor the registering unit; a phone known only outside the caller's
    scope answers as unknown (the registration goes through, as for a new number)."""
    client = client_for(world.county_officer)
    response = post_json(client, API, {"name": "石拐张三", "id_number": BYEB_ID})
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "duplicate_person"
    assert body.get("extra", {}).get("person_ids", []) == []
    assert str(byeb_person.pk) not in json.dumps(body.get("extra", {}))
    assert "白云鄂博" not in response.content.decode()
    assert "立案庭" in body["message"]
    response = post_json(client, API, {"name": "石拐李四", "mobile": BYEB_MOBILE})
    assert response.status_code == 201
