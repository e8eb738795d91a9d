"""WSGI entry point: HTTP through Django's stock handler (gunicorn; docs/decisions/0007)."""

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

from django.core.wsgi import get_wsgi_application

from youjie.core.warmup import skip_unused_clients, warm_up

# Before Django loads the apps: no Redis or PostgreSQL client where no setting uses one.
skip_unused_clients()

application = get_wsgi_application()
warm_up()
