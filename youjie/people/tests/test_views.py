"""People pages: scoping (404), duplicates offered, reveal (403 / audited), dossier sections."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from youjie.core.models import AuditEntry
from youjie.core.panels import panels_for
from youjie.orgs.models import User
from youjie.people.dossier import DossierRow, DossierSection, register_dossier_section
from youjie.people.models import Enterprise, Person
from youjie.people.tests.conftest import World
from youjie.people.tests.factories import (
    EnterpriseFactory,
    PersonFactory,
    build_resident_id,
    build_uscc,
)

BYEB_ID = build_resident_id(address_code="150206", sequence=21)
BYEB_MOBILE = "13904720021"
SEARCH = reverse("people:search")
CREATE = reverse("people:create")


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def byeb_person(world: World) -> Person:
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
        name="石拐李四",
        region=world.shiguai,
        owner_unit=world.shiguai_office,
        created_by=world.county_officer,
    )


def test_pages_require_login(world: World, byeb_person: Person) -> None:
    for url in (SEARCH, CREATE, reverse("people:dossier", args=[byeb_person.pk])):
        response = Client().get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- search ---------------------------------------------------------------------------------


def search(client: Client, query: str, *, htmx: bool = False) -> str:
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.post(SEARCH, {"q": query}, headers=headers)
    assert response.status_code == 200
    return str(response.content.decode())


def test_county_officer_search_hides_other_county(
    world: World, byeb_person: Person, shiguai_person: Person
) -> None:
    client = client_for(world.county_officer)
    for query in ("白云", "张三", BYEB_ID, BYEB_MOBILE, ""):
        assert "白云张三" not in search(client, query), query
    assert "白云张三" not in client.get(SEARCH).content.decode()
    assert "石拐李四" in search(client, "李四")


def test_city_officer_search_sees_both_and_only_masked_data(
    world: World, byeb_person: Person, shiguai_person: Person
) -> None:
    client = client_for(world.city_officer)
    page = client.get(SEARCH).content.decode()
    assert "白云张三" in page and "石拐李四" in page
    by_id = search(client, BYEB_ID, htmx=True)  # the results, without the echoed search box
    assert "按身份证号精确查找" in by_id
    assert byeb_person.id_number_masked in by_id and BYEB_ID not in by_id
    by_phone = search(client, "+86 " + BYEB_MOBILE, htmx=True)
    assert "139****0021" in by_phone and BYEB_MOBILE not in by_phone
    assert "石拐李四" not in by_phone


def test_search_form_posts_so_numbers_stay_out_of_urls(world: World) -> None:
    page = client_for(world.city_officer).get(SEARCH).content.decode()
    assert 'method="post"' in page and 'hx-post="/people/"' in page


def test_search_htmx_returns_the_results_partial(world: World, byeb_person: Person) -> None:
    body = search(client_for(world.city_officer), "白云", htmx=True)
    assert "白云张三" in body
    assert "<html" not in body and "<form" not in body


def test_search_invalid_number_and_too_long_query(world: World) -> None:
    client = client_for(world.city_officer)
    assert "不是有效的身份证号或手机号码" in search(client, "12345")
    too_long = search(client, "张" * 51)
    assert "errorlist" in too_long and "最近登记" not in too_long


def test_search_query_count_does_not_grow_with_rows(world: World) -> None:
    client = client_for(world.city_officer)
    PersonFactory.create_batch(2, region=world.byeb, owner_unit=world.court, is_deputy=True)
    client.get(SEARCH)  # warm up caches that are not per-row (sessions, content types)
    with CaptureQueriesContext(connection) as few:
        client.get(SEARCH)
    PersonFactory.create_batch(15, region=world.shiguai, owner_unit=world.shiguai_office)
    with CaptureQueriesContext(connection) as many:
        response = client.get(SEARCH)
    assert response.content.decode().count("/people/") >= 17
    assert len(many) == len(few)


def test_search_query_budget(world: World, django_assert_max_num_queries: Any) -> None:
    PersonFactory.create_batch(10, region=world.byeb, owner_unit=world.court)
    client = client_for(world.city_officer)
    # session + user + roles + unit + region subtree (3 levels) + persons + phones + slack
    with django_assert_max_num_queries(12):
        search(client, "张")


# --- registration ---------------------------------------------------------------------------


def post_person(client: Client, **data: str) -> Any:
    form = {"name": "新人员", "id_number": "", "mobile": "", "address": "", "region": "150206"}
    form.update(data)
    return client.post(CREATE, form)


def test_create_person(world: World) -> None:
    client = client_for(world.receptionist)
    assert client.get(CREATE).status_code == 200
    response = post_person(client, id_number=BYEB_ID, mobile=BYEB_MOBILE, is_deputy="on")
    person = Person.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("people:dossier", args=[person.pk])
    assert person.is_deputy and person.region_id == "150206"
    assert person.owner_unit == world.receptionist.org_unit


def test_an_id_born_long_ago_registers_with_a_warning(world: World) -> None:
    """GB 11643's own sample (born 1880) is accepted; the page says to check it, without
    refusing (issue 12, item 19)."""
    client = client_for(world.receptionist)
    response = post_person(client, id_number="440524188001010014")
    person = Person.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("people:dossier", args=[person.pk])
    page = client.get(response["Location"]).content.decode()
    assert "身份证号中的出生日期为1880年01月01日，早于1900年，请与证件核对" in page


def test_create_offers_existing_record_for_same_id(world: World, byeb_person: Person) -> None:
    response = post_person(client_for(world.receptionist), id_number=BYEB_ID.lower())
    body = response.content.decode()
    assert "该身份证号已登记" in body
    assert reverse("people:dossier", args=[byeb_person.pk]) in body and "白云张三" in body
    assert "确认为不同人员" not in body  # the ID duplicate cannot be overridden
    assert Person.objects.count() == 1


def test_duplicate_outside_scope_names_nothing(world: World, byeb_person: Person) -> None:
    """Issue 12 item 2: outside the caller's scope, neither the person nor the registering
    unit is named: only a neutral "may already be registered, ask 立案庭"."""
    response = post_person(client_for(world.county_officer), id_number=BYEB_ID)
    body = response.content.decode()
    assert "可能已在其他单位登记" in body and "立案庭" in body
    assert "白云鄂博矿区人民法院" not in body
    assert "白云张三" not in body
    assert reverse("people:dossier", args=[byeb_person.pk]) not in body
    assert Person.objects.count() == 1


def test_same_phone_asks_for_confirmation(world: World, byeb_person: Person) -> None:
    client = client_for(world.receptionist)
    response = post_person(client, name="白云张小三", mobile=BYEB_MOBILE)
    body = response.content.decode()
    assert "该手机号码已登记在以下人员名下" in body and "确认为不同人员，仍然新建" in body
    assert Person.objects.count() == 1
    response = post_person(client, name="白云张小三", mobile=BYEB_MOBILE, allow_same_phone="on")
    assert response.status_code == 302
    assert Person.objects.count() == 2


def test_invalid_input_shows_field_errors_and_writes_nothing(world: World) -> None:
    bad = BYEB_ID[:17] + ("0" if BYEB_ID[-1] != "0" else "1")
    response = post_person(client_for(world.receptionist), id_number=bad, mobile="123")
    body = response.content.decode()
    assert f"身份证号校验位错误，应为{BYEB_ID[-1]}" in body
    assert "手机号码应为11位" in body
    assert Person.objects.count() == 0


# --- dossier and reveal ---------------------------------------------------------------------


def test_dossier_is_404_outside_scope(world: World, byeb_person: Person) -> None:
    url = reverse("people:dossier", args=[byeb_person.pk])
    assert client_for(world.county_officer).get(url).status_code == 404
    assert client_for(world.city_officer).get(url).status_code == 200


def test_dossier_shows_masked_data_and_reveal_button_by_role(
    world: World, byeb_person: Person
) -> None:
    url = reverse("people:dossier", args=[byeb_person.pk])
    officer_page = client_for(world.city_officer).get(url).content.decode()
    assert byeb_person.id_number_masked in officer_page and BYEB_ID not in officer_page
    assert "139****0021" in officer_page and BYEB_MOBILE not in officer_page
    assert "显示完整身份证号" not in officer_page
    reception_page = client_for(world.receptionist).get(url).content.decode()
    assert "显示完整身份证号" in reception_page and BYEB_ID not in reception_page
    assert AuditEntry.objects.count() == 0  # showing the dossier reveals nothing


def test_dossier_renders_registered_sections_and_timeline(
    world: World, byeb_person: Person, temporary_dossier_sections: list[object]
) -> None:
    def petitions(user: Any, person: Person) -> DossierSection:
        return DossierSection(
            title="信访案件（测试）",
            rows=[DossierRow("XF-2026-001", "/petitions/1/", "百日攻坚")],
            order=-1,
        )

    register_dossier_section(petitions)
    temporary_dossier_sections.append(petitions)
    Enterprise.objects.create(
        name="联系企业甲", uscc=build_uscc(), owner_unit=world.court, contact_person=byeb_person
    )
    body = client_for(world.receptionist).get(reverse("people:dossier", args=[byeb_person.pk]))
    text = body.content.decode()
    assert "信访案件（测试）" in text and 'href="/petitions/1/"' in text and "百日攻坚" in text
    assert "联系的企业" in text and "联系企业甲" in text
    assert "时间线" in text


def test_reveal_for_permitted_role_is_audited_each_time(world: World, byeb_person: Person) -> None:
    client = client_for(world.receptionist)
    url = reverse("people:reveal", args=[byeb_person.pk, "id_number"])
    for expected_count in (1, 2):
        response = client.post(url, HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        assert BYEB_ID in response.content.decode()
        assert "<html" not in response.content.decode()
        assert AuditEntry.objects.filter(action="view_full_id_number").count() == expected_count
    entry = AuditEntry.objects.first()
    assert entry is not None and entry.actor == world.receptionist
    assert entry.subject_type == "people.person" and entry.subject_id == str(byeb_person.pk)


def test_reveal_phone_by_id(world: World, byeb_person: Person) -> None:
    phone = byeb_person.phones.get()
    url = reverse("people:reveal", args=[byeb_person.pk, "phone"])
    response = client_for(world.receptionist).post(url, {"phone_id": phone.pk})
    assert BYEB_MOBILE in response.content.decode()
    assert AuditEntry.objects.get().action == "view_full_phone"


def test_reveal_forbidden_for_other_roles(world: World, byeb_person: Person) -> None:
    url = reverse("people:reveal", args=[byeb_person.pk, "id_number"])
    response = client_for(world.city_officer).post(url)
    assert response.status_code == 403
    assert BYEB_ID not in response.content.decode()
    assert client_for(world.county_officer).post(url).status_code == 404
    assert client_for(world.receptionist).get(url).status_code == 405
    assert not AuditEntry.objects.filter(action__startswith="view_full").exists()


# --- enterprises and the home panel ---------------------------------------------------------


def test_enterprise_create_and_detail(world: World) -> None:
    client = client_for(world.receptionist)
    uscc = build_uscc(organization_base="MA0R1234")
    response = client.post(
        reverse("people:enterprise_create"),
        {"name": "示例公司", "uscc": uscc.lower(), "legal_representative": "王五", "region": ""},
    )
    enterprise = Enterprise.objects.get()
    assert response.status_code == 302
    detail = client.get(reverse("people:enterprise_detail", args=[enterprise.pk]))
    assert uscc in detail.content.decode()
    again = client.post(reverse("people:enterprise_create"), {"name": "另一家", "uscc": uscc})
    assert "该统一社会信用代码已登记" in again.content.decode()
    assert Enterprise.objects.count() == 1
    url = reverse("people:enterprise_detail", args=[enterprise.pk])
    assert client_for(world.county_officer).get(url).status_code == 404


def test_enterprise_duplicate_outside_scope_names_nothing(world: World) -> None:
    uscc = build_uscc()
    client_for(world.receptionist).post(
        reverse("people:enterprise_create"), {"name": "白云示例公司", "uscc": uscc}
    )
    enterprise = Enterprise.objects.get()
    response = client_for(world.county_officer).post(
        reverse("people:enterprise_create"), {"name": "另一家", "uscc": uscc}
    )
    body = response.content.decode()
    assert response.status_code == 200 and "可能已在其他单位登记" in body and "立案庭" in body
    assert "白云示例公司" not in body and "白云鄂博矿区人民法院" not in body
    assert reverse("people:enterprise_detail", args=[enterprise.pk]) not in body
    assert Enterprise.objects.count() == 1


def test_enterprise_factory_makes_valid_codes(world: World) -> None:
    from youjie.people.validators import validate_uscc

    for enterprise in EnterpriseFactory.create_batch(5, owner_unit=world.court):
        assert validate_uscc(enterprise.uscc) == enterprise.uscc


def test_home_panel(world: World) -> None:
    titles = [panel.title for panel in panels_for(world.county_officer)]
    assert "人员查询" in titles
