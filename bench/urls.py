"""The application's URLs plus two reference views that do no application work.

``/bench/bare`` is the ceiling of issue 3's W1 target: a Django view that does nothing. It runs
through the same server, the same middleware stack and the same settings as every page, so that
"X% of the bare view's rate" measures what the application itself costs.

``/bench/bare-write`` is a second reference, for information: a POST view that parses the same
JSON body as an API registration and commits it as one row in one transaction (table
``bench_write``, made by ``bench/run.py``). It is the smallest write a create can be, and so
shows how much of a registration's cost is the database's commit rather than the application.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import cast

from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import URLPattern, URLResolver, include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from config.urls import handler400, handler403, handler404, handler500  # noqa: F401
from config.urls import urlpatterns as application_urls


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok", content_type="text/plain")


@csrf_exempt  # called with a body and no session, as the API is
@require_POST
def bare_write(request: HttpRequest) -> HttpResponse:
    try:
        body = json.loads(request.body)
    except ValueError:
        return JsonResponse({"code": "invalid_json"}, status=400)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bench_write (body, created_at) VALUES (%s, %s) RETURNING id",
            [json.dumps(body, ensure_ascii=False), datetime.now(UTC).isoformat()],
        )
        row_id = cursor.fetchone()[0]
    return JsonResponse({"id": row_id}, status=201)


urlpatterns: list[URLPattern | URLResolver] = [
    path("bench/bare", bare),
    path("bench/bare-write", bare_write),
    *cast(list[URLPattern | URLResolver], application_urls),
]
if not any(getattr(pattern, "namespace", None) == "analytics" for pattern in application_urls):
    urlpatterns.append(path("analytics/", include("youjie.analytics.urls")))
