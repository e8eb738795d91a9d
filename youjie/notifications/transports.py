"""Transports: how a message leaves the system, one class per way.

Each transport has ``send(message) -> provider_id`` and ``lookup(message_key)``, which answers
"did an earlier attempt with this key arrive?" with ``"delivered"``, ``"not_found"`` or ``None``
(the transport cannot tell). ``send`` raises ``TransportError`` for a failure worth retrying and
``PermanentTransportError`` for one that will not get better (the row goes ``dead``).

The transport of each channel is chosen at call time from ``settings.YOUJIE_NOTIFY_TRANSPORTS``
({"sms": "file", "email": "file", "wechat": "file", "console": "file"} by default):

- ``file``: appends one JSON line per message to ``settings.YOUJIE_NOTIFY_FILE`` and logs that
  it did to the "youjie.notifications" logger (key, channel, masked recipient: never the body,
  which may carry a feedback token or a one-time code). The default for every channel in
  development. The file holds clear recipients and bodies: it is a development tool, not for
  production personal data.
- ``smtp``: Django's e-mail backend as configured by the standard ``EMAIL_*`` settings, with
  ``Message-ID: <message_key@youjie>``. SMTP cannot be asked whether a message arrived, so
  ``lookup`` returns None and a retry after a crash sends again with the same Message-ID
  (at-least-once; mail clients collapse duplicates by Message-ID).
- ``http_sms``: the SMS gateway protocol described in ``HttpSmsTransport``.
- WeChat template messages are out of scope: the ``wechat`` channel uses ``file``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import smtplib
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from http.client import HTTPException
from pathlib import Path
from typing import Literal, Protocol
from urllib.error import HTTPError, URLError
from urllib.parse import quote
from urllib.request import ProxyHandler, Request, build_opener

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage

from youjie.notifications.choices import Channel, TransportName
from youjie.notifications.recipients import recipient_mask

logger = logging.getLogger("youjie.notifications")

LookupResult = Literal["delivered", "not_found"]

DEFAULT_TRANSPORTS: dict[str, str] = {
    Channel.SMS: TransportName.FILE,
    Channel.EMAIL: TransportName.FILE,
    Channel.WECHAT: TransportName.FILE,
    Channel.CONSOLE: TransportName.FILE,
}
# A transport may only carry the channels it understands.
TRANSPORT_CHANNELS: dict[str, frozenset[str]] = {
    TransportName.FILE: frozenset(Channel.values),
    TransportName.SMTP: frozenset({Channel.EMAIL}),
    TransportName.HTTP_SMS: frozenset({Channel.SMS}),
}
DEFAULT_EMAIL_SUBJECT = "有解通知"


class TransportError(Exception):
    """Sending failed in a way that may succeed later (network, timeout, 5xx)."""


class PermanentTransportError(TransportError):
    """Sending failed for good (bad recipient, rejected content, 4xx): do not retry."""


@dataclass(frozen=True)
class OutgoingMessage:
    message_key: str
    channel: str
    recipient: str
    subject: str
    body: str


class Transport(Protocol):
    name: str

    def send(self, message: OutgoingMessage) -> str: ...

    def lookup(self, message_key: str) -> LookupResult | None: ...


def notify_file_path() -> Path:
    configured = getattr(settings, "YOUJIE_NOTIFY_FILE", None)
    if configured:
        return Path(configured)
    var_dir = getattr(settings, "VAR_DIR", None) or Path("var")
    return Path(var_dir) / "notifications.log"


class FileTransport:
    """Development transport: one JSON line per message, appended with a single write."""

    name: str = TransportName.FILE

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or notify_file_path()

    def send(self, message: OutgoingMessage) -> str:
        record = {
            "message_key": message.message_key,
            "channel": message.channel,
            "recipient": message.recipient,
            "subject": message.subject,
            "body": message.body,
            "ts": datetime.now(tz=UTC).isoformat(),
        }
        line = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # One write() on an O_APPEND descriptor keeps lines whole with several workers;
            # fsync makes "sent" in the database imply "in the file" after a crash.
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, line)
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError as exc:
            raise TransportError(f"写入通知文件失败：{exc}") from exc
        # The log may travel further than this file: the recipient is masked, and the body —
        # which may carry a feedback link's token or a one-time code — stays in the file.
        logger.info(
            "notification %s via %s to %s: %d characters written to %s",
            message.message_key,
            message.channel,
            recipient_mask(channel=message.channel, recipient=message.recipient),
            len(message.body),
            self.path,
        )
        return f"file:{message.message_key}"

    def lookup(self, message_key: str) -> LookupResult | None:
        try:
            handle = self.path.open(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return "not_found"
        except OSError as exc:
            raise TransportError(f"读取通知文件失败：{exc}") from exc
        with handle:
            for line in handle:
                if message_key not in line:
                    continue
                try:
                    record = json.loads(line)
                except ValueError:
                    continue  # a line torn by a crash mid-write does not count as sent
                if isinstance(record, dict) and record.get("message_key") == message_key:
                    return "delivered"
        return "not_found"


class SmtpTransport:
    """E-mail through Django's configured backend (EMAIL_BACKEND, EMAIL_HOST, EMAIL_PORT…)."""

    name: str = TransportName.SMTP

    def send(self, message: OutgoingMessage) -> str:
        message_id = f"<{message.message_key}@youjie>"
        email = EmailMessage(
            subject=message.subject or DEFAULT_EMAIL_SUBJECT,
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.recipient],
            headers={"Message-ID": message_id},
        )
        try:
            sent = email.send(fail_silently=False)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            if codes and all(code >= 500 for code in codes):
                raise PermanentTransportError(f"邮件服务器拒绝收件人：{codes}") from exc
            raise TransportError(f"邮件服务器暂时拒绝收件人：{codes}") from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise TransportError(f"邮件发送失败：{exc}") from exc
        if sent != 1:
            raise TransportError("邮件后端未发送任何邮件")
        return message_id

    def lookup(self, message_key: str) -> LookupResult | None:
        return None


def sms_signature(*, key: str, timestamp: str, body: bytes) -> str:
    """hex(HMAC-SHA256(key, timestamp + "\\n" + body)), the gateway's request signature."""
    return hmac.new(
        key.encode("utf-8"), timestamp.encode("ascii") + b"\n" + body, hashlib.sha256
    ).hexdigest()


class HttpSmsTransport:
    """The SMS gateway over HTTP.

    ``POST {YOUJIE_SMS_GATEWAY_URL}`` with JSON {"msgid", "mobile", "content"} and the headers
    ``X-Timestamp`` and ``X-Signature`` (see ``sms_signature``). 200 {"code": 0, "id": …} means
    accepted; another 4xx is permanent (except 408 and 429); 5xx, timeouts and network errors
    are retried. ``GET {url}/status/{msgid}``, signed over an empty body, answers 200
    {"status": "accepted" | "delivered"} when the gateway has the message and 404 when it has
    not. The gateway is reached directly, not through an HTTP proxy from the environment.
    """

    name: str = TransportName.HTTP_SMS

    def __init__(self) -> None:
        self.url = str(getattr(settings, "YOUJIE_SMS_GATEWAY_URL", "")).rstrip("/")
        if not self.url.startswith(("http://", "https://")):
            raise ImproperlyConfigured("YOUJIE_SMS_GATEWAY_URL must be an http(s) URL for http_sms")
        self.key = str(getattr(settings, "YOUJIE_SMS_GATEWAY_KEY", ""))
        # Texts begin with their signature (notifications.sms); ``{sign}`` in a template adds
        # the configured one again (checks.py warns).
        self.sign = str(getattr(settings, "YOUJIE_SMS_SIGN", ""))
        self.template = str(getattr(settings, "YOUJIE_SMS_TEMPLATE", "{body}"))
        self.timeout = float(getattr(settings, "YOUJIE_SMS_TIMEOUT", 10))
        self._opener = build_opener(ProxyHandler({}))

    def render(self, message: OutgoingMessage) -> str:
        return self.template.format(sign=self.sign, body=message.body, subject=message.subject)

    def _request(self, url: str, *, body: bytes | None) -> Request:
        timestamp = str(int(time.time()))
        headers = {
            "X-Timestamp": timestamp,
            "X-Signature": sms_signature(key=self.key, timestamp=timestamp, body=body or b""),
            "Accept": "application/json",
        }
        if body is not None:
            headers["Content-Type"] = "application/json; charset=utf-8"
        # The URL's scheme was checked to be http(s) in __init__.
        method = "POST" if body else "GET"
        return Request(url, data=body, headers=headers, method=method)  # noqa: S310

    def _call(self, request: Request) -> tuple[int, bytes]:
        """(status, body) for any HTTP answer; TransportError when there is no answer."""
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                return int(response.status), bytes(response.read())
        except HTTPError as exc:
            try:
                detail = bytes(exc.read() or b"")
            except (OSError, ValueError, AttributeError):
                detail = b""
            finally:
                exc.close()
            return int(exc.code), detail
        except (URLError, HTTPException, OSError) as exc:  # includes TimeoutError
            raise TransportError(f"短信网关无响应：{exc}") from exc

    def send(self, message: OutgoingMessage) -> str:
        payload = {
            "msgid": message.message_key,
            "mobile": message.recipient,
            "content": self.render(message),
        }
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        status, answer = self._call(self._request(self.url, body=body))
        detail = answer[:200].decode("utf-8", errors="replace")
        if status >= 500 or status in (408, 429):
            raise TransportError(f"短信网关暂时错误 HTTP {status}：{detail}")
        if 400 <= status < 500:
            raise PermanentTransportError(f"短信网关拒绝 HTTP {status}：{detail}")
        if status != 200:
            raise TransportError(f"短信网关返回意外状态 HTTP {status}：{detail}")
        try:
            data = json.loads(answer)
        except ValueError as exc:
            raise TransportError(f"短信网关应答无法解析：{detail}") from exc
        if not isinstance(data, dict) or data.get("code") != 0:
            # Unknown business codes are retried; the lookup before a retry prevents a double.
            raise TransportError(f"短信网关未受理：{detail}")
        return str(data.get("id") or message.message_key)

    def lookup(self, message_key: str) -> LookupResult | None:
        url = f"{self.url}/status/{quote(message_key, safe='')}"
        status, answer = self._call(self._request(url, body=None))
        if status == 404:
            return "not_found"
        if status == 200:
            try:
                data = json.loads(answer)
            except ValueError as exc:
                raise TransportError("短信网关状态应答无法解析") from exc
            if isinstance(data, dict) and data.get("status") in ("accepted", "delivered"):
                return "delivered"
        # Anything else is not an answer we can act on: retry later rather than risk a double.
        raise TransportError(f"短信网关状态查询失败 HTTP {status}")


def transport_name_for(channel: str) -> str:
    configured = getattr(settings, "YOUJIE_NOTIFY_TRANSPORTS", None) or {}
    name = str({**DEFAULT_TRANSPORTS, **configured}.get(channel, TransportName.FILE))
    if name not in TRANSPORT_CHANNELS:
        raise ImproperlyConfigured(
            f"YOUJIE_NOTIFY_TRANSPORTS[{channel!r}] = {name!r}: expected one of "
            f"{sorted(TRANSPORT_CHANNELS)}"
        )
    if channel not in TRANSPORT_CHANNELS[name]:
        raise ImproperlyConfigured(f"transport {name!r} cannot carry channel {channel!r}")
    return name


def transport_for(channel: str) -> Transport:
    """The transport configured for ``channel`` now (settings are read at every call)."""
    name = transport_name_for(channel)
    if name == TransportName.SMTP:
        return SmtpTransport()
    if name == TransportName.HTTP_SMS:
        return HttpSmsTransport()
    return FileTransport()
