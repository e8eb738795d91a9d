"""channels.testing without daphne.

``channels.testing/__init__`` imports ``ChannelsLiveServerTestCase``, which needs daphne; this
project serves ASGI with uvicorn and does not install daphne. When daphne is missing, a stub
``daphne.testing`` is registered while channels.testing is imported, so that the real
``WebsocketCommunicator`` can be used (the live-server test case is not). With daphne
installed this does nothing.
"""

from __future__ import annotations

import importlib.util
import sys
import types

_STUBBED = importlib.util.find_spec("daphne") is None
if _STUBBED:
    daphne = types.ModuleType("daphne")
    daphne_testing = types.ModuleType("daphne.testing")

    class DaphneProcess:  # placeholder: ChannelsLiveServerTestCase is not used
        def __init__(self, *args: object, **kwargs: object) -> None:
            raise RuntimeError("daphne is not installed")

    daphne_testing.DaphneProcess = DaphneProcess  # type: ignore[attr-defined]
    daphne.testing = daphne_testing  # type: ignore[attr-defined]
    sys.modules["daphne"] = daphne
    sys.modules["daphne.testing"] = daphne_testing

from channels.testing.websocket import WebsocketCommunicator  # noqa: E402

if _STUBBED:
    # Only channels.testing.live holds on to the placeholder; nothing else may see a "daphne".
    sys.modules.pop("daphne.testing", None)
    sys.modules.pop("daphne", None)

__all__ = ["WebsocketCommunicator"]
