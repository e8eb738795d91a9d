"""Settings of the benchmark server: the development settings with DEBUG off and one extra URL.

Only ``bench/run.py`` uses this module (``DJANGO_SETTINGS_MODULE=bench.settings``), so nothing in
``config/`` knows about benchmarks. The database comes from ``DATABASE_URL`` as usual
(``var/bench.sqlite3``, a separate file from the development database).
"""

from __future__ import annotations

from config.settings.dev import *  # noqa: F403
from config.settings.dev import HUEY, INSTALLED_APPS, VAR_DIR

DEBUG = False
ROOT_URLCONF = "bench.urls"
# The desk figures dashboard is measured too, whether or not the lead has installed it yet.
if "youjie.analytics" not in INSTALLED_APPS:
    INSTALLED_APPS = [*INSTALLED_APPS, "youjie.analytics"]
# The benchmark's task queue is its own: its notifications' "send soon" kicks must not land in
# the development queue (var/huey.sqlite3), whose consumer `make run` starts.
if HUEY.get("huey_class") == "huey.SqliteHuey":
    HUEY = {**HUEY, "filename": str(VAR_DIR / "bench-huey.sqlite3")}
