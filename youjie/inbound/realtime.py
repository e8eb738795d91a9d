"""Pushes to staff screens over the channel layer (Channels groups ``user.<id>``/``unit.<id>``).

Only the call event's id travels through the layer: each receiving socket builds its own
screen-pop, scoped by its own user (youjie.inbound.selectors.screen_pop_get), so that nothing a
recipient may not see is ever put on the wire — not even into Redis.
"""

from __future__ import annotations

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

logger = logging.getLogger("youjie.inbound")

CALL_INCOMING = "call.incoming"


def call_incoming_push(*, group: str, call_event_id: int) -> None:
    """Tell the sockets in ``group`` that a call came in. Runs after the commit (on_commit)."""
    layer = get_channel_layer()
    if layer is None:
        logger.warning(
            "no channel layer configured: screen-pop for call %s not sent", call_event_id
        )
        return
    async_to_sync(layer.group_send)(group, {"type": CALL_INCOMING, "call_event_id": call_event_id})
