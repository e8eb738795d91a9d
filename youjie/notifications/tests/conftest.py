from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from youjie.notifications.tests.gateway import FakeSmsGateway


@pytest.fixture(autouse=True)
def notify_file(settings: Any, tmp_path: Path) -> Path:
    """Every test writes the file transport's lines to its own file, never to var/."""
    path = tmp_path / "notifications.log"
    settings.YOUJIE_NOTIFY_FILE = str(path)
    settings.YOUJIE_NOTIFY_TRANSPORTS = {
        "sms": "file",
        "email": "file",
        "wechat": "file",
        "console": "file",
    }
    settings.YOUJIE_NOTIFY_LEASE_SECONDS = 60
    settings.YOUJIE_NOTIFY_MAX_ATTEMPTS = 6
    return path


@pytest.fixture
def sms_gateway(settings: Any) -> Iterator[FakeSmsGateway]:
    gateway = FakeSmsGateway().start()
    settings.YOUJIE_NOTIFY_TRANSPORTS = {**settings.YOUJIE_NOTIFY_TRANSPORTS, "sms": "http_sms"}
    settings.YOUJIE_SMS_GATEWAY_URL = gateway.url
    settings.YOUJIE_SMS_GATEWAY_KEY = gateway.key
    settings.YOUJIE_SMS_SIGN = "【有解】"
    settings.YOUJIE_SMS_TEMPLATE = "{sign}{body}"
    settings.YOUJIE_SMS_TIMEOUT = 2
    try:
        yield gateway
    finally:
        gateway.stop()


class SmtpSink:
    def __init__(self) -> None:
        self.messages: list[tuple[Any, EmailMessage]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((envelope, parsed))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_sink(settings: Any) -> Iterator[SmtpSink]:
    from aiosmtpd.controller import Controller

    sink = SmtpSink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    settings.YOUJIE_NOTIFY_TRANSPORTS = {**settings.YOUJIE_NOTIFY_TRANSPORTS, "email": "smtp"}
    try:
        yield sink
    finally:
        controller.stop()
