"""/api/v1/fees: issue, get, list, order, counter payment, refund, relief decision — with
Idempotency-Key on the POSTs, errors as codes, and who may call each (negative permissions)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from youjie.fees.choices import PayerKind, ReliefKind
from youjie.fees.models import FeeNotice, PaymentOrder
from youjie.fees.standin import StandIn
from youjie.fees.tests.conftest import issue, make_case
from youjie.fees.tests.test_relief_refunds import pdf

pytestmark = pytest.mark.django_db
API = "/api/v1/fees"


def as_user(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client: Client, url: str, body: dict[str, Any], **headers: str) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json", headers=headers)


def test_issue_once_per_key_and_read_it_back(
    receptionist: Any, court_case: Any, frozen: Any
) -> None:
    client = as_user(receptionist)
    body = {"court_case_id": court_case.pk, "fee_kind": "property", "claim_amount": "200000",
            "party_id": court_case.parties.get(role="plaintiff").pk,
            "payer_phone": "13912345678"}  # fmt: skip
    first = post(client, f"{API}/notices", body, **{"Idempotency-Key": "issue-1"})
    assert first.status_code == 201
    data = first.json()
    assert data["total_amount"] == "4300.00" and data["due_on"] == "2026-11-30"
    assert data["payer_phone"] == "139****5678"
    assert [line["amount"] for line in data["lines"]] == ["50.00", "2250.00", "2000.00"]
    again = post(client, f"{API}/notices", body, **{"Idempotency-Key": "issue-1"})
    assert again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == data["id"] and FeeNotice.objects.count() == 1
    other = post(
        client, f"{API}/notices", {**body, "claim_amount": "1000"}, **{"Idempotency-Key": "issue-1"}
    )
    assert other.status_code == 409 and other.json()["code"] == "idempotency_key_reused"
    negative = post(client, f"{API}/notices", {**body, "claim_amount": "-1"})
    assert negative.status_code == 422 and negative.json()["code"] == "amount_negative"
    ranged = post(client, f"{API}/notices", {**body, "fee_kind": "divorce", "claim_amount": None})
    assert ranged.status_code == 422 and ranged.json()["code"] == "fee_range"
    got = client.get(f"{API}/notices/{data['id']}")
    assert got.status_code == 200 and got.json()["number"] == "（2026）内0206诉费1号"
    listed = client.get(f"{API}/notices", {"state": "unpaid"})
    assert [item["id"] for item in listed.json()["items"]] == [data["id"]]


def test_order_counter_refund_and_relief_over_the_api(
    receptionist: Any,
    division_head: Any,
    judge: Any,
    payments: StandIn,
    frozen: Any,
    settings: Any,
    tmp_path: Any,
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    client = as_user(receptionist)
    online = issue(receptionist, make_case(judge=judge, sequence=940))
    order = post(client, f"{API}/notices/{online.pk}/orders", {}, **{"Idempotency-Key": "o-1"})
    assert order.status_code == 201 and order.json()["code_url"].startswith(payments.base_url)
    replay = post(client, f"{API}/notices/{online.pk}/orders", {}, **{"Idempotency-Key": "o-1"})
    assert replay.status_code == 200 and PaymentOrder.objects.count() == 1

    counter = issue(receptionist, make_case(judge=judge, sequence=941))
    body = {"paid_amount": "4300.00", "receipt_number": "NM-9", "paid_on": "2026-11-23"}
    paid = post(client, f"{API}/notices/{counter.pk}/counter-payments", body,
                **{"Idempotency-Key": "c-1"})  # fmt: skip
    assert paid.status_code == 201 and paid.json()["status"] == "paid"
    repeat = post(client, f"{API}/notices/{counter.pk}/counter-payments", body,
                  **{"Idempotency-Key": "c-1"})  # fmt: skip
    assert repeat.status_code == 200
    twice = post(client, f"{API}/notices/{counter.pk}/counter-payments", body)
    assert twice.status_code == 422  # the receipt is registered already
    refund = post(client, f"{API}/notices/{counter.pk}/refunds", {
        "refund_amount": "2150.00", "refund_reason": "withdrawal", "effective_on": "2026-11-20",
        "bank_reference": "BOC-1"})  # fmt: skip
    assert refund.status_code == 201
    assert refund.json()["status"] == "succeeded" and refund.json()["due_on"] == "2026-12-07"

    from youjie.fees import services

    relieved = issue(receptionist, make_case(judge=judge, sequence=942))
    application = services.relief_apply(
        notice=relieved, kind=ReliefKind.REDUCE, applicant_name="张三丰",
        applicant_kind=PayerKind.PERSON, reasons="困难", requested_percent=50, files=[pdf()],
    )  # fmt: skip
    url = f"{API}/reliefs/{application.pk}/decision"
    assert post(client, url, {"grant": True, "percent": 50}).status_code == 403
    leader = as_user(division_head)
    low = post(leader, url, {"grant": True, "percent": 20})
    assert low.status_code == 422 and "percent" in low.json()["fields"]
    decided = post(leader, url, {"grant": True, "percent": 50}, **{"Idempotency-Key": "r-1"})
    assert decided.status_code == 201 and decided.json()["status"] == "granted"
    same = post(leader, url, {"grant": True, "percent": 50}, **{"Idempotency-Key": "r-1"})
    assert same.status_code == 200
    late = post(leader, url, {"grant": False, "reasons": "改变主意"})
    assert late.status_code == 409


@pytest.mark.parametrize("persona", ["city_officer", "mediator", "qingshan_receptionist"])
def test_outside_the_court_every_operation_is_refused(
    notice: FeeNotice, persona: str, request: pytest.FixtureRequest, court_case: Any
) -> None:
    client = as_user(request.getfixturevalue(persona))
    fee_staff = persona == "qingshan_receptionist"
    expected = 404 if fee_staff else 403
    assert client.get(f"{API}/notices/{notice.pk}").status_code == expected
    listed = client.get(f"{API}/notices")
    assert (listed.status_code, listed.json().get("items")) == (
        (200, []) if fee_staff else (403, None)
    )
    calls = [
        (f"{API}/notices/{notice.pk}/orders", {}),
        (f"{API}/notices/{notice.pk}/counter-payments",
         {"paid_amount": "4300.00", "receipt_number": "X", "paid_on": "2026-11-23"}),
        (f"{API}/notices/{notice.pk}/refunds",
         {"refund_amount": "1", "refund_reason": "overpaid", "effective_on": "2026-11-20"}),
        (f"{API}/notices",
         {"court_case_id": court_case.pk, "fee_kind": "property", "claim_amount": "1"}),
    ]  # fmt: skip
    for url, body in calls:
        assert post(client, url, body).status_code == expected, url
    assert client.get(f"{API}/notices/{notice.pk}").status_code == expected
    anonymous = Client().get(f"{API}/notices/{notice.pk}")
    assert anonymous.status_code == 401
