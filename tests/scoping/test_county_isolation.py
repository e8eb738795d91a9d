"""A county office officer must not see another county's records — by list, by id, by search,
or through the API (issue 2, "Scoping"). The city office officer sees both counties.

Records of 白云鄂博矿区 (150206): a person registered by the court with that region, a court case of
the Bayan Obo court, and a desk request. The county officer works for 石拐区 (150205).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from youjie.courtcases.models import CourtCase
from youjie.desk.catalog import install_default_matter_types
from youjie.desk.services import IntakeData, service_request_create
from youjie.orgs.models import OrgUnit, Region
from youjie.orgs.services import api_token_create
from youjie.people.services import person_create

pytestmark = pytest.mark.django_db

ID_NUMBER = "15020619900101123"  # the check character is computed in the fixture


@pytest.fixture
def byeb_records(receptionist, judge, court, civil_division):
    from youjie.people.validators import resident_id_check_char

    first17 = ID_NUMBER
    id_number = first17 + resident_id_check_char(first17)
    person = person_create(
        actor=receptionist,
        name="赵建华",
        id_number=id_number,
        mobile="13912340000",
        region=Region.objects.get(code="150206"),
    )
    case = CourtCase.objects.create(
        case_number="（2026）内0206民初777号",
        year=2026,
        court_code="内0206",
        type_code="民初",
        sequence=777,
        court=court,
        division=civil_division,
        judge=judge,
        cause="买卖合同纠纷",
    )
    install_default_matter_types()
    request, _ = service_request_create(
        actor=receptionist,
        data=IntakeData(
            channel="walk_in",
            matter_type_code="case_query",
            title="查询买卖合同案件",
            content="询问案件进度",
            requester_name="赵建华",
            requester_mobile="13912340000",
        ),
    )
    return {"person": person, "case": case, "request": request, "id_number": id_number}


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def county_token() -> str:
    _token, key = api_token_create(
        name="石拐区系统", org_unit=OrgUnit.objects.get(code="150205-ZXB")
    )
    return key


def test_county_officer_sees_nothing_of_another_county(county_officer, byeb_records):
    person, case, request = byeb_records["person"], byeb_records["case"], byeb_records["request"]
    client = login(county_officer)
    # By list and by search (name, phone, ID) on the pages.
    for query in ("", "赵建华", "13912340000", byeb_records["id_number"]):
        html = client.post("/people/", {"q": query}).content.decode()
        assert f'href="/people/{person.pk}/"' not in html, query
    assert "（2026）内0206民初777号" not in client.get("/cases/", {"q": "777"}).content.decode()
    # By id.
    assert client.get(f"/people/{person.pk}/").status_code == 404
    assert client.get(f"/cases/{case.pk}/").status_code == 404
    assert client.get(f"/desk/{request.pk}/").status_code == 404
    # Through the API, with the officer's session and with a token bound to the county office.
    token_headers: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {county_token()}"}
    for headers in ({}, token_headers):
        api = client if not headers else Client()
        assert api.get("/api/v1/people", {"q": "赵建华"}, **headers).json() == []
        assert api.get("/api/v1/people", {"q": "13912340000"}, **headers).json() == []
        assert api.get(f"/api/v1/people/{person.pk}", **headers).status_code == 404
        assert api.get("/api/v1/courtcases/cases", {"q": "777"}, **headers).json()["items"] == []
        assert api.get(f"/api/v1/courtcases/cases/{case.pk}", **headers).status_code == 404
        assert api.get(f"/api/v1/desk/requests/{request.pk}", **headers).status_code == 404
        assert api.get("/api/v1/desk/requests", **headers).json()["items"] == []


def test_city_officer_sees_both_counties_but_no_desk_content(city_officer, byeb_records):
    person, case, request = byeb_records["person"], byeb_records["case"], byeb_records["request"]
    client = login(city_officer)
    html = client.post("/people/", {"q": "赵建华"}).content.decode()
    assert f'href="/people/{person.pk}/"' in html
    assert client.get(f"/people/{person.pk}/").status_code == 200
    assert client.get(f"/cases/{case.pk}/").status_code == 200
    assert client.get(f"/api/v1/people/{person.pk}").status_code == 200
    # DESIGN "Who sees what": the city office sees desk figures, not desk content.
    assert client.get(f"/desk/{request.pk}/").status_code == 404
    assert client.get("/api/v1/desk/requests").json()["items"] == []


def test_own_county_officer_sees_the_records(byeb_county_officer, byeb_records):
    client = login(byeb_county_officer)
    html = client.post("/people/", {"q": "13912340000"}).content.decode()
    assert f'href="/people/{byeb_records["person"].pk}/"' in html
    assert client.get(f"/cases/{byeb_records['case'].pk}/").status_code == 200
