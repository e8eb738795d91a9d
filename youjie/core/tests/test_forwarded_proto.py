"""X-Forwarded-Proto is believed only from a trusted proxy, like X-Forwarded-For (issue 12,
item 4 and its follow-up): production sets ``SECURE_PROXY_SSL_HEADER``, and Django reads that
header from any connection, so a client reaching the app directly could claim HTTPS — skip the
redirect to HTTPS and be treated as on a secure connection."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory

from youjie.core.middleware import TrustedProxyHeadersMiddleware

PROXY_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


def _through_middleware(remote_addr: str, proto: str = "https") -> HttpRequest:
    request = RequestFactory().get("/", REMOTE_ADDR=remote_addr, HTTP_X_FORWARDED_PROTO=proto)
    seen: dict[str, Any] = {}

    def view(request: HttpRequest) -> HttpResponse:
        seen["secure"] = request.is_secure()
        return HttpResponse()

    TrustedProxyHeadersMiddleware(view)(request)
    request.secure_seen = seen["secure"]  # type: ignore[attr-defined]
    return request


def test_a_forged_header_from_an_untrusted_address_is_dropped(settings):
    settings.SECURE_PROXY_SSL_HEADER = PROXY_HEADER
    settings.YOUJIE_TRUSTED_PROXIES = ["127.0.0.1"]
    request = _through_middleware("203.0.113.9")
    assert "HTTP_X_FORWARDED_PROTO" not in request.META
    assert request.secure_seen is False  # type: ignore[attr-defined]


def test_without_trusted_proxies_every_header_is_dropped(settings):
    settings.SECURE_PROXY_SSL_HEADER = PROXY_HEADER
    settings.YOUJIE_TRUSTED_PROXIES = []
    request = _through_middleware("127.0.0.1")
    assert request.secure_seen is False  # type: ignore[attr-defined]


@pytest.mark.parametrize("remote_addr", ["127.0.0.1", "10.1.2.3"])
def test_a_trusted_proxy_says_https(settings, remote_addr):
    settings.SECURE_PROXY_SSL_HEADER = PROXY_HEADER
    settings.YOUJIE_TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    request = _through_middleware(remote_addr)
    assert request.META["HTTP_X_FORWARDED_PROTO"] == "https"
    assert request.secure_seen is True  # type: ignore[attr-defined]


def test_the_forged_header_does_not_skip_the_redirect_to_https(db, settings):
    """The whole stack, as production runs it: a direct client claiming HTTPS is still sent
    to HTTPS; the proxy's own claim is believed."""
    settings.SECURE_PROXY_SSL_HEADER = PROXY_HEADER
    settings.SECURE_SSL_REDIRECT = True
    settings.YOUJIE_TRUSTED_PROXIES = ["127.0.0.1"]
    forged = Client(REMOTE_ADDR="203.0.113.9").get(
        "/accounts/login/", HTTP_X_FORWARDED_PROTO="https"
    )
    assert forged.status_code == 301 and forged["Location"].startswith("https://")
    proxied = Client(REMOTE_ADDR="127.0.0.1").get(
        "/accounts/login/", HTTP_X_FORWARDED_PROTO="https"
    )
    assert proxied.status_code == 200
