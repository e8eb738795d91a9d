"""Reconciliation of a day's payments with the provider's 交易账单 (CSV): a statement with a line
missing on our side, a line with another amount, and one of our payments it lacks."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from youjie.core.errors import ValidationFailed
from youjie.fees import services
from youjie.fees.models import Reconciliation
from youjie.fees.standin import StandIn
from youjie.fees.tests.conftest import NOTIFY_PATH, issue, make_case, wechat_headers

pytestmark = pytest.mark.django_db


def pay_online(standin: StandIn, client: Client, notice: Any) -> Any:
    order = services.payment_order_create(notice=notice)
    signed = standin.pay(order.out_trade_no)
    response = client.post(
        NOTIFY_PATH,
        data=signed.body,
        content_type="application/json",
        headers=wechat_headers(signed.headers),
    )
    assert response.status_code == 204
    order.refresh_from_db()
    return order


def test_a_statement_with_a_missing_and_a_mismatched_line(
    receptionist: Any, judge: Any, payments: StandIn, frozen: Any, client: Client
) -> None:
    first = pay_online(payments, client, issue(receptionist, make_case(judge=judge, sequence=920)))
    second = pay_online(
        payments, client, issue(receptionist, make_case(judge=judge, sequence=921), amount="1000")
    )
    third = pay_online(
        payments, client, issue(receptionist, make_case(judge=judge, sequence=922), amount="50000")
    )
    statement = payments.statement_csv(date(2026, 11, 23))
    lines = statement.splitlines()
    assert lines[0].startswith("交易时间,公众账号ID,商户号") and len(lines) == 6
    # The provider's file as the tests want it: the second payment at another amount, the third
    # missing, and a payment the court knows nothing of.
    edited = []
    for line in lines:
        if second.out_trade_no in line:
            line = line.replace("`50.00", "`5.00")
        if third.out_trade_no in line:
            continue
        edited.append(line)
    stranger = lines[1].replace(first.out_trade_no, "FEE20261123000000UNKNOWN1")
    edited.insert(1, stranger)
    upload = SimpleUploadedFile("20261123.csv", "\r\n".join(edited).encode("utf-8"), "text/csv")

    client.force_login(receptionist)
    response = client.post(
        "/fees/reconciliations/", {"statement_date": "2026-11-23", "statement": upload}
    )
    assert response.status_code == 302
    reconciliation = Reconciliation.objects.get()
    assert reconciliation.statement_rows == 3 and reconciliation.matched == 1
    differences = {(row["kind"], row["number"]): row for row in reconciliation.differences}
    assert set(differences) == {
        ("missing_ours", "FEE20261123000000UNKNOWN1"),
        ("amount", second.out_trade_no),
        ("missing_theirs", third.out_trade_no),
    }
    assert differences[("amount", second.out_trade_no)]["ours"] == "50.00"
    assert differences[("amount", second.out_trade_no)]["theirs"] == "5.00"
    assert differences[("missing_theirs", third.out_trade_no)]["ours"] == "1050.00"
    page = client.get(response["Location"]).content.decode()
    assert "FEE20261123000000UNKNOWN1" in page and "本院 50.00 元，渠道 5.00 元" in page
    assert first.amount == Decimal("4300.00")


def test_a_file_that_is_not_a_statement_is_refused() -> None:
    with pytest.raises(ValidationFailed) as refused:
        services.statement_parse("name,amount\n张三,100\n")
    assert "不是微信支付交易账单" in refused.value.message
    header = "交易时间,微信订单号,商户订单号,交易状态,订单金额,商户退款单号,退款金额"
    with pytest.raises(ValidationFailed) as bad_amount:
        services.statement_parse(f"{header}\n`2026-11-23 10:00:00,`42,`FEE1,`SUCCESS,`1e9,`0,`0\n")
    assert "第2行的金额" in bad_amount.value.message
