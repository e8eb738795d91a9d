"""The gateway's edges: the SDK internal it sets (fails when an upgrade renames it), the stand-in
refusing a request the merchant did not sign, the SDK refusing a response the platform did not
sign, and the settings check."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from django.core.checks import run_checks

from youjie.fees.gateways import GatewayError, payment_config, payment_gateway
from youjie.fees.gateways.wechatpay import WeChatPayGateway
from youjie.fees.standin import StandIn, StandInKeys


def test_the_sdk_still_keeps_its_gateway_where_the_adapter_sets_it(
    payments: StandIn,
) -> None:
    """wechatpayv3 has no parameter for its address (docs/decisions/0008): ``Core._gate_way``,
    which its own ``download_bill`` reads. If an upgrade renames it, this fails first."""
    from wechatpayv3.core import Core  # type: ignore[import-untyped]

    assert "self._gate_way = 'https://api.mch.weixin.qq.com'" in Path(
        __import__("inspect").getsourcefile(Core) or ""
    ).read_text("utf-8")
    gateway = payment_gateway()
    assert isinstance(gateway, WeChatPayGateway)
    client = gateway._client()
    assert client._core._gate_way == payments.base_url
    created = gateway.create_order(
        out_trade_no="FEETEST0000000001",
        description="诉讼费",
        amount_fen=100,
        expires_at=datetime.now(UTC) + timedelta(minutes=30),
    )
    assert created.code_url.startswith(payments.base_url)


def test_an_unsigned_request_and_an_unsigned_response_are_refused(
    payments: StandIn, settings: Any, standin_keys: tuple[StandInKeys, Path]
) -> None:
    unsigned = requests.get(
        f"{payments.base_url}/v3/pay/transactions/out-trade-no/X?mchid={payments.keys.mchid}",
        timeout=10,
    )
    assert unsigned.status_code == 401 and unsigned.json()["code"] == "SIGN_ERROR"
    # The merchant trusts another platform key: every answer of the stand-in fails to verify.
    other = StandInKeys.generate()
    foreign = standin_keys[1] / "foreign_pub.pem"
    foreign.write_text(other.platform_public_key, "ascii")
    settings.YOUJIE_PAYMENT = {**settings.YOUJIE_PAYMENT, "platform_public_key_path": str(foreign)}
    with pytest.raises(GatewayError) as refused:
        payment_gateway().create_order(
            out_trade_no="FEETEST0000000002",
            description="诉讼费",
            amount_fen=100,
            expires_at=datetime.now(UTC) + timedelta(minutes=30),
        )
    assert "验签失败" in refused.value.message


def test_a_malformed_payment_setting_fails_the_system_check(settings: Any, tmp_path: Path) -> None:
    settings.YOUJIE_PAYMENT = {"provider": "wechatpay", "mchid": "1"}
    errors = [message for message in run_checks() if message.id == "fees.E002"]
    assert len(errors) == 1 and "appid" in errors[0].msg
    settings.YOUJIE_PAYMENT = {"provider": "alipay"}
    assert [m.id for m in run_checks() if (m.id or "").startswith("fees.")] == ["fees.E002"]
    settings.YOUJIE_PAYMENT = {"provider": ""}
    assert not payment_config().enabled
    assert [m.id for m in run_checks() if (m.id or "").startswith("fees.")] == []
