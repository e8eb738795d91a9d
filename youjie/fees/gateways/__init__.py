"""Payment gateways: the protocol (``base``), the settings (``config``) and the providers.

``payment_gateway()`` returns the configured provider's gateway, read at call time, or raises
``PaymentUnavailable`` when none is configured (the pay page then sends payers to the counter).
"""

from __future__ import annotations

from youjie.fees.choices import PaymentProvider
from youjie.fees.gateways.base import (
    CreatedOrder,
    GatewayError,
    NotificationRefused,
    OrderState,
    PaymentGateway,
    PaymentUnavailable,
    ProviderResponse,
    RefundState,
    VerifiedNotification,
    fen_to_yuan,
    yuan_to_fen,
)
from youjie.fees.gateways.config import PaymentConfig, payment_config


def payment_gateway() -> PaymentGateway:
    config = payment_config()
    if config.provider == PaymentProvider.WECHATPAY:
        from youjie.fees.gateways.wechatpay import WeChatPayGateway

        return WeChatPayGateway(config)
    raise PaymentUnavailable()


def online_payment_enabled() -> bool:
    return payment_config().enabled


__all__ = [
    "CreatedOrder",
    "GatewayError",
    "NotificationRefused",
    "OrderState",
    "PaymentConfig",
    "PaymentGateway",
    "PaymentUnavailable",
    "ProviderResponse",
    "RefundState",
    "VerifiedNotification",
    "fen_to_yuan",
    "online_payment_enabled",
    "payment_config",
    "payment_gateway",
    "yuan_to_fen",
]
