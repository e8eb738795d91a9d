"""The staff screen-pop socket (ws/desk/calls/): forwards "call.incoming" to desk staff."""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from youjie.inbound.screenpop import screen_pop_payload
from youjie.inbound.selectors import screen_pop_groups

# Application close code: "not allowed" — the page script stops reconnecting on it.
CLOSE_FORBIDDEN = 4403


class CallScreenPopConsumer(AsyncJsonWebsocketConsumer):  # type: ignore[misc]
    joined: list[str]
    user_id: int

    async def connect(self) -> None:
        user = self.scope.get("user")
        self.joined = await database_sync_to_async(screen_pop_groups)(
            user=user, session=self.scope.get("session")
        )
        await self.accept()
        if not self.joined:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.user_id = int(user.pk)
        for group in self.joined:
            await self.channel_layer.group_add(group, self.channel_name)

    async def disconnect(self, code: int) -> None:
        for group in getattr(self, "joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        """The socket is push-only: whatever a client sends is ignored."""

    async def call_incoming(self, event: dict[str, Any]) -> None:
        payload = await database_sync_to_async(screen_pop_payload)(
            user_id=self.user_id, call_event_id=int(event["call_event_id"])
        )
        if payload is not None:
            await self.send_json(payload)
