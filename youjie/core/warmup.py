"""Work a server process does once, before its first request, instead of during one.

``config/wsgi.py`` and ``config/asgi.py`` first call ``skip_unused_clients()``, before Django
loads the apps: huey's storage module imports the Redis and PostgreSQL client libraries
whenever they are installed (its RedisHuey and its other storages may need them), and a
server process configured for neither would carry them — 5.7 MB for ``redis`` and 9.9 MB for
``psycopg`` with its bundled libpq and OpenSSL, of a worker's 150 MB (issue 11, measured with
``/proc/self/status`` around each import). Each is left out only when no setting names its
service: no ``REDIS_URL`` (Channels, huey and the cache then use no Redis), no PostgreSQL
database. ``sys.modules[name] = None`` is Python's documented way to make ``import name`` raise
ImportError, which huey's optional imports expect (they fall back to None).

``config/asgi.py`` calls ``warm_up()`` in every worker process:

- the URL configuration is imported and the jieba-rs dictionary (≈0.3 s) is loaded now,
  not by whichever request happens to come first;
- then ``gc.freeze()`` moves everything loaded so far — Django, the URL patterns, the
  schemas — out of the garbage collector's reach. Without it every full collection walks those
  objects again, which shows as a pause of milliseconds in the slowest requests. Objects
  created by requests are collected as before.

It also shortens the interpreter's thread switch interval (5 ms by default) to
``YOUJIE_SWITCH_INTERVAL``: a worker's event loop, which reads requests and writes responses,
waits for the thread running Django's views to hand over the interpreter; with 5 ms a finished
response could sit that long behind the next request's work.
"""

from __future__ import annotations

import gc
import logging
import sys

from django.conf import settings
from django.urls import get_resolver

logger = logging.getLogger(__name__)


def skip_unused_clients() -> None:
    """Keep the client libraries of services this process is not configured to use out of it
    (see above). Call before ``django.setup()``; a library already imported is left alone."""
    if not getattr(settings, "REDIS_URL", None):
        sys.modules.setdefault("redis", None)  # type: ignore[arg-type]
    engines = {database["ENGINE"] for database in settings.DATABASES.values()}
    if not any("postgresql" in engine for engine in engines):
        sys.modules.setdefault("psycopg", None)  # type: ignore[arg-type]


def warm_up() -> None:
    if not getattr(settings, "YOUJIE_WARM_UP", True):
        return
    get_resolver().url_patterns  # noqa: B018 - importing every URLconf module is the point
    from youjie.core.textsearch import segment

    segment("诉讼保全")
    sys.setswitchinterval(float(getattr(settings, "YOUJIE_SWITCH_INTERVAL", 0.0005)))
    gc.collect()
    gc.freeze()
    logger.info("warmed up: %d objects frozen", gc.get_freeze_count())
