"""/api/v1/filings: the cross-domain flow end to end, an idempotent create, bad input with its
codes, and a negative-permission test for every endpoint."""

from __future__ import annotations

import base64
import re
from typing import Any

import pytest
from django.test import Client

from youjie.filings.models import Filing
from youjie.filings.tests.support import (
    COMPANY_USCC,
    DEFENDANT_ID,
    PDF,
    PLAINTIFF_ID,
    sms_bodies,
    submit,
    verbs,
)
from youjie.orgs.models import User

pytestmark = pytest.mark.usefixtures("frozen")
BASE = "/api/v1/filings/"


def client_for(user: User) -> Client:
    client = Client(enforce_csrf_checks=False)
    client.force_login(user)
    return client


def body(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "competent_court": "BT-QS-FY",
        "case_kind": "civil_first",
        "procedure": "ordinary",
        "cause": "民间借贷纠纷",
        "claims": "判令被告偿还借款20000元",
        "amount": "20000.00",
        "currency": "CNY",
        "facts_and_reasons": "被告借款到期未还。",
        "submitter_kind": "party",
        "submitter_name": "张晓明",
        "submitter_phone": "13912345678",
        "parties": [
            {"role": "plaintiff", "kind": "person", "name": "张晓明", "id_number": PLAINTIFF_ID},
            {"role": "defendant", "kind": "person", "name": "李大力", "id_number": DEFENDANT_ID},
            {
                "role": "defendant",
                "kind": "enterprise",
                "name": "包头市某矿业有限公司",
                "id_number": COMPANY_USCC,
            },
        ],
        "materials": [
            {
                "kind": "complaint",
                "title": "起诉状",
                "file_name": "起诉状.pdf",
                "content_base64": base64.b64encode(PDF).decode(),
            }
        ],
    }
    data.update(overrides)
    return data


def post(client: Client, url: str, data: dict[str, Any], **headers: str) -> Any:
    return client.post(url, data, content_type="application/json", headers=headers)


def test_cross_domain_flow_through_the_api(receptionist: User, qingshan_receptionist: User) -> None:
    byeb, qingshan = client_for(receptionist), client_for(qingshan_receptionist)
    created = post(byeb, BASE, body(), **{"Idempotency-Key": "api-flow-1"})
    assert created.status_code == 201, created.json()
    filing_id = created.json()["id"]
    assert created.json()["status"] == "received" and created.json()["cross_domain"]
    assert created.json()["parties"][0]["id_number_masked"] != PLAINTIFF_ID
    forward_on_wrong_side = post(qingshan, f"{BASE}{filing_id}/forward", {})
    assert forward_on_wrong_side.status_code == 403
    asked = post(byeb, f"{BASE}{filing_id}/supplement", {"items": ["原告身份证复印件", "借条照片"]})
    assert asked.status_code == 200 and asked.json()["status"] == "supplement"
    assert asked.json()["events"][-1]["data"]["items"] == ["原告身份证复印件", "借条照片"]
    filing = Filing.objects.get(pk=filing_id)
    from youjie.filings import services
    from youjie.filings.tests.support import pdf

    services.filing_supplement_provide(
        filing=filing, materials=[services.MaterialInput("identity", "身份证", pdf("id.pdf"))]
    )
    stale = post(byeb, f"{BASE}{filing_id}/forward", {"expected_status": "review"})
    assert stale.status_code == 422 and stale.json()["code"] == "stale"
    forwarded = post(byeb, f"{BASE}{filing_id}/forward", {"note": "核对无误"})
    assert forwarded.status_code == 200 and forwarded.json()["status"] == "review"
    assert forwarded.json()["decision_due"] == "2026-11-30"
    accepted = post(
        qingshan,
        f"{BASE}{filing_id}/accept",
        {"division": "BT-QS-MS", "procedure": "simple", "fast_track": True},
    )
    assert accepted.status_code == 200, accepted.json()
    assert re.fullmatch(r"（2026）内0204民初\d+号", accepted.json()["case_number"])
    assert accepted.json()["fast_track"]
    assert all(p["person_id"] or p["enterprise_id"] for p in accepted.json()["parties"])
    assert verbs(filing) == [
        "submitted",
        "supplement_requested",
        "supplement_provided",
        "forwarded",
        "accepted",
    ]
    assert "受理通知" in sms_bodies(filing)[-1]


def test_a_retried_create_with_the_same_key_creates_nothing_new(receptionist: User) -> None:
    client = client_for(receptionist)
    first = post(client, BASE, body(), **{"Idempotency-Key": "retry-1"})
    again = post(client, BASE, body(), **{"Idempotency-Key": "retry-1"})
    assert first.status_code == 201 and again.status_code == 200
    assert again["Idempotent-Replayed"] == "true"
    assert again.json()["number"] == first.json()["number"]
    assert Filing.objects.count() == 1
    other = post(client, BASE, body(cause="买卖合同纠纷"), **{"Idempotency-Key": "retry-1"})
    assert other.status_code == 409 and other.json()["code"] == "idempotency_key_reused"
    assert Filing.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"amount": "-100"}, "amount"),
        ({"amount": "1e20"}, "amount"),
        ({"currency": "USD"}, "currency"),
        ({"materials": []}, "complaint"),
        (
            {
                "materials": [
                    {
                        "kind": "complaint",
                        "file_name": "起诉状.png",
                        "content_base64": base64.b64encode(b"hello, not a png").decode(),
                    }
                ]
            },
            "materials-0-file",
        ),
    ],
)
def test_bad_input_is_a_422_with_its_field_and_writes_nothing(
    receptionist: User, overrides: dict[str, Any], field: str
) -> None:
    response = post(client_for(receptionist), BASE, body(**overrides))
    assert response.status_code == 422
    assert response.json()["code"] == "validation_failed" and field in response.json()["fields"]
    assert not Filing.objects.exists()


def test_refusal_through_the_api(receptionist: User) -> None:
    filing = submit()
    response = post(
        client_for(receptionist),
        f"{BASE}{filing.pk}/refuse",
        {"reason": "原告不具备诉讼主体资格，起诉不符合法定条件"},
    )
    assert response.status_code == 200 and response.json()["status"] == "refused"


# --- negative permissions: every endpoint ---------------------------------------------------


@pytest.fixture
def outsiders(city_officer: User, mediator: User, qingshan_receptionist: User) -> list[User]:
    return [city_officer, mediator, qingshan_receptionist]


def test_outsiders_get_404_on_every_filing_endpoint(
    receptionist: User, outsiders: list[User]
) -> None:
    filing = submit()  # at 白云鄂博 for 白云鄂博: 青山区 has no part in it
    for user in outsiders:
        client = client_for(user)
        assert client.get(f"{BASE}{filing.pk}").status_code == 404
        assert client.get(BASE).json()["items"] == []
        for name, data in (
            ("forward", {}),
            ("supplement", {"items": ["x"]}),
            ("accept", {"division": "BT-BYEB-MS"}),
            ("refuse", {"reason": "理由写得足够长的一段文字"}),
        ):
            response = post(client, f"{BASE}{filing.pk}/{name}", data)
            assert response.status_code == 404, (user, name, response.status_code)
    filing.refresh_from_db()
    assert verbs(filing) == ["submitted"]


def test_who_may_file_and_act_through_the_api(
    judge: User, city_officer: User, mediator: User, receptionist: User
) -> None:
    for user in (judge, city_officer, mediator):
        response = post(client_for(user), BASE, body())
        assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    filing = submit()
    # A judge of the court sees the filing, and decides nothing.
    client = client_for(judge)
    assert client.get(f"{BASE}{filing.pk}").status_code == 200
    response = post(client, f"{BASE}{filing.pk}/accept", {"division": "BT-BYEB-MS"})
    assert response.status_code == 403
    assert not Filing.objects.exclude(status="review").exists()
    assert Client().get(BASE).status_code == 401
