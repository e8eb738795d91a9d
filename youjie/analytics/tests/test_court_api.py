"""GET /api/v1/analytics/court-figures: M1 reproduced, the JSON's shape, scoping, bad input."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client

from youjie.analytics.court_figures import COUNT_KEYS, RATE_KEYS
from youjie.analytics.services import court_figures_rebuild
from youjie.analytics.tests.conftest import CourtMarch
from youjie.courtcases.models import CourtCase
from youjie.orgs.models import OrgUnit

pytestmark = pytest.mark.django_db
URL = "/api/v1/analytics/court-figures"
FIRST_HALF = {"court": "内0206", "start": "2026-01-01", "end": "2026-06-30"}
MARCH = {"court": "内0206", "start": "2026-03-01", "end": "2026-03-31"}


@pytest.fixture(autouse=True)
def _no_otp(settings: Any) -> None:
    settings.YOUJIE_OTP_ENFORCED = False


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _bulk(court: OrgUnit, division: OrgUnit, rows: list[dict[str, Any]]) -> None:
    """Civil first-instance cases, numbered in order."""
    first = CourtCase.objects.count() + 1
    CourtCase.objects.bulk_create(
        CourtCase(
            case_number=f"（{row['filed_on'].year}）内0206民初{first + index}号",
            year=row["filed_on"].year,
            court_code="内0206",
            type_code="民初",
            sequence=first + index,
            court=court,
            division=division,
            **row,
        )
        for index, row in enumerate(rows)
    )


@pytest.fixture
def m1_court(court: OrgUnit, civil_division: OrgUnit) -> None:
    """The first half of 2026 gives DOMAIN's M1 — 旧存 10, 新收 99, 结案 93 (all of them
    first-instance), 上诉 4 — and the first half of 2025 gives 受理 100, 结案 89, 上诉 13
    (一审服判息诉率 85.39 %)."""
    day = timedelta(days=1)
    rows: list[dict[str, Any]] = []
    # 2026: ten carried over from December, all closed in February.
    rows += [{"filed_on": date(2025, 12, 1) + i * day, "closed_on": date(2026, 2, 1)}
             for i in range(10)]  # fmt: skip
    # 2026: 99 new; 83 closed in the half-year (4 of them appealed), 16 still open.
    rows += [
        {
            "filed_on": date(2026, 1, 5) + i * day,
            "closed_on": date(2026, 5, 1) if i < 83 else None,
            "appealed": i < 4,
        }
        for i in range(99)
    ]
    # 2025: 100 new; 89 closed in the half-year (13 appealed), 11 closed in August.
    rows += [
        {
            "filed_on": date(2025, 1, 5) + i * day,
            "closed_on": date(2025, 5, 1) if i < 89 else date(2025, 8, 1),
            "appealed": i < 13,
        }
        for i in range(100)
    ]
    _bulk(court, civil_division, rows)
    court_figures_rebuild()


def test_m1_through_the_api(court_leader, m1_court) -> None:
    response = _client(court_leader).get(URL, FIRST_HALF)
    assert response.status_code == 200, response.content
    body = response.json()
    counts = (body["carried_over"], body["new"], body["received"], body["closed"])
    assert counts == (10, 99, 109, 93)
    assert (body["first_instance_closed"], body["appealed"]) == (93, 4)
    assert body["closure_rate"] == "85.32"
    assert body["acceptance_rate"] == "95.70"
    assert body["appeal_rate"] == "4.30"
    previous = body["previous"]
    assert (previous["received"], previous["closed"], previous["appealed"]) == (100, 89, 13)
    assert previous["closure_rate"] == "89.00"
    assert previous["acceptance_rate"] == "85.39"
    assert body["change_points"]["acceptance_rate"] == "+10.31"
    assert body["change_points"]["closure_rate"] == "-3.68"
    assert body["previous_period"] == {"start": "2025-01-01", "end": "2025-06-30"}


def test_the_json_shape(court_leader, court_march: CourtMarch) -> None:
    body = _client(court_leader).get(URL, MARCH).json()
    counts = COUNT_KEYS  # carried_over, new, received, closed, first_instance_closed, …
    rates = RATE_KEYS  # closure_rate, closed_to_new_ratio, acceptance_rate, appeal_rate, …
    assert "reversal_rate" in rates
    assert {"carried_over", "new", "received", "closed", "first_instance_closed", "appealed",
            "reversed_or_remanded"} <= set(counts)  # fmt: skip
    for source in (body, body["previous"]):
        for key in counts:
            assert type(source[key]) is int, key
        for key in rates:
            assert isinstance(source[key], str) and len(source[key].split(".")[1]) == 2, key
    assert body["closure_rate"] == "72.73"
    assert body["average_days_to_close"] == "63.4"
    assert body["reversed_or_remanded"] == 1
    assert set(body["change_points"]) == set(rates)
    assert body["change_points"]["closure_rate"] == "+22.73"
    assert body["acceptance_rate_subtracts"] == ["appealed"]
    assert body["court"] == "内0206" and body["scope"] == "白云鄂博矿区人民法院"
    assert body["as_of"] and body["last_import_at"] is None
    assert body["period"] == {"start": "2026-03-01", "end": "2026-03-31"}


def test_rates_over_nothing_are_null(court_leader, court) -> None:
    body = _client(court_leader).get(URL, MARCH).json()
    assert body["received"] == 0
    assert body["closure_rate"] is None and body["previous"]["acceptance_rate"] is None
    assert body["change_points"]["closure_rate"] is None


def test_division_head_reads_their_division_only(division_head, court_march: CourtMarch) -> None:
    client = _client(division_head)
    own = client.get(URL, {**MARCH, "division": str(court_march.cases["A"].division_id)})
    assert own.status_code == 200
    assert own.json()["closed"] == 7
    assert client.get(URL, MARCH).json()["closed"] == 7  # the criminal case O is not theirs
    other = client.get(URL, {**MARCH, "division": str(court_march.criminal_division.pk)})
    assert other.status_code == 404
    assert other.json()["code"] == "not_found"


def test_callers_without_the_figures(
    client, court_leader, receptionist, judge, court_march: CourtMarch
) -> None:
    anonymous = client.get(URL, MARCH)
    assert anonymous.status_code == 401
    assert anonymous.json()["code"] == "unauthenticated"
    for user in (receptionist, judge):
        refused = _client(user).get(URL, MARCH)
        assert refused.status_code == 403
        assert refused.json()["code"] == "permission_denied"
    other_court = _client(court_leader).get(URL, {**MARCH, "court": "内0205"})
    assert other_court.status_code == 404
    stranger = _client(court_leader).get(URL, {**MARCH, "judge": str(10**9)})
    assert stranger.status_code == 404


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"start": "2026-02-30"}, "validation_failed", "start"),
        ({"end": "明天"}, "validation_failed", "end"),
        ({"start": "2026-04-01"}, "period_reversed", "end"),
        ({"start": "2021-03-31"}, "period_too_long", "end"),
        ({"start": "1999-03-31"}, "period_out_of_range", "end"),
        ({"end": "2100-01-01", "start": "2099-12-01"}, "period_out_of_range", "end"),
        ({"type": "民出"}, "unknown_type", "type"),
        ({"court": "x" * 17}, "validation_failed", "court"),
        ({"division": "0"}, "validation_failed", "division"),
    ],
)
def test_bad_input_is_422_with_a_code(
    court_leader, court_march: CourtMarch, changes: dict[str, str], code: str, field: str
) -> None:
    response = _client(court_leader).get(URL, {**MARCH, **changes})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == code
    assert field in body["fields"]


def test_the_figures_of_a_type_and_a_judge(court_leader, judge, court_march: CourtMarch) -> None:
    client = _client(court_leader)
    assert client.get(URL, {**MARCH, "type": "执"}).json()["closed"] == 1
    assert client.get(URL, {**MARCH, "judge": judge.pk}).json()["closed"] == 3
