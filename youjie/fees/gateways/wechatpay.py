"""WeChat Pay API v3 (微信支付), Native pay, through its maintained SDK ``wechatpayv3``.

The SDK signs every request (WECHATPAY2-SHA256-RSA2048 over method, path, timestamp, nonce and
body with the merchant's key), verifies every response's ``Wechatpay-Signature`` with the
platform public key, and verifies and decrypts notifications (``callback``: RSA-SHA256 over
timestamp, nonce and body; the resource in AEAD_AES_256_GCM under the APIv3 key). This module
adds what the SDK leaves to its caller: the checks before a notification is believed (the
signing key's id, the timestamp's age), the translation of answers into the gateway protocol,
and errors in Chinese.

The SDK has no parameter for its gateway's address: it is ``Core._gate_way``, which its own
``download_bill`` reads as *the* base URL. ``_point_at`` sets it, here only and only when the
configured base URL is not WeChat Pay's own (the local stand-in in tests and the demo); a test
(youjie/fees/tests/test_gateway.py) fails if an SDK upgrade renames it. Why not another SDK:
docs/decisions/0008-payment-gateway.md.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from wechatpayv3 import WeChatPay, WeChatPayType  # type: ignore[import-untyped]

from youjie.fees.choices import NotificationOutcome, PaymentProvider
from youjie.fees.gateways.base import (
    CreatedOrder,
    GatewayError,
    NotificationRefused,
    OrderState,
    ProviderResponse,
    RefundState,
    VerifiedNotification,
)
from youjie.fees.gateways.config import DEFAULT_BASE_URL, PaymentConfig

SIGNATURE_TYPE = "WECHATPAY2-SHA256-RSA2048"
HEADER_NAMES = ("Wechatpay-Signature", "Wechatpay-Timestamp", "Wechatpay-Nonce", "Wechatpay-Serial")
DESCRIPTION_MAX = 127  # bytes? characters: the API allows 127 characters


def _point_at(client: Any, base_url: str) -> None:
    """Send the SDK's calls to ``base_url`` (see the module's docstring)."""
    core = client._core
    if not hasattr(core, "_gate_way"):
        raise GatewayError("支付组件版本不兼容：无法设置支付网关地址", code="payment_sdk_changed")
    core._gate_way = base_url


def _loads(message: Any) -> dict[str, Any]:
    if isinstance(message, bytes):
        message = message.decode("utf-8", "replace")
    if not message:
        return {}
    try:
        data = json.loads(message)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


class WeChatPayGateway:
    provider = PaymentProvider.WECHATPAY.value

    def __init__(self, config: PaymentConfig) -> None:
        self.config = config
        self.mchid = config.mchid
        self.appid = config.appid

    # --- calls ------------------------------------------------------------------------------

    def _client(self) -> Any:
        config = self.config
        try:
            client = WeChatPay(
                wechatpay_type=WeChatPayType.NATIVE,
                mchid=config.mchid,
                private_key=config.private_key(),
                cert_serial_no=config.cert_serial_no,
                appid=config.appid,
                apiv3_key=config.apiv3_key,
                notify_url=config.notify_url,
                timeout=(5, config.timeout),
                public_key=config.platform_public_key(),
                public_key_id=config.platform_public_key_id,
            )
        except Exception as exc:
            raise GatewayError(f"支付配置无法加载：{exc}", code="payment_config") from exc
        if config.base_url != DEFAULT_BASE_URL:
            _point_at(client, config.base_url)
        return client

    def _call(self, what: str, call: Any, *args: Any, **kwargs: Any) -> tuple[int, dict[str, Any]]:
        try:
            code, message = call(*args, **kwargs)
        except Exception as exc:
            # The SDK raises bare Exceptions: "failed to verify the signature" for a response
            # that is not the provider's, requests' errors when it cannot be reached.
            raise GatewayError(f"{what}失败：支付渠道无法访问或应答验签失败（{exc}）") from exc
        data = _loads(message)
        if not 200 <= int(code) < 300:
            detail = data.get("message") or data.get("code") or f"HTTP {code}"
            raise GatewayError(
                f"{what}失败：{detail}",
                extra={"provider_code": str(data.get("code", "")), "http_status": int(code)},
            )
        return int(code), data

    def create_order(
        self, *, out_trade_no: str, description: str, amount_fen: int, expires_at: datetime
    ) -> CreatedOrder:
        client = self._client()
        _code, data = self._call(
            "下单",
            client.pay,
            description=description[:DESCRIPTION_MAX],
            out_trade_no=out_trade_no,
            amount={"total": amount_fen, "currency": "CNY"},
            time_expire=expires_at.isoformat(timespec="seconds"),
            pay_type=WeChatPayType.NATIVE,
        )
        code_url = str(data.get("code_url") or "")
        if not code_url:
            raise GatewayError("下单失败：支付渠道未返回支付二维码链接")
        return CreatedOrder(code_url=code_url, raw=data)

    def query_order(self, *, out_trade_no: str) -> OrderState:
        _code, data = self._call("查询订单", self._client().query, out_trade_no=out_trade_no)
        amount = data.get("amount") if isinstance(data.get("amount"), dict) else {}
        total = amount.get("total") if isinstance(amount, dict) else None
        return OrderState(
            out_trade_no=str(data.get("out_trade_no") or out_trade_no),
            trade_state=str(data.get("trade_state") or ""),
            transaction_id=str(data.get("transaction_id") or ""),
            amount_fen=total if isinstance(total, int) and not isinstance(total, bool) else None,
            success_time=str(data.get("success_time") or ""),
            raw=data,
        )

    def close_order(self, *, out_trade_no: str) -> None:
        self._call("关闭订单", self._client().close, out_trade_no=out_trade_no)

    def refund(
        self, *, out_trade_no: str, out_refund_no: str, refund_fen: int, total_fen: int, reason: str
    ) -> RefundState:
        _code, data = self._call(
            "申请退款",
            self._client().refund,
            out_refund_no=out_refund_no,
            amount={"refund": refund_fen, "total": total_fen, "currency": "CNY"},
            out_trade_no=out_trade_no,
            reason=reason[:80],
        )
        return self._refund_state(out_refund_no, data)

    def query_refund(self, *, out_refund_no: str) -> RefundState:
        _code, data = self._call(
            "查询退款", self._client().query_refund, out_refund_no=out_refund_no
        )
        return self._refund_state(out_refund_no, data)

    @staticmethod
    def _refund_state(out_refund_no: str, data: dict[str, Any]) -> RefundState:
        return RefundState(
            out_refund_no=str(data.get("out_refund_no") or out_refund_no),
            status=str(data.get("status") or ""),
            refund_id=str(data.get("refund_id") or ""),
            raw=data,
        )

    # --- notifications ----------------------------------------------------------------------

    def parse_notification(
        self, *, headers: Mapping[str, str], body: bytes, now: datetime
    ) -> VerifiedNotification:
        """Verify and decrypt a notification, or raise NotificationRefused.

        Before the SDK sees it: every Wechatpay-* header present, signed with the configured
        platform key (the SDK would go and download certificates for an unknown serial — a
        request to WeChat Pay for every forged call), and a timestamp within
        ``notification_max_age`` seconds (a replay of an old, genuinely signed body)."""
        values = {name: str(headers.get(name) or "") for name in HEADER_NAMES}
        serial = values["Wechatpay-Serial"][:100]
        if not all(values.values()):
            raise NotificationRefused(NotificationOutcome.BAD_SIGNATURE, "缺少微信支付签名头")
        if str(headers.get("Wechatpay-Signature-Type") or SIGNATURE_TYPE) != SIGNATURE_TYPE:
            raise NotificationRefused(
                NotificationOutcome.BAD_SIGNATURE, "签名算法不受支持", serial=serial
            )
        if serial != self.config.platform_public_key_id:
            raise NotificationRefused(
                NotificationOutcome.BAD_SIGNATURE, "签名公钥编号与配置不符", serial=serial
            )
        timestamp = values["Wechatpay-Timestamp"]
        if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 12):
            raise NotificationRefused(NotificationOutcome.BAD_SIGNATURE, "签名时间戳无效")
        if abs(now.timestamp() - int(timestamp)) > self.config.notification_max_age:
            raise NotificationRefused(
                NotificationOutcome.STALE,
                f"签名时间戳与当前时间相差超过{self.config.notification_max_age}秒",
                serial=serial,
            )
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise NotificationRefused(NotificationOutcome.MALFORMED, "报文不是 UTF-8") from exc
        request_headers = {**values, "Wechatpay-Signature-Type": SIGNATURE_TYPE}
        try:
            result = self._client().callback(request_headers, text)
        except GatewayError:
            raise
        except Exception as exc:
            raise NotificationRefused(
                NotificationOutcome.MALFORMED, "报文无法解析", serial=serial
            ) from exc
        if not result:
            raise NotificationRefused(
                NotificationOutcome.BAD_SIGNATURE, "签名验证失败或报文无法解密", serial=serial
            )
        resource = result.get("resource")
        if not isinstance(resource, dict):
            raise NotificationRefused(NotificationOutcome.MALFORMED, "通知缺少支付结果")
        return VerifiedNotification(
            notification_id=str(result.get("id") or "")[:64],
            event_type=str(result.get("event_type") or "")[:64],
            resource=resource,
            signature_serial=serial,
            signed_at=timestamp,
        )

    def accepted_response(self) -> ProviderResponse:
        # 接收成功：HTTP应答状态码需返回200或204，无需返回应答报文。
        return ProviderResponse(status=204, body="")

    def refused_response(self, message: str, *, status: int = 400) -> ProviderResponse:
        # 接收失败：HTTP应答状态码需返回5XX或4XX，同时需返回应答报文 {"code": "FAIL", …}.
        body = json.dumps({"code": "FAIL", "message": message}, ensure_ascii=False)
        return ProviderResponse(status=status, body=body)
