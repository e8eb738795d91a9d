"""Request id, Content-Security-Policy, and the page-side mapping of ApplicationError."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from youjie.core.errors import ApplicationError
from youjie.core.requestcontext import set_request_context

logger = logging.getLogger("youjie.request")

# Everything is served by the app itself; no inline scripts, no third-party origins.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self' ws: wss:",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "object-src 'none'",
    ]
)


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


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
        response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
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
