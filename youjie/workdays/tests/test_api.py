from __future__ import annotations

from datetime import date

import pytest

from youjie.workdays.services import calendar_year_save

pytestmark = pytest.mark.django_db
BASE = "/api/v1/workdays"


def test_the_api_needs_authentication(client):
    assert client.get(f"{BASE}/is-workday", {"date": "2026-10-10"}).status_code == 401


def test_is_workday(client, receptionist):
    client.force_login(receptionist)
    body = client.get(f"{BASE}/is-workday", {"date": "2026-10-10"}).json()
    assert body == {
        "date": "2026-10-10",
        "is_workday": True,
        "kind": "makeup_workday",
        "name": "国庆节",
        "source": "package",
        "warning": None,
    }
    body = client.get(f"{BASE}/is-workday", {"date": "2031-01-01"}).json()
    assert body["source"] == "weekends_only"
    assert body["warning"] == "注意：2031年节假日安排尚未录入，按周末计算"


def test_add(client, receptionist):
    client.force_login(receptionist)
    response = client.get(f"{BASE}/add", {"start": "2026-09-25", "days": 15, "unit": "workdays"})
    assert response.status_code == 200
    assert response.json() == {
        "start": "2026-09-25",
        "days": 15,
        "unit": "workdays",
        "deadline": "2026-10-22",
        "warning": None,
    }
    body = client.get(
        f"{BASE}/add", {"start": "2026-09-24", "days": 7, "unit": "calendar_days"}
    ).json()
    assert body["deadline"] == "2026-10-08"


@pytest.mark.parametrize(
    "params",
    [
        {"start": "2026-09-25", "days": -1, "unit": "workdays"},
        {"start": "2026-09-25", "days": 3651, "unit": "workdays"},
        {"start": "2026-13-01", "days": 1, "unit": "workdays"},
        {"start": "2026-09-25", "days": 1, "unit": "weeks"},
        {"start": "9999-12-30", "days": 10, "unit": "workdays"},
    ],
)
def test_add_rejects_bad_input_with_422(client, receptionist, params):
    client.force_login(receptionist)
    response = client.get(f"{BASE}/add", params)
    assert response.status_code == 422
    assert response.json()["code"] == "validation_failed"


def test_year(client, receptionist, administrator):
    client.force_login(receptionist)
    body = client.get(f"{BASE}/years/2026").json()
    assert body["status"] == "package"
    assert {"date": "2026-10-10", "name": "国庆节"} in body["workdays"]
    assert len(body["holidays"]) == 33

    calendar_year_save(
        year=2027, holidays=[(date(2027, 1, 1), "元旦")], workdays=[], actor=administrator
    )
    body = client.get(f"{BASE}/years/2027").json()
    assert body["status"] == "admin"
    assert body["holidays"] == [{"date": "2027-01-01", "name": "元旦"}]
    assert body["warning"] is None
    body = client.get(f"{BASE}/years/2031").json()
    assert body["status"] == "weekends_only"
    assert body["holidays"] == []
    assert body["warning"] is not None
    assert client.get(f"{BASE}/years/1800").status_code == 422
