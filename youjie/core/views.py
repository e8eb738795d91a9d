"""Staff home, health check and the error pages."""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.http import require_GET

from youjie.core.panels import panels_for

logger = logging.getLogger("youjie.health")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"panels": panels_for(request.user)})


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    # Connect if need be, then ask the backend whether the connection answers (PostgreSQL makes
    # a round trip; for SQLite, a file that could be opened is reachable). A dead persistent
    # connection is closed, so that the next request opens a new one.
    try:
        connection.ensure_connection()
        usable = connection.is_usable()
    except Exception:
        logger.exception("health check: database unreachable")
        usable = False
    else:
        if not usable:
            logger.error("health check: database unreachable (the connection does not answer)")
    if not usable:
        connection.close()
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": connection.vendor})


def _error(request: HttpRequest, status: int, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"code": f"http_{status}", "message": message}, status=status)
    return render(request, "core/error.html", {"status": status, "message": message}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 400, "请求格式不正确。")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 403, "您没有访问此页面的权限。")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 404, "页面不存在，或您无权查看。")


def server_error(request: HttpRequest) -> HttpResponse:
    message = "系统暂时出错，请稍后再试。"
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "http_500", "message": message}, status=500)
    # Rendered from the template alone, as Django's own handler does: whatever failed (the
    # database, the session, the user) is not asked again while saying that it failed.
    return HttpResponseServerError(loader.render_to_string("500.html"))
