"""WebSocket routes of the inbound app; config/routing.py adds them to the project's list."""

from __future__ import annotations

from typing import Any

from django.urls import path

from youjie.inbound.consumers import CallScreenPopConsumer

websocket_urlpatterns: list[Any] = [
    path("ws/desk/calls/", CallScreenPopConsumer.as_asgi(), name="inbound_call_screenpop"),
]
