"""Request id, the client's address and the proxy headers believed, Content-Security-Policy, and
the page-side mapping of ApplicationError."""

from __future__ import annotations

import ipaddress
import logging
import uuid
from collections.abc import Callable, Iterable
from functools import lru_cache
from urllib.parse import urlparse

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from youjie.core.errors import ApplicationError
from youjie.core.requestcontext import set_request_context

logger = logging.getLogger("youjie.request")

# Everything is served by the app itself; no inline scripts, no third-party origins. WebSockets
# connect to the site itself: 'self', and its ws(s) origin spelled out for the browsers whose
# 'self' does not cover ws: (CSP level 2).
_POLICY = (
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self' {websocket}",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "object-src 'none'",
)


@lru_cache(maxsize=4)
def content_security_policy(public_url: str) -> str:
    parsed = urlparse(public_url)
    websocket = f"{'wss' if parsed.scheme == 'https' else 'ws'}://{parsed.netloc}"
    return "; ".join(_POLICY).format(websocket=websocket)


# An X-Forwarded-For longer than this is not a proxy chain.
FORWARDED_MAX_LENGTH = 1000

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(configured: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in configured)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """One X-Forwarded-For entry: ``1.2.3.4``, ``1.2.3.4:5678``, ``2001:db8::1``, ``[…]:port``."""
    text = text.strip()
    if text.startswith("["):
        text = text[1:].split("]", 1)[0]
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _trusted(
    address: ipaddress.IPv4Address | ipaddress.IPv6Address, networks: Iterable[IPNetwork]
) -> bool:
    return any(address in network for network in networks)


def _trusted_networks() -> tuple[IPNetwork, ...]:
    return _networks(tuple(getattr(settings, "YOUJIE_TRUSTED_PROXIES", ()) or ()))


def peer_is_trusted_proxy(request: HttpRequest) -> bool:
    """Whether the connection comes from one of ``YOUJIE_TRUSTED_PROXIES`` (none by default)."""
    networks = _trusted_networks()
    if not networks:
        return False
    peer_address = _address(str(request.META.get("REMOTE_ADDR") or ""))
    return peer_address is not None and _trusted(peer_address, networks)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: the connection's peer, unless the peer is a trusted proxy.

    From a proxy in ``YOUJIE_TRUSTED_PROXIES`` the address comes from X-Forwarded-For, read
    from the right: each proxy appends the address it saw, so the first address that is not a
    trusted proxy is the client, whatever the client itself wrote further left. An unreadable
    header names nobody: the proxy's address is used. One rule for the rate limits, the login
    lock-out (AXES_CLIENT_IP_CALLABLE) and the audit log.
    """
    peer = str(request.META.get("REMOTE_ADDR") or "") or None
    if not peer or not peer_is_trusted_proxy(request):
        return peer
    networks = _trusted_networks()
    peer_address = _address(peer)
    assert peer_address is not None  # a trusted peer has a readable address
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    if not forwarded.strip() or len(forwarded) > FORWARDED_MAX_LENGTH:
        return peer
    hops = [_address(part) for part in forwarded.split(",")]
    client = peer_address
    for hop in reversed(hops):
        if hop is None:
            return peer
        client = hop
        if not _trusted(hop, networks):
            break
    return str(client)


class TrustedProxyHeadersMiddleware:
    """Believe ``SECURE_PROXY_SSL_HEADER`` (X-Forwarded-Proto) only from a trusted proxy.

    Django reads that header from any connection: a client reaching the app directly could
    claim HTTPS, and so skip the redirect to HTTPS and be treated as on a secure connection.
    The same rule as X-Forwarded-For (``client_ip``): from a peer that is not one of
    ``YOUJIE_TRUSTED_PROXIES`` the header is dropped before Django's SecurityMiddleware, the
    CSRF check or any view reads it. First in MIDDLEWARE.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        proxy_header = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
        if proxy_header:
            meta_name = proxy_header[0]
            if meta_name in request.META and not peer_is_trusted_proxy(request):
                del request.META[meta_name]
        return self.get_response(request)


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming[:64] if incoming.isascii() and incoming else uuid.uuid4().hex
        set_request_context(request_id=request_id, ip=client_ip(request))
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = content_security_policy(str(getattr(settings, "YOUJIE_PUBLIC_URL", "")))
        response.setdefault("Content-Security-Policy", policy)
        return response


class RequestSizeLimitMiddleware:
    """Refuse an oversized body before Django reads it (uploads stream to disk otherwise).

    Forms and JSON bodies are further limited by DATA_UPLOAD_MAX_MEMORY_SIZE; files by the
    per-file limit of the service that stores them.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = int(getattr(settings, "YOUJIE_MAX_REQUEST_BODY_BYTES", 12 * 1024 * 1024))
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if length < 0:
            # Django's request.body reads the header with int() and would fail with a 500.
            message = "请求头 Content-Length 无效"
            if request.path.startswith("/api/"):
                return JsonResponse({"code": "http_400", "message": message}, status=400)
            return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
        if length > limit:
            message = f"请求内容过大（上限 {limit // (1024 * 1024)} MB）"
            if request.path.startswith("/api/"):
                return JsonResponse({"code": "payload_too_large", "message": message}, status=413)
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class AdminNulGuardMiddleware:
    """The admin: a NUL in the path or the query string is refused with a 400.

    Django's admin hands list-filter values (``?status__exact=…``) and object ids from the URL
    (``/admin/orgs/region/<id>/change/``) straight to the database, and PostgreSQL cannot
    compare text with a NUL (a DataError, which was a 500). The pages and the API refuse NUL
    in their own forms and schemas; the admin's views are Django's, so the guard is here.
    """

    PREFIX = "/admin/"
    MESSAGE = "地址或查询参数中不能包含空字符。"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(self.PREFIX) and (
            "\x00" in request.path
            or any(
                "\x00" in key or "\x00" in "".join(values) for key, values in request.GET.lists()
            )
        ):
            context = {"status": 400, "message": self.MESSAGE}
            return render(request, "core/error.html", context, status=400)
        return self.get_response(request)


class ApplicationErrorMiddleware:
    """Pages: an ApplicationError becomes a Chinese error page with its status code."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, ApplicationError):
            return None
        logger.info("application error %s: %s", exception.code, exception.message)
        template = (
            "core/error_partial.html" if getattr(request, "htmx", False) else "core/error.html"
        )
        return render(
            request,
            template,
            {"error": exception, "status": exception.status_code},
            status=exception.status_code,
        )
