"""The WeChat official-account callback protocol (wechatpy), kept apart from Django views.

Plaintext mode: the query's ``signature`` is sha1(sorted token, timestamp, nonce); it does not
cover the body, so a captured URL could be replayed with another body — hence the timestamp
window. Safe mode (``YOUJIE_WECHAT_AES_KEY`` set): the body is AES-encrypted and carries its own
``msg_signature`` over the ciphertext; plaintext posts are then refused, and replies are
encrypted too.

wechatpy (and the requests, urllib3 and xmltodict it brings, ≈9 MB) is imported inside the
functions that use it: a server worker loads it on the first WeChat call, not at start-up, since
this module is imported by every process (the system check in ``checks.py``).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from xml.parsers.expat import ExpatError

from django.conf import settings

if TYPE_CHECKING:
    from wechatpy.crypto import WeChatCrypto

AES_KEY_LENGTH = 43
MAX_BODY_BYTES = 64 * 1024
# WeChat retries within about 15 seconds; five minutes leaves room for clock drift.
MAX_CLOCK_SKEW_SECONDS = 300
QUERY_VALUE_MAX = 128


class BadSignature(Exception):
    """Signature, timestamp or app id do not check out: 403."""


class BadMessage(Exception):
    """The body is not a WeChat message we can read: 400."""


class NotConfigured(Exception):
    """The callback's settings are malformed: 503 until an administrator fixes them."""


class Disabled(NotConfigured):
    """No YOUJIE_WECHAT_TOKEN: the callback is switched off (404)."""


@dataclass(frozen=True)
class WeChatConfig:
    token: str
    aes_key: str
    app_id: str
    court_code: str

    @property
    def safe_mode(self) -> bool:
        return bool(self.aes_key)

    def crypto(self) -> WeChatCrypto:
        from wechatpy.crypto import WeChatCrypto

        return WeChatCrypto(self.token, self.aes_key, self.app_id)


def config_from_settings() -> WeChatConfig:
    token = str(getattr(settings, "YOUJIE_WECHAT_TOKEN", "") or "")
    aes_key = str(getattr(settings, "YOUJIE_WECHAT_AES_KEY", "") or "")
    app_id = str(getattr(settings, "YOUJIE_WECHAT_APPID", "") or "")
    court_code = str(getattr(settings, "YOUJIE_WECHAT_COURT_CODE", "") or "")
    if not token:
        raise Disabled("YOUJIE_WECHAT_TOKEN is not set")
    if aes_key and (len(aes_key) != AES_KEY_LENGTH or not app_id):
        raise NotConfigured(
            "YOUJIE_WECHAT_AES_KEY must be 43 characters and needs YOUJIE_WECHAT_APPID"
        )
    config = WeChatConfig(token=token, aes_key=aes_key, app_id=app_id, court_code=court_code)
    if aes_key:
        try:
            config.crypto()
        except Exception as exc:  # binascii.Error, AssertionError: a malformed key
            raise NotConfigured("YOUJIE_WECHAT_AES_KEY is not a valid EncodingAESKey") from exc
    return config


def _param(query: Mapping[str, str], name: str) -> str:
    value = query.get(name, "") or ""
    if len(value) > QUERY_VALUE_MAX:
        raise BadSignature(f"{name} too long")
    return value


def _check_query_signature(config: WeChatConfig, query: Mapping[str, str]) -> tuple[str, str]:
    from wechatpy.exceptions import InvalidSignatureException
    from wechatpy.utils import check_signature

    timestamp = _param(query, "timestamp")
    nonce = _param(query, "nonce")
    signature = _param(query, "signature")
    if not (signature and timestamp and nonce):
        raise BadSignature("signature, timestamp and nonce are required")
    try:
        check_signature(config.token, signature, timestamp, nonce)
    except InvalidSignatureException as exc:
        raise BadSignature("bad signature") from exc
    return timestamp, nonce


def echo_verify(config: WeChatConfig, query: Mapping[str, str]) -> str:
    """The server-address check WeChat makes when the callback URL is saved: return echostr."""
    _check_query_signature(config, query)
    return _param(query, "echostr")


@dataclass(frozen=True)
class Incoming:
    message: Any
    encrypted: bool
    nonce: str

    @property
    def text(self) -> str | None:
        """The text of a text message; None for anything else (images, voice, events …)."""
        from wechatpy.messages import TextMessage

        if isinstance(self.message, TextMessage):
            return str(self.message.content or "")
        return None

    @property
    def openid(self) -> str:
        return str(self.message.source or "")

    def dedupe_key(self) -> str:
        """WeChat's MsgId; failing that, a digest of sender, send time and text (retries
        repeat all three)."""
        try:
            msg_id = int(self.message.id or 0)
        except (TypeError, ValueError) as exc:
            raise BadMessage("MsgId is not a number") from exc
        if msg_id > 0:
            return str(msg_id)
        raw = f"{self.openid}\n{self.message._data.get('CreateTime', '')}\n{self.text or ''}"
        return "h:" + hashlib.sha256(raw.encode("utf-8")).hexdigest()[:40]


def message_open(
    config: WeChatConfig, *, query: Mapping[str, str], body: bytes, now: float | None = None
) -> Incoming:
    """Check the signatures, decrypt in safe mode, and parse the message."""
    from wechatpy import parse_message
    from wechatpy.exceptions import InvalidAppIdException, InvalidSignatureException

    timestamp, nonce = _check_query_signature(config, query)
    try:
        skew = abs((now if now is not None else time.time()) - int(timestamp))
    except ValueError as exc:
        raise BadSignature("timestamp is not a number") from exc
    if skew > MAX_CLOCK_SKEW_SECONDS:
        raise BadSignature("timestamp outside the accepted window")
    encrypted = _param(query, "encrypt_type").lower() == "aes"
    if config.safe_mode and not encrypted:
        raise BadSignature("plaintext message refused: the account is configured for safe mode")
    if encrypted and not config.safe_mode:
        raise BadMessage("encrypted message but no YOUJIE_WECHAT_AES_KEY configured")
    try:
        xml = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadMessage("body is not UTF-8") from exc
    if encrypted:
        msg_signature = _param(query, "msg_signature")
        if not msg_signature:
            raise BadSignature("msg_signature is required in safe mode")
        try:
            xml = config.crypto().decrypt_message(xml, msg_signature, timestamp, nonce)
        except (InvalidSignatureException, InvalidAppIdException) as exc:
            raise BadSignature("bad msg_signature or app id") from exc
        except Exception as exc:  # base64, AES padding, UTF-8: many error types
            raise BadMessage("encrypted body could not be read") from exc
    try:
        message = parse_message(xml)
        if message is None or not message.source or not message.target:
            raise BadMessage("no sender or recipient")
    except BadMessage:
        raise
    except (ExpatError, KeyError, TypeError, ValueError, AttributeError) as exc:
        raise BadMessage("not a WeChat message") from exc
    return Incoming(message=message, encrypted=encrypted, nonce=nonce)


def reply_render(config: WeChatConfig, incoming: Incoming, text: str) -> str:
    """A passive text reply; encrypted when the message came encrypted."""
    from wechatpy.replies import TextReply

    xml = TextReply(message=incoming.message, content=text).render()
    if incoming.encrypted:
        return str(config.crypto().encrypt_message(xml, incoming.nonce, str(int(time.time()))))
    return str(xml)
