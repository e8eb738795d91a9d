"""ASGI entry point: HTTP through Django's stock handler, WebSockets through Channels.

`make run` serves this one application on one address (uvicorn). A deployment may serve HTTP
through `config/wsgi.py` under gunicorn's threaded workers and keep this process for `/ws/`
(docs/decisions/0007, docs/subsystems/deployment.md).
"""

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

from django.core.asgi import get_asgi_application

from youjie.core.warmup import skip_unused_clients, warm_up

# Before Django loads the apps: no Redis or PostgreSQL client where no setting uses one.
skip_unused_clients()

# Django is set up first: the routing below imports models.
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from config.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
        ),
    }
)
warm_up()
