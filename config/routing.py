"""WebSocket routes. Apps add their consumers here (desk screen-pop, case groups)."""

from __future__ import annotations

from typing import Any

websocket_urlpatterns: list[Any] = []
