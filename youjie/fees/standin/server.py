"""A local stand-in of WeChat Pay API v3 on loopback, for the tests and the demo.

It serves the endpoints the gateway uses and signs exactly as WeChat Pay does:

- it checks the merchant's ``Authorization: WECHATPAY2-SHA256-RSA2048 mchid=…,nonce_str=…,
  signature=…,timestamp=…,serial_no=…`` (RSA-SHA256 over
  ``method\\npath\\ntimestamp\\nnonce\\nbody\\n`` with the merchant's key) and refuses a request
  that fails it (401 SIGN_ERROR);
- it signs each response with the platform key: ``Wechatpay-Signature`` over
  ``timestamp\\nnonce\\nbody\\n``, with ``Wechatpay-Timestamp``, ``-Nonce``, ``-Serial`` (the public
  key's id) and ``-Signature-Type``;
- after a simulated scan-and-pay it POSTs the asynchronous notification to the order's
  ``notify_url``: the transaction encrypted with AEAD_AES_256_GCM under the APIv3 key
  (``associated_data`` "transaction", a 12-character nonce), the whole body signed as above.

Endpoints: ``POST /v3/pay/transactions/native``, ``GET /v3/pay/transactions/out-trade-no/{no}``,
``POST /v3/pay/transactions/out-trade-no/{no}/close``, ``POST /v3/refund/domestic/refunds``,
``GET /v3/refund/domestic/refunds/{no}``; and the page a payer's QR code leads to, "模拟支付"
(``GET``/``POST /pay/{prepay id}``), so that a browser can pay in the demo. ``statement_csv``
writes the day's 交易账单 in WeChat Pay's CSV format. Tests drive it directly too: ``pay()``
builds the signed notification of a payment, ``deliver()`` posts it, and
``build_notification()`` makes forged or altered ones.
"""

from __future__ import annotations

import base64
import json
import re
import secrets
import string
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from youjie.fees.standin.keys import StandInKeys
from youjie.fees.standin.records import (
    Delivery,
    Notification,
    Order,
    RefundRecord,
    _nonce,
    _now,
    _stamp,
    _yuan,
)
from youjie.fees.standin.statement import statement_csv

SIGNATURE_TYPE = "WECHATPAY2-SHA256-RSA2048"
_AUTH = re.compile(r'(\w+)="([^"]*)"')
BODY_MAX = 64 * 1024
BILL_HEADER = (
    "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,"
    "付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,"
    "退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注"
)
BILL_TOTALS = (
    "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额"
)


@dataclass
class _State:
    orders: dict[str, Order] = field(default_factory=dict)
    by_prepay: dict[str, str] = field(default_factory=dict)
    refunds: dict[str, RefundRecord] = field(default_factory=dict)
    deliveries: list[Delivery] = field(default_factory=list)
    requests: list[tuple[str, str, int]] = field(default_factory=list)  # method, path, status


class StandIn:
    """The stand-in: ``start()`` serves it in a thread on ``host:port`` (port 0: any free one),
    ``stop()`` shuts it down; ``base_url`` is its address."""

    def __init__(self, keys: StandInKeys, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self.keys = keys
        self.state = _State()
        self.lock = threading.Lock()
        self._merchant_key = serialization.load_pem_public_key(keys.merchant_public_key.encode())
        platform = serialization.load_pem_private_key(keys.platform_private_key.encode(), None)
        assert isinstance(platform, rsa.RSAPrivateKey)
        self._platform_key = platform
        self.server = ThreadingHTTPServer((host, port), _handler_for(self))
        self.server.daemon_threads = True
        self._thread: threading.Thread | None = None
        # What a refund request is answered: SUCCESS at once, or PROCESSING (then a query or the
        # refund notification says how it ended).
        self.refund_answer = "SUCCESS"

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        name = host.decode() if isinstance(host, bytes) else str(host)
        return f"http://{name}:{port}"

    def start(self) -> StandIn:
        self._thread = threading.Thread(
            target=self.server.serve_forever, name="wechatpay-standin", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    # --- signing, as the platform ------------------------------------------------------------

    def sign(
        self, body: str, *, key: rsa.RSAPrivateKey | None = None, timestamp: int | None = None
    ) -> dict[str, str]:
        """The Wechatpay-* headers of a response or notification carrying ``body``."""
        stamp = str(timestamp if timestamp is not None else int(time.time()))
        nonce = _nonce()
        message = f"{stamp}\n{nonce}\n{body}\n".encode()
        signature = (key or self._platform_key).sign(message, padding.PKCS1v15(), hashes.SHA256())
        return {
            "Wechatpay-Timestamp": stamp,
            "Wechatpay-Nonce": nonce,
            "Wechatpay-Signature": base64.b64encode(signature).decode("ascii"),
            "Wechatpay-Serial": self.keys.platform_public_key_id,
            "Wechatpay-Signature-Type": SIGNATURE_TYPE,
        }

    def verify_merchant(self, method: str, path: str, body: str, authorization: str) -> str:
        """'' when the merchant signed this request, else why not."""
        scheme, _, rest = authorization.partition(" ")
        if scheme != SIGNATURE_TYPE:
            return "签名类型错误"
        params = dict(_AUTH.findall(rest))
        if params.get("mchid") != self.keys.mchid:
            return "商户号不符"
        if params.get("serial_no") != self.keys.merchant_serial_no:
            return "商户证书序列号不符"
        stamp, nonce = params.get("timestamp", ""), params.get("nonce_str", "")
        if not stamp.isdigit() or abs(time.time() - int(stamp)) > 300:
            return "时间戳过期"
        message = f"{method}\n{path}\n{stamp}\n{nonce}\n{body}\n".encode()
        try:
            signature = base64.b64decode(params.get("signature", ""), validate=True)
            assert isinstance(self._merchant_key, rsa.RSAPublicKey)
            self._merchant_key.verify(signature, message, padding.PKCS1v15(), hashes.SHA256())
        except (InvalidSignature, ValueError):
            return "签名错误"
        return ""

    # --- the payer's side -------------------------------------------------------------------

    def order(self, out_trade_no: str) -> Order:
        with self.lock:
            return self.state.orders[out_trade_no]

    def orders(self) -> Iterator[Order]:
        with self.lock:
            return iter(list(self.state.orders.values()))

    def deliveries(self) -> list[Delivery]:
        with self.lock:
            return list(self.state.deliveries)

    def pay(self, out_trade_no: str, *, at: datetime | None = None) -> Notification:
        """The payer scans and pays: the order succeeds and its notification is built (not yet
        sent: ``deliver`` sends it)."""
        with self.lock:
            order = self.state.orders[out_trade_no]
            if order.trade_state == "NOTPAY":
                order.trade_state = "SUCCESS"
                order.transaction_id = "4200" + "".join(
                    secrets.choice(string.digits) for _ in range(24)
                )
                order.success_time = _stamp(at or _now())
        return self.build_notification(out_trade_no)

    def build_notification(
        self,
        out_trade_no: str,
        *,
        notification_id: str | None = None,
        amount_fen: int | None = None,
        transaction_id: str | None = None,
        mchid: str | None = None,
        sign_with: rsa.RSAPrivateKey | None = None,
        timestamp: int | None = None,
        apiv3_key: str | None = None,
    ) -> Notification:
        """The TRANSACTION.SUCCESS notification of a paid order, as WeChat Pay sends it; the
        keyword arguments alter it (another amount, a foreign signing key …) for the tests."""
        with self.lock:
            resource = self.state.orders[out_trade_no].as_query()
        if amount_fen is not None:
            resource["amount"] = {**resource.get("amount", {}), "total": amount_fen}
            resource["amount"]["payer_total"] = amount_fen
        if transaction_id is not None:
            resource["transaction_id"] = transaction_id
        if mchid is not None:
            resource["mchid"] = mchid
        return self._signed(
            resource,
            event_type="TRANSACTION.SUCCESS",
            original_type="transaction",
            notification_id=notification_id,
            sign_with=sign_with,
            timestamp=timestamp,
            apiv3_key=apiv3_key,
        )

    def _signed(
        self,
        resource: dict[str, Any],
        *,
        event_type: str,
        original_type: str,
        notification_id: str | None = None,
        sign_with: rsa.RSAPrivateKey | None = None,
        timestamp: int | None = None,
        apiv3_key: str | None = None,
    ) -> Notification:
        """``resource`` encrypted (AEAD_AES_256_GCM under the APIv3 key, its original type as
        the associated data) in a notification body signed with the platform key."""
        nonce = _nonce(12)
        cipher = AESGCM((apiv3_key or self.keys.apiv3_key).encode()).encrypt(
            nonce.encode(),
            json.dumps(resource, ensure_ascii=False).encode(),
            original_type.encode(),
        )
        identifier = notification_id or f"EV-{_now():%Y%m%d%H%M%S}{_nonce(8)}"
        body = json.dumps(
            {
                "id": identifier,
                "create_time": _stamp(_now()),
                "resource_type": "encrypt-resource",
                "event_type": event_type,
                "summary": "支付成功" if original_type == "transaction" else "退款状态变更",
                "resource": {
                    "original_type": original_type,
                    "algorithm": "AEAD_AES_256_GCM",
                    "ciphertext": base64.b64encode(cipher).decode("ascii"),
                    "associated_data": original_type,
                    "nonce": nonce,
                },
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )
        headers = {
            "Content-Type": "application/json",
            **self.sign(body, key=sign_with, timestamp=timestamp),
        }
        return Notification(headers=headers, body=body.encode(), notification_id=identifier)

    def build_refund_notification(
        self, out_refund_no: str, *, status: str = "SUCCESS"
    ) -> Notification:
        """The REFUND.SUCCESS (or .ABNORMAL, .CLOSED) notification of a refund."""
        with self.lock:
            record = self.state.refunds[out_refund_no]
            record.refund_status = status
            resource = {
                "mchid": self.keys.mchid,
                "out_trade_no": record.out_trade_no,
                "transaction_id": record.transaction_id,
                "out_refund_no": record.out_refund_no,
                "refund_id": record.refund_id,
                "refund_status": status,
                "success_time": _stamp(record.created_at),
                "user_received_account": "支付用户零钱",
                "amount": {"total": record.total, "refund": record.refund,
                           "payer_total": record.total, "payer_refund": record.refund},
            }  # fmt: skip
        return self._signed(resource, event_type=f"REFUND.{status}", original_type="refund")

    def deliver(self, notification: Notification, *, url: str | None = None) -> Delivery:
        """POST ``notification`` to ``url`` (by default the order's notify_url)."""
        if url is None:
            out_trade_no = self._out_trade_no_of(notification)
            url = self.order(out_trade_no).notify_url
        response = requests.post(
            url, data=notification.body, headers=notification.headers, timeout=30
        )
        delivery = Delivery(url=url, status=response.status_code, body=response.text)
        with self.lock:
            self.state.deliveries.append(delivery)
        return delivery

    def _out_trade_no_of(self, notification: Notification) -> str:
        resource = notification.json()["resource"]
        plain = AESGCM(self.keys.apiv3_key.encode()).decrypt(
            resource["nonce"].encode(),
            base64.b64decode(resource["ciphertext"]),
            resource["associated_data"].encode(),
        )
        return str(json.loads(plain)["out_trade_no"])

    # --- the daily statement ----------------------------------------------------------------

    def statement_csv(self, day: date) -> str:
        """The 交易账单 (bill_type ALL) of ``day`` in WeChat Pay's CSV (``statement.py``)."""
        with self.lock:
            orders = list(self.state.orders.values())
            refunds = list(self.state.refunds.values())
        return statement_csv(orders=orders, refunds=refunds, day=day)

    # --- the API, as the handler calls it ---------------------------------------------------

    def api_create(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        amount = body.get("amount")
        total = amount.get("total") if isinstance(amount, dict) else None
        out_trade_no = str(body.get("out_trade_no") or "")
        if body.get("mchid") != self.keys.mchid or body.get("appid") != self.keys.appid:
            return 400, {"code": "MCH_NOT_EXISTS", "message": "商户号或appid不正确"}
        if not isinstance(total, int) or isinstance(total, bool) or total <= 0:
            return 400, {"code": "PARAM_ERROR", "message": "amount.total 应为正整数"}
        if not 6 <= len(out_trade_no) <= 32 or not body.get("notify_url"):
            return 400, {"code": "PARAM_ERROR", "message": "out_trade_no 或 notify_url 无效"}
        with self.lock:
            existing = self.state.orders.get(out_trade_no)
            if existing is not None:
                if existing.total != total:
                    return 400, {"code": "INVALID_REQUEST", "message": "201 商户订单号重复"}
                prepay_id = existing.prepay_id
            else:
                prepay_id = "wx" + secrets.token_hex(16)
                self.state.orders[out_trade_no] = Order(
                    out_trade_no=out_trade_no,
                    description=str(body.get("description") or "")[:127],
                    total=total,
                    notify_url=str(body["notify_url"]),
                    appid=self.keys.appid,
                    mchid=self.keys.mchid,
                    time_expire=str(body.get("time_expire") or ""),
                    prepay_id=prepay_id,
                    created_at=_now(),
                )
                self.state.by_prepay[prepay_id] = out_trade_no
        return 200, {"code_url": f"{self.base_url}/pay/{prepay_id}"}

    def api_query(self, out_trade_no: str, mchid: str) -> tuple[int, dict[str, Any]]:
        if mchid != self.keys.mchid:
            return 400, {"code": "PARAM_ERROR", "message": "mchid 不正确"}
        with self.lock:
            order = self.state.orders.get(out_trade_no)
            if order is None:
                return 404, {"code": "ORDER_NOT_EXIST", "message": "订单不存在"}
            return 200, order.as_query()

    def api_close(self, out_trade_no: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if body.get("mchid") != self.keys.mchid:
            return 400, {"code": "PARAM_ERROR", "message": "mchid 不正确"}
        with self.lock:
            order = self.state.orders.get(out_trade_no)
            if order is None:
                return 404, {"code": "ORDER_NOT_EXIST", "message": "订单不存在"}
            if order.trade_state in {"SUCCESS", "REFUND"}:
                return 400, {"code": "ORDER_PAID", "message": "订单已支付"}
            order.trade_state = "CLOSED"
        return 204, {}

    def api_refund(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        amount = body.get("amount")
        refund = amount.get("refund") if isinstance(amount, dict) else None
        total = amount.get("total") if isinstance(amount, dict) else None
        out_refund_no = str(body.get("out_refund_no") or "")
        with self.lock:
            order = self.state.orders.get(str(body.get("out_trade_no") or ""))
            if order is None:
                return 404, {"code": "RESOURCE_NOT_EXISTS", "message": "订单不存在"}
            if order.trade_state not in {"SUCCESS", "REFUND"}:
                return 400, {"code": "INVALID_REQUEST", "message": "订单未支付"}
            if existing := self.state.refunds.get(out_refund_no):
                return 200, existing.as_json()
            if total != order.total:
                return 400, {"code": "PARAM_ERROR", "message": "订单金额不符"}
            if not isinstance(refund, int) or refund <= 0 or order.refunded + refund > order.total:
                return 400, {"code": "NOT_ENOUGH", "message": "退款金额超过可退金额"}
            order.refunded += refund
            order.trade_state = "REFUND"
            record = RefundRecord(
                out_refund_no=out_refund_no,
                refund_id="50" + "".join(secrets.choice(string.digits) for _ in range(26)),
                out_trade_no=order.out_trade_no,
                transaction_id=order.transaction_id,
                refund=refund,
                total=order.total,
                reason=str(body.get("reason") or ""),
                created_at=_now(),
                refund_status=self.refund_answer,
            )
            self.state.refunds[out_refund_no] = record
        return 200, record.as_json()

    def api_query_refund(self, out_refund_no: str) -> tuple[int, dict[str, Any]]:
        with self.lock:
            record = self.state.refunds.get(out_refund_no)
        if record is None:
            return 404, {"code": "RESOURCE_NOT_EXISTS", "message": "退款单不存在"}
        return 200, record.as_json()

    def page_pay(self, prepay_id: str, *, confirm: bool) -> tuple[int, str]:
        """The "模拟支付" page (what the payer's phone would show after scanning)."""
        with self.lock:
            out_trade_no = self.state.by_prepay.get(prepay_id)
            order = self.state.orders.get(out_trade_no or "")
        if order is None:
            return 404, _page("订单不存在", "<p>该支付二维码无效。</p>")
        amount = escape(_yuan(order.total))
        summary = (
            f"<p class='what'>{escape(order.description)}</p>"
            f"<p class='amount'>￥{amount}</p>"
            f"<p class='muted'>商户订单号 {escape(order.out_trade_no)}</p>"
        )
        if order.trade_state == "CLOSED":
            return 200, _page(
                "订单已关闭", summary + "<p>该订单已关闭，请返回缴费页面重新生成二维码。</p>"
            )
        if not confirm:
            if order.trade_state != "NOTPAY":
                return 200, _page("已支付", summary + "<p>该订单已支付。</p>")
            form = (
                f"<form method='post' action='/pay/{escape(prepay_id)}'>"
                '<button type="submit" id="confirm-pay">确认支付</button></form>'
            )
            return 200, _page("模拟支付", summary + form)
        notification = self.pay(order.out_trade_no)
        try:
            delivery = self.deliver(notification)
        except requests.RequestException as exc:
            return 200, _page(
                "支付成功", summary + f"<p>支付成功，但通知商户失败：{escape(str(exc))}</p>"
            )
        told = (
            "商户已确认收款"
            if delivery.status in (200, 204)
            else f"商户应答 HTTP {delivery.status}"
        )
        return 200, _page(
            "支付成功", summary + f'<p id="paid">支付成功（{told}）。请返回缴费页面查看结果。</p>'
        )


def _page(title: str, content: str) -> str:
    return (
        "<!DOCTYPE html><html lang='zh-Hans'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{escape(title)} · 微信支付（本地模拟）</title><style>"
        "body{font-family:sans-serif;margin:0;padding:1.5rem;background:#f2f2f2;color:#222}"
        "main{max-width:26rem;margin:auto;background:#fff;border-radius:8px;padding:1.5rem}"
        ".amount{font-size:2rem;font-weight:bold}.muted{color:#777;font-size:.85rem}"
        "button{width:100%;padding:.9rem;font-size:1.1rem;background:#07c160;color:#fff;border:0;"
        "border-radius:6px}</style></head><body><main>"
        f"<p class='muted'>本页为本地模拟的微信支付，仅用于测试和演示</p><h1>{escape(title)}</h1>"
        f"{content}</main></body></html>"
    )


def _handler_for(standin: StandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "wechatpay-standin/1"
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            return

        def _body(self) -> str | None:
            length = self.headers.get("Content-Length") or "0"
            if not length.isdigit() or int(length) > BODY_MAX:
                return None
            return self.rfile.read(int(length)).decode("utf-8", "replace")

        def _json(self, status: int, data: dict[str, Any]) -> None:
            body = "" if status == 204 else json.dumps(data, ensure_ascii=False)
            encoded = body.encode()
            self.send_response(status)
            if status != 204:
                self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(encoded)))
            self.send_header("Request-ID", _nonce(16))
            for name, value in standin.sign(body).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(encoded)
            with standin.lock:
                standin.state.requests.append((self.command, self.path, status))

        def _html(self, status: int, html: str) -> None:
            encoded = html.encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(encoded)))
            self.end_headers()
            self.wfile.write(encoded)

        def _api(self, method: str) -> None:
            body = self._body()
            if body is None:
                self._json(400, {"code": "PARAM_ERROR", "message": "请求体过大"})
                return
            problem = standin.verify_merchant(
                method, self.path, body, self.headers.get("Authorization") or ""
            )
            if problem:
                self._json(401, {"code": "SIGN_ERROR", "message": problem})
                return
            try:
                data = json.loads(body) if body else {}
            except ValueError:
                data = None
            if not isinstance(data, dict):
                self._json(400, {"code": "PARAM_ERROR", "message": "请求体不是 JSON 对象"})
                return
            self._json(*self._route(method, data))

        def _route(self, method: str, data: dict[str, Any]) -> tuple[int, dict[str, Any]]:
            parts = urlsplit(self.path)
            query = {key: values[0] for key, values in parse_qs(parts.query).items()}
            path = parts.path
            prefix = "/v3/pay/transactions/out-trade-no/"
            if method == "POST" and path == "/v3/pay/transactions/native":
                return standin.api_create(data)
            if method == "GET" and path.startswith(prefix) and "/" not in path[len(prefix) :]:
                return standin.api_query(path[len(prefix) :], query.get("mchid", ""))
            if method == "POST" and path.startswith(prefix) and path.endswith("/close"):
                return standin.api_close(path[len(prefix) : -len("/close")], data)
            if method == "POST" and path == "/v3/refund/domestic/refunds":
                return standin.api_refund(data)
            refunds = "/v3/refund/domestic/refunds/"
            if method == "GET" and path.startswith(refunds):
                return standin.api_query_refund(path[len(refunds) :])
            return 404, {"code": "NOT_FOUND", "message": "接口不存在"}

        def do_GET(self) -> None:
            if self.path.startswith("/pay/"):
                self._html(*standin.page_pay(self.path[len("/pay/") :], confirm=False))
            else:
                self._api("GET")

        def do_POST(self) -> None:
            if self.path.startswith("/pay/"):
                self._body()
                self._html(*standin.page_pay(self.path[len("/pay/") :], confirm=True))
            else:
                self._api("POST")

    return Handler
