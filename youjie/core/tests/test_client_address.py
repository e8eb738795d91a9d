"""The client's address: X-Forwarded-For counts only from a configured proxy (issue 12, item 4).

A forged ``X-Forwarded-For`` bypassed the portal's rate limits and the login lock-out: uvicorn
took the header from any connection from 127.0.0.1 (its default), and a proxy's header was the
only address django-axes saw. The address now comes from one rule, ``client_ip``: the peer
(``REMOTE_ADDR``) unless it is one of ``YOUJIE_TRUSTED_PROXIES`` (empty by default), and then
the right-most address in the header that is not itself a trusted proxy.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
import uvicorn
from django.core.management import call_command
from django.test import Client, RequestFactory

from youjie.core.middleware import client_ip


def _request(remote_addr: str, forwarded: str | None = None) -> Any:
    request = RequestFactory().get("/", REMOTE_ADDR=remote_addr)
    if forwarded is not None:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    return request


def test_a_forwarded_address_is_ignored_without_trusted_proxies(settings):
    settings.YOUJIE_TRUSTED_PROXIES = []
    assert client_ip(_request("127.0.0.1", "203.0.113.7")) == "127.0.0.1"
    assert client_ip(_request("198.51.100.2", "203.0.113.7")) == "198.51.100.2"


@pytest.mark.parametrize(
    ("remote_addr", "forwarded", "expected"),
    [
        # The proxy appends the address it saw: a forged left part changes nothing.
        ("127.0.0.1", "203.0.113.7", "203.0.113.7"),
        ("127.0.0.1", "1.1.1.1, 203.0.113.7", "203.0.113.7"),
        ("127.0.0.1", "1.1.1.1,203.0.113.7", "203.0.113.7"),
        # Two proxies in a row, both trusted (the second by its network).
        ("127.0.0.1", "1.1.1.1, 203.0.113.7, 10.1.2.3", "203.0.113.7"),
        ("10.1.2.3", "203.0.113.7", "203.0.113.7"),
        # IPv6 and its bracketed/port forms.
        ("127.0.0.1", "2001:db8::1", "2001:db8::1"),
        ("127.0.0.1", "[2001:db8::1]:4711", "2001:db8::1"),
        ("127.0.0.1", "203.0.113.7:4711", "203.0.113.7"),
        # A connection that is not from a trusted proxy: its header is ignored.
        ("198.51.100.2", "203.0.113.7", "198.51.100.2"),
        # Garbage, an empty header, or only proxies: the proxy's own address.
        ("127.0.0.1", "not-an-address", "127.0.0.1"),
        ("127.0.0.1", "1.1.1.1, garbage", "127.0.0.1"),
        ("127.0.0.1", "", "127.0.0.1"),
        ("127.0.0.1", "x" * 5000, "127.0.0.1"),
        ("127.0.0.1", "10.1.2.3", "10.1.2.3"),
    ],
)
def test_a_trusted_proxy_names_the_client(settings, remote_addr, forwarded, expected):
    settings.YOUJIE_TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    assert client_ip(_request(remote_addr, forwarded)) == expected


def test_the_served_app_does_not_take_the_client_address_from_a_forged_header(
    db, settings, monkeypatch
):
    """`manage.py serve` (`make run`): uvicorn must not rewrite the peer from the header."""
    settings.YOUJIE_PUBLIC_URL = "http://127.0.0.1:8123"  # serve may set it for this process
    monkeypatch.setenv("YOUJIE_PUBLIC_URL", "http://127.0.0.1:8123")
    captured: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: captured.update(options))
    call_command("serve", "--no-worker", "--port", "8123")
    seen: dict[str, Any] = {}

    async def app(scope: Any, receive: Any, send: Any) -> None:
        seen["client"] = scope["client"]
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    config = uvicorn.Config(app, **captured)
    config.load()
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/",
        "raw_path": b"/",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"x-forwarded-for", b"203.0.113.7"), (b"x-forwarded-proto", b"https")],
        "client": ("127.0.0.1", 5555),
        "server": ("127.0.0.1", 8123),
    }

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Any) -> None:
        return None

    asyncio.run(config.loaded_app(scope, receive, send))
    assert seen["client"] == ("127.0.0.1", 5555)


def _fail_login(client: Client, forwarded: str) -> Any:
    return client.post(
        "/accounts/login/",
        {"username": "reception", "password": "wrong"},
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def test_a_forged_header_does_not_escape_the_login_lock_out(receptionist, settings):
    settings.YOUJIE_TRUSTED_PROXIES = []
    client = Client()
    for index in range(settings.AXES_FAILURE_LIMIT):
        _fail_login(client, f"203.0.113.{index}")
    response = client.post(
        "/accounts/login/",
        {"username": "reception", "password": "pw-reception"},
        HTTP_X_FORWARDED_FOR="198.51.100.77",
    )
    assert response.status_code == 429


def test_behind_a_trusted_proxy_the_lock_out_is_per_client(receptionist, settings):
    """django-axes uses the same rule: one citizen's failures do not lock the whole proxy."""
    settings.YOUJIE_TRUSTED_PROXIES = ["127.0.0.1"]
    attacker, colleague = Client(), Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _fail_login(attacker, "9.9.9.9, 203.0.113.9")
    locked = attacker.post(
        "/accounts/login/",
        {"username": "reception", "password": "pw-reception"},
        HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9",  # a new forged left part changes nothing
    )
    assert locked.status_code == 429
    allowed = colleague.post(
        "/accounts/login/",
        {"username": "reception", "password": "pw-reception"},
        HTTP_X_FORWARDED_FOR="198.51.100.20",
    )
    assert allowed.status_code == 302
