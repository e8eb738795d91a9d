"""GET /api/v1/fees/estimate: public, every fee a decimal string, bad input a 422 with a code
and a Chinese message, past the rate limit a 429."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest
import time_machine
from django.test import Client

from youjie.fees.calculator import AUTHORITATIVE_NOTE

pytestmark = pytest.mark.django_db

URL = "/api/v1/fees/estimate"


def get(client: Client, **query: str) -> Any:
    return client.get(URL, query)


def test_a_property_case_of_one_million_yuan(client: Client) -> None:
    # 50 + 90,000 × 2.5% + 100,000 × 2% + 300,000 × 1.5% + 500,000 × 1%
    # = 50 + 2,250 + 2,000 + 4,500 + 5,000 = 13,800.
    response = get(client, kind="property", amount="1000000", procedure="ordinary")
    assert response.status_code == 200
    body = response.json()
    assert {key: body[key] for key in ("kind", "amount", "procedure", "acceptance_fee")} == {
        "kind": "property",
        "amount": "1000000.00",
        "procedure": "ordinary",
        "acceptance_fee": "13800.00",
    }
    assert body["application_fee"] is None and body["is_range"] is False
    assert (body["fee_min"], body["fee_max"], body["fee_type"]) == (
        "13800.00",
        "13800.00",
        "acceptance_fee",
    )
    assert body["lines"][0] == {
        "label": "不超过1万元的部分",
        "amount": "50.00",
        "amount_max": None,
        "article": "《诉讼费用交纳办法》第十三条第（一）项",
        "basis": "每件交纳50元",
    }
    assert [line["amount"] for line in body["lines"]] == [
        "50.00",
        "2250.00",
        "2000.00",
        "4500.00",
        "5000.00",
    ]
    assert body["notes"] == [AUTHORITATIVE_NOTE]


def test_simple_procedure_halves_and_says_why(client: Client) -> None:
    body = get(client, kind="property", amount="500000", procedure="simple").json()
    assert body["acceptance_fee"] == "4400.00"  # 8,800 / 2
    assert body["lines"][-1]["article"] == "《诉讼费用交纳办法》第十六条"
    assert "适用简易程序的，减半交纳案件受理费（第十六条）。" in body["notes"]


def test_a_range_has_no_point_value(client: Client) -> None:
    body = get(client, kind="divorce", amount="1000000").json()
    assert body["acceptance_fee"] is None and body["is_range"] is True
    assert (body["fee_min"], body["fee_max"]) == ("4050.00", "4300.00")
    assert body["lines"][0]["amount_max"] == "300.00"


def test_an_application_fee(client: Client) -> None:
    body = get(client, kind="preservation", amount="2000000").json()
    assert body["fee_type"] == "application_fee" and body["fee_label"] == "申请费"
    assert (body["application_fee"], body["acceptance_fee"]) == ("5000.00", None)
    assert body["lines"][-1]["amount"] == "-5520.00"


def test_administrative_subject_is_a_parameter(client: Client) -> None:
    body = get(client, kind="administrative", administrative_subject="trademark_patent_maritime")
    assert body.json()["acceptance_fee"] == "100.00"


@pytest.mark.parametrize(
    ("query", "code", "field"),
    [
        ({"kind": "property", "amount": "-1"}, "amount_negative", "amount"),
        ({"kind": "property", "amount": "abc"}, "amount_invalid", "amount"),
        ({"kind": "property", "amount": "0"}, "amount_invalid", "amount"),
        ({"kind": "property", "amount": "10000000000001"}, "amount_too_large", "amount"),
        ({"kind": "property", "amount": "1.005"}, "amount_too_precise", "amount"),
        ({"kind": "property"}, "amount_required", "amount"),
        ({"kind": "bankruptcy", "amount": ""}, "amount_required", "amount"),
        ({"kind": "property", "amount": "9" * 41}, "validation_failed", "amount"),
        ({"kind": "nope", "amount": "1"}, "validation_failed", "kind"),
        ({"amount": "1"}, "validation_failed", "kind"),
        (
            {"kind": "property", "amount": "1", "procedure": "fast"},
            "validation_failed",
            "procedure",
        ),
        ({"kind": "property", "amount": "1", "settled": "x"}, "validation_failed", "settled"),
        ({"kind": "property", "amount": "1\x00"}, "validation_failed", "amount"),
    ],
)
def test_bad_input_is_a_422_with_a_code(
    client: Client, query: dict[str, str], code: str, field: str
) -> None:
    response = client.get(URL, query)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == code
    assert set(body) <= {"code", "message", "fields"} and field in body["fields"]
    assert re.search("[\u4e00-\u9fff]", body["message"])


def test_no_authentication_is_needed_and_a_session_changes_nothing(
    client: Client, receptionist: Any
) -> None:
    anonymous = get(client, kind="labour").json()
    client.force_login(receptionist)
    assert get(client, kind="labour").json() == anonymous
    document = client.get("/api/v1/openapi.json").json()
    operation = document["paths"]["/api/v1/fees/estimate"]["get"]
    assert not operation.get("security")


def test_past_the_rate_limit_a_429(client: Client, settings: Any) -> None:
    settings.YOUJIE_PORTAL_RATE_LIMITS = {"fee_estimate_ip": (2, 3600)}
    with time_machine.travel(datetime(2026, 12, 8, 10, 0, tzinfo=UTC), tick=False):
        for _ in range(2):
            assert get(client, kind="labour").status_code == 200
        refused = get(client, kind="labour")
        assert refused.status_code == 429
        assert refused.json()["code"] == "rate_limited"
        assert "操作过于频繁" in refused.json()["message"]
        # Another address has its own count.
        assert client.get(URL, {"kind": "labour"}, REMOTE_ADDR="10.1.2.3").status_code == 200


def test_a_refused_amount_takes_no_slot(client: Client, settings: Any) -> None:
    settings.YOUJIE_PORTAL_RATE_LIMITS = {"fee_estimate_ip": (1, 3600)}
    with time_machine.travel(datetime(2026, 12, 8, 10, 0, tzinfo=UTC), tick=False):
        assert get(client, kind="property", amount="-5").status_code == 422
        assert get(client, kind="property", amount="5").status_code == 200
