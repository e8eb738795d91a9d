"""YOUJIE_PAYMENT: the payment provider and its merchant account, read at call time.

    YOUJIE_PAYMENT = {
        "provider": "wechatpay",             # "" (default): no online payment, counter only
        "mchid": "1900000109",               # 商户号
        "appid": "wxd678efh567hg6787",       # 应用ID (the official account or app)
        "private_key_path": "/etc/youjie/apiclient_key.pem",   # 商户API私钥 (never in the repo)
        "cert_serial_no": "444F4864EA9B34415…",                # 商户API证书序列号
        "apiv3_key": "…32 characters…",      # APIv3密钥: decrypts notifications
        "platform_public_key_path": "/etc/youjie/pub_key.pem", # 微信支付公钥
        "platform_public_key_id": "PUB_KEY_ID_…",              # 微信支付公钥ID
        "base_url": "https://api.mch.weixin.qq.com",           # the stand-in's address in tests
        "notify_url": "https://susong.example.gov.cn/fees/notify/wechatpay/",
        "timeout": 10,                       # seconds, per call
        "order_minutes": 30,                 # how long a QR code may be paid
        "notification_max_age": 300,         # seconds: an older signed timestamp is refused
    }

``payment_config()`` returns it checked, or raises ImproperlyConfigured naming the bad key;
youjie/fees/checks.py runs it at start-up so that a bad value never reaches a citizen.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from youjie.fees.choices import PaymentProvider

DEFAULT_BASE_URL = "https://api.mch.weixin.qq.com"
KEYS = frozenset(
    {
        "provider",
        "mchid",
        "appid",
        "private_key_path",
        "cert_serial_no",
        "apiv3_key",
        "platform_public_key_path",
        "platform_public_key_id",
        "base_url",
        "notify_url",
        "timeout",
        "order_minutes",
        "notification_max_age",
    }
)
REQUIRED = (
    "mchid",
    "appid",
    "private_key_path",
    "cert_serial_no",
    "apiv3_key",
    "platform_public_key_path",
    "platform_public_key_id",
    "notify_url",
)


@dataclass(frozen=True)
class PaymentConfig:
    provider: str
    mchid: str = ""
    appid: str = ""
    private_key_path: str = ""
    cert_serial_no: str = ""
    apiv3_key: str = ""
    platform_public_key_path: str = ""
    platform_public_key_id: str = ""
    base_url: str = DEFAULT_BASE_URL
    notify_url: str = ""
    timeout: int = 10
    order_minutes: int = 30
    notification_max_age: int = 300

    @property
    def enabled(self) -> bool:
        return bool(self.provider)

    def private_key(self) -> str:
        return Path(self.private_key_path).read_text("ascii")

    def platform_public_key(self) -> str:
        return Path(self.platform_public_key_path).read_text("ascii")


def _bad(key: str, message: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(f"YOUJIE_PAYMENT[{key!r}]: {message}")


def _url(key: str, value: str) -> str:
    parsed = urlparse(value)
    if parsed.scheme not in {"http", "https"} or not parsed.hostname or parsed.query:
        raise _bad(key, f"an http(s) address without a query is needed, got {value!r}")
    return value.rstrip("/") if key == "base_url" else value


def _positive(configured: dict[str, Any], key: str, default: int) -> int:
    value = configured.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 86_400:
        raise _bad(key, f"a whole number of seconds or minutes (1–86400), got {value!r}")
    return int(value)


def payment_config() -> PaymentConfig:
    configured = getattr(settings, "YOUJIE_PAYMENT", None) or {}
    if not isinstance(configured, dict) or not set(configured) <= KEYS:
        unknown = sorted(set(configured) - KEYS) if isinstance(configured, dict) else configured
        raise ImproperlyConfigured(f"YOUJIE_PAYMENT: unknown keys {unknown!r}")
    provider = str(configured.get("provider") or "")
    if not provider:
        return PaymentConfig(provider="")
    if provider not in PaymentProvider.values:
        raise _bad("provider", f"one of {PaymentProvider.values} or empty, got {provider!r}")
    values: dict[str, str] = {}
    for key in REQUIRED:
        value = configured.get(key)
        if not isinstance(value, str) or not value.strip():
            raise _bad(key, "required when a provider is set")
        values[key] = value.strip()
    if len(values["apiv3_key"].encode("utf-8")) != 32:
        raise _bad("apiv3_key", "the APIv3 key is 32 bytes (AES-256-GCM)")
    for key in ("private_key_path", "platform_public_key_path"):
        if not Path(values[key]).is_file():
            raise _bad(key, f"no such file: {values[key]}")
    values["notify_url"] = _url("notify_url", values["notify_url"])
    base_url = _url("base_url", str(configured.get("base_url") or DEFAULT_BASE_URL))
    return PaymentConfig(
        provider=provider,
        base_url=base_url,
        timeout=_positive(configured, "timeout", 10),
        order_minutes=_positive(configured, "order_minutes", 30),
        notification_max_age=_positive(configured, "notification_max_age", 300),
        **values,
    )
