"""WebSocket routes: the desk's incoming-call screen-pop (more apps add theirs here)."""

from __future__ import annotations

from typing import Any

from youjie.inbound.routing import websocket_urlpatterns as inbound_websocket_urlpatterns

websocket_urlpatterns: list[Any] = [*inbound_websocket_urlpatterns]
