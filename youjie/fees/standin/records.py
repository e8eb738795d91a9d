"""What the stand-in keeps and sends: its orders and refunds (as WeChat Pay answers for them),
a notification as it goes over the wire, and a delivery's outcome."""

from __future__ import annotations

import json
import secrets
import string
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _now() -> datetime:
    return datetime.now(SHANGHAI)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(SHANGHAI).isoformat(timespec="seconds")


def _nonce(length: int = 32) -> str:
    alphabet = string.ascii_uppercase + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(length))


def _yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


@dataclass
class Order:
    out_trade_no: str
    description: str
    total: int
    notify_url: str
    appid: str
    mchid: str
    time_expire: str
    prepay_id: str
    created_at: datetime
    trade_state: str = "NOTPAY"
    transaction_id: str = ""
    success_time: str = ""
    refunded: int = 0

    def as_query(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "appid": self.appid,
            "mchid": self.mchid,
            "out_trade_no": self.out_trade_no,
            "trade_state": self.trade_state,
            "trade_state_desc": {
                "SUCCESS": "支付成功",
                "NOTPAY": "未支付",
                "CLOSED": "已关闭",
                "REFUND": "转入退款",
            }.get(self.trade_state, ""),
            "attach": "",
        }
        if self.trade_state in {"SUCCESS", "REFUND"}:
            data.update(
                {
                    "transaction_id": self.transaction_id,
                    "trade_type": "NATIVE",
                    "bank_type": "OTHERS",
                    "success_time": self.success_time,
                    "payer": {"openid": "o" + self.transaction_id[-27:]},
                    "amount": {
                        "total": self.total,
                        "payer_total": self.total,
                        "currency": "CNY",
                        "payer_currency": "CNY",
                    },
                }
            )
        return data


@dataclass
class RefundRecord:
    out_refund_no: str
    refund_id: str
    out_trade_no: str
    transaction_id: str
    refund: int
    total: int
    reason: str
    created_at: datetime
    refund_status: str = "SUCCESS"

    def as_json(self) -> dict[str, Any]:
        return {
            "refund_id": self.refund_id,
            "out_refund_no": self.out_refund_no,
            "transaction_id": self.transaction_id,
            "out_trade_no": self.out_trade_no,
            "channel": "ORIGINAL",
            "user_received_account": "支付用户零钱",
            "success_time": _stamp(self.created_at),
            "create_time": _stamp(self.created_at),
            "status": self.refund_status,
            "funds_account": "AVAILABLE",
            "amount": {
                "total": self.total,
                "refund": self.refund,
                "payer_total": self.total,
                "payer_refund": self.refund,
                "settlement_refund": self.refund,
                "settlement_total": self.total,
                "discount_refund": 0,
                "currency": "CNY",
            },
        }


@dataclass(frozen=True)
class Notification:
    """A notification as it goes over the wire: its headers and body."""

    headers: dict[str, str]
    body: bytes
    notification_id: str

    def json(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.body)
        return data


@dataclass
class Delivery:
    url: str
    status: int
    body: str
