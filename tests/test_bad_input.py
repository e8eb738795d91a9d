"""Hostile input at the entry points gets a 4xx with a message, never a 500."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

HUGE = "9" * 30

PAGES = [
    f"/desk/{HUGE}/",
    f"/people/{HUGE}/",
    f"/cases/{HUGE}/",
    "/desk/search/?q=" + "保" * 60,
    "/desk/search/?q=%22%20OR%20*&status=nope&date_from=2026-13-40",
    "/desk/division/?division=abc",
    "/desk/priority/?date_from=x&date_to=y",
    "/calendar/99999/",
    "/calendar/?start=2026-02-30&days=-5&unit=weeks",
    "/analytics/desk/?date_from=2026-12-01&date_to=2026-01-01",
    "/cases/?year=abc&page=-1",
    "/portal/track/SS%00/",
    "/portal/feedback/%00%00/",
    "/portal/checklists/..%2f..%2fetc/",
]

API = [
    ("get", f"/api/v1/desk/requests/{HUGE}", None),
    ("get", "/api/v1/desk/requests?page=0&page_size=100000", None),
    ("get", "/api/v1/desk/requests/by-number/%00", None),
    ("post", "/api/v1/desk/requests", "{not json"),
    ("post", "/api/v1/desk/requests", '{"channel": 1, "title": null}'),
    ("get", "/api/v1/workdays/add?start=0001-01-01&days=3650", None),
    ("get", f"/api/v1/courtcases/cases/{HUGE}", None),
    ("get", "/api/v1/courtcases/cases/%EF%BC%88abc", None),
    ("post", "/api/v1/people", '{"name": "\\u0000", "id_number": "x", "mobile": "1"}'),
    ("post", "/api/v1/inbound/calls", '{"line": "x"}'),
]


def test_pages_never_fail_with_500(receptionist, division_head):
    for user in (receptionist, division_head):
        client = Client()
        client.force_login(user)
        for url in PAGES:
            response = client.get(url)
            assert response.status_code < 500, (url, response.status_code)


def test_api_never_fails_with_500(receptionist):
    client = Client()
    client.force_login(receptionist)
    for method, url, body in API:
        if method == "get":
            response = client.get(url)
        else:
            response = client.post(url, data=body, content_type="application/json")
        assert 400 <= response.status_code < 500, (url, response.status_code)
        assert response["Content-Type"].startswith("application/json"), url
        assert "code" in response.json(), url


def test_a_nul_in_any_api_text_is_a_422_naming_the_field(receptionist):
    """PostgreSQL text cannot hold NUL: every app's API input refuses it (youjie.core.schemas),
    with the field's name and a Chinese message, on either database."""
    client = Client()
    client.force_login(receptionist)
    cases = [
        ("post", "/api/v1/people", '{"name": "张\\u0000三"}', "name"),
        (
            "post",
            "/api/v1/people/enterprises",
            '{"name": "x", "region_code": "\\u0000"}',
            "region_code",
        ),
        ("get", "/api/v1/people?q=%00", None, "q"),
        ("get", "/api/v1/courtcases/cases?q=a%00b", None, "q"),
        ("post", "/api/v1/courtcases/parse", '{"case_number": "\\u0000"}', "case_number"),
    ]
    for method, url, body, field in cases:
        if method == "get":
            response = client.get(url)
        else:
            response = client.post(url, data=body, content_type="application/json")
        assert response.status_code == 422, (url, response.status_code, response.content)
        assert response.json()["fields"][field] == ["不能包含空字符"], (url, response.json())


def test_court_case_list_filters_past_their_limits_are_refused(receptionist):
    client = Client()
    client.force_login(receptionist)
    for query in ("q=" + "案" * 61, "type_code=" + "民" * 17, "year=10000", "page=0"):
        response = client.get(f"/api/v1/courtcases/cases?{query}")
        assert response.status_code == 422, (query, response.content)
        assert response.json()["code"] == "validation_failed", response.json()
