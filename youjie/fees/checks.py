"""System checks: a malformed YOUJIE_FEES_POLICY or YOUJIE_PAYMENT fails at start-up, not on a
citizen at the pay page."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, register
from django.core.exceptions import ImproperlyConfigured


@register()
def fees_policy_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    from youjie.fees.policy import fees_policy

    try:
        fees_policy()
    except ImproperlyConfigured as exc:
        hint = '形如 {"rounding": "fen", "per_case_standards": {"divorce": "200"}}'
        return [Error(str(exc), hint=hint, id="fees.E001")]
    return []


@register()
def fees_payment_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """YOUJIE_PAYMENT: a known provider with every key it needs, readable key files, a 32-byte
    APIv3 key, http(s) addresses (youjie/fees/gateways/config.py)."""
    from youjie.fees.gateways.config import payment_config

    try:
        config = payment_config()
    except ImproperlyConfigured as exc:
        hint = "见 youjie/fees/gateways/config.py；不开通在线缴费时 provider 留空"
        return [Error(str(exc), hint=hint, id="fees.E002")]
    if config.enabled:
        try:
            config.private_key()
            config.platform_public_key()
        except (OSError, UnicodeDecodeError) as exc:
            return [Error(f"YOUJIE_PAYMENT: 密钥文件无法读取：{exc}", id="fees.E003")]
    return []
