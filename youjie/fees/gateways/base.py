"""The payment gateway protocol: what the fees services ask of a payment provider, and the
answers they get back, independent of the provider (docs/decisions/0008-payment-gateway.md).

Amounts cross this boundary in integer 分 (fen), as every provider counts them; the services
convert from and to ``Decimal`` yuan (``yuan_to_fen`` / ``fen_to_yuan``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol

from youjie.core.errors import ApplicationError

CENT = Decimal("0.01")


def yuan_to_fen(amount: Decimal) -> int:
    """Decimal yuan (at most two places) to integer 分, exactly."""
    fen = amount * 100
    if fen != fen.to_integral_value():
        raise ValueError(f"{amount} is finer than the 分")
    return int(fen)


def fen_to_yuan(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(CENT)


class GatewayError(ApplicationError):
    """The provider could not be reached or refused the call: nothing changed on our side."""

    status_code = 502
    default_code = "payment_gateway_error"


class PaymentUnavailable(ApplicationError):
    """No payment provider is configured: the court takes fees at its counter only."""

    status_code = 409  # the court's state, not an outage: pay at the counter
    default_code = "payment_unavailable"

    def __init__(
        self, message: str = "暂未开通在线缴费，请到人民法院诉讼服务中心窗口缴纳", **kwargs: Any
    ):
        super().__init__(message, **kwargs)


@dataclass(frozen=True)
class CreatedOrder:
    """A Native-pay order: ``code_url`` is what the payer's QR code carries."""

    code_url: str
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class OrderState:
    """The provider's view of an order (``trade_state``: SUCCESS, NOTPAY, CLOSED, REFUND, …)."""

    out_trade_no: str
    trade_state: str
    transaction_id: str = ""
    amount_fen: int | None = None
    success_time: str = ""
    raw: dict[str, Any] = field(default_factory=dict)

    @property
    def paid(self) -> bool:
        # REFUND: paid, then (partly) refunded; the payment itself stands.
        return self.trade_state in {"SUCCESS", "REFUND"}


@dataclass(frozen=True)
class RefundState:
    """A refund at the provider (``status``: SUCCESS, PROCESSING, CLOSED, ABNORMAL)."""

    out_refund_no: str
    status: str
    refund_id: str = ""
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class VerifiedNotification:
    """A notification whose signature verified and whose resource decrypted."""

    notification_id: str
    event_type: str
    resource: dict[str, Any]
    signature_serial: str = ""
    signed_at: str = ""

    @property
    def is_refund(self) -> bool:
        return self.event_type.startswith("REFUND.")

    @property
    def out_trade_no(self) -> str:
        return str(self.resource.get("out_trade_no") or "")

    @property
    def transaction_id(self) -> str:
        return str(self.resource.get("transaction_id") or "")

    @property
    def amount_fen(self) -> int | None:
        amount = self.resource.get("amount")
        if not isinstance(amount, dict):
            return None
        total = amount.get("total")
        return total if isinstance(total, int) and not isinstance(total, bool) else None


class NotificationRefused(Exception):
    """A notification that cannot be believed (bad signature, stale, unreadable): ``outcome``
    is a NotificationOutcome value, ``reason`` says why (kept on its PaymentNotification)."""

    def __init__(self, outcome: str, reason: str, *, notification_id: str = "", serial: str = ""):
        super().__init__(reason)
        self.outcome = outcome
        self.reason = reason
        self.notification_id = notification_id
        self.serial = serial


@dataclass(frozen=True)
class ProviderResponse:
    """What the notify endpoint answers, in the provider's expected form."""

    status: int
    body: str
    content_type: str = "application/json"


class PaymentGateway(Protocol):
    """One payment provider. Every method raises ``GatewayError`` when the provider cannot be
    reached or refuses; ``parse_notification`` raises ``NotificationRefused``."""

    provider: str
    mchid: str
    appid: str

    def create_order(
        self, *, out_trade_no: str, description: str, amount_fen: int, expires_at: datetime
    ) -> CreatedOrder: ...

    def query_order(self, *, out_trade_no: str) -> OrderState: ...

    def close_order(self, *, out_trade_no: str) -> None: ...

    def refund(
        self, *, out_trade_no: str, out_refund_no: str, refund_fen: int, total_fen: int, reason: str
    ) -> RefundState: ...

    def query_refund(self, *, out_refund_no: str) -> RefundState: ...

    def parse_notification(
        self, *, headers: Mapping[str, str], body: bytes, now: datetime
    ) -> VerifiedNotification: ...

    def accepted_response(self) -> ProviderResponse: ...

    def refused_response(self, message: str, *, status: int = 400) -> ProviderResponse: ...
