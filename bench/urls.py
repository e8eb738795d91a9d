"""The application's URLs plus ``/bench/bare``: the ceiling, a Django view that does nothing.

The bare view runs through the same server, the same middleware stack and the same settings as
every page, so that "X% of the bare view's rate" measures what the application itself costs.
"""

from __future__ import annotations

from typing import cast

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, include, path

from config.urls import handler400, handler403, handler404, handler500  # noqa: F401
from config.urls import urlpatterns as application_urls


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns: list[URLPattern | URLResolver] = [
    path("bench/bare", bare),
    *cast(list[URLPattern | URLResolver], application_urls),
]
if not any(getattr(pattern, "namespace", None) == "analytics" for pattern in application_urls):
    urlpatterns.append(path("analytics/", include("youjie.analytics.urls")))
