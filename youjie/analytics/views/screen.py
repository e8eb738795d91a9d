"""数据大屏: the court hall's (/analytics/screen/) and the office's (/analytics/screen/city/)
full-screen figures. The page polls itself every 30 seconds with htmx and swaps in the figures
partial (``analytics/screen.html#figures``): one row read per refresh (the snapshot the
periodic task keeps current, ``youjie.core.snapshots``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from youjie.analytics.choices import ScreenKind
from youjie.analytics.screen import SCREEN_SNAPSHOTS, screen_user
from youjie.core.snapshots import snapshot_current

REFRESH_SECONDS = 30


def _screen(request: HttpRequest, kind: ScreenKind) -> HttpResponse:
    user = screen_user(user=request.user, kind=kind)
    snapshot = snapshot_current(user=user, kind=SCREEN_SNAPSHOTS[kind])
    partial = request.headers.get("HX-Request") == "true"
    template = "analytics/screen.html#figures" if partial else "analytics/screen.html"
    context = {
        "kind": kind,
        "snapshot": snapshot,
        "figures": snapshot.payload,
        "refresh_seconds": REFRESH_SECONDS,
    }
    return render(request, template, context)


@require_GET
@login_required
def court_screen(request: HttpRequest) -> HttpResponse:
    return _screen(request, ScreenKind.COURT)


@require_GET
@login_required
def office_screen(request: HttpRequest) -> HttpResponse:
    return _screen(request, ScreenKind.OFFICE)
