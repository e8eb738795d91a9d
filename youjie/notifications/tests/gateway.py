"""A real HTTP SMS gateway on 127.0.0.1 speaking the protocol of transports.HttpSmsTransport.

It verifies every signature, records each accepted message (duplicates included, so tests can
assert "exactly once"), answers /status/{msgid}, and can be told to fail, to delay its answer,
or to hold the n-th POST (before or after recording it) while a test kills the sender.
"""

from __future__ import annotations

import hmac
import json
import threading
import time
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal
from urllib.parse import unquote

from youjie.notifications.transports import sms_signature

HOLD_LIMIT_SECONDS = 30


@dataclass(frozen=True)
class Received:
    msgid: str
    mobile: str
    content: str


class FakeSmsGateway:
    def __init__(self, *, key: str = "gateway-secret") -> None:
        self.key = key
        self.lock = threading.Lock()
        self.received: list[Received] = []
        self.posts = 0
        self.status_queries: list[str] = []
        self.rejected_signatures = 0
        self.fail_next: deque[int] = deque()
        self.delay_seconds = 0.0
        self.hold_post: int | None = None
        self.hold_mode: Literal["after_record", "before_record"] = "after_record"
        self.held = threading.Event()
        self.release = threading.Event()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self.server.daemon_threads = True
        self._thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}/sms"

    def start(self) -> FakeSmsGateway:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=5)

    def count(self, msgid: str) -> int:
        with self.lock:
            return sum(1 for item in self.received if item.msgid == msgid)

    def msgids(self) -> list[str]:
        with self.lock:
            return [item.msgid for item in self.received]


def _handler_for(gateway: FakeSmsGateway) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            return

        def _answer(self, status: int, payload: dict[str, Any]) -> None:
            data = json.dumps(payload).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except OSError:
                pass  # the sender was killed while we held its request

        def _signed(self, body: bytes) -> bool:
            timestamp = self.headers.get("X-Timestamp", "")
            signature = self.headers.get("X-Signature", "")
            fresh = timestamp.isdigit() and abs(time.time() - int(timestamp)) < 300
            expected = sms_signature(key=gateway.key, timestamp=timestamp, body=body)
            if fresh and hmac.compare_digest(expected, signature):
                return True
            with gateway.lock:
                gateway.rejected_signatures += 1
            return False

        def do_POST(self) -> None:
            with gateway.lock:
                gateway.posts += 1
                number = gateway.posts
            hold = gateway.hold_post == number
            if hold and gateway.hold_mode == "before_record":
                # The request never "arrives": hold it unread, then drop the connection.
                gateway.held.set()
                gateway.release.wait(HOLD_LIMIT_SECONDS)
                self.close_connection = True
                return
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if self.path != "/sms":
                self._answer(404, {"code": 404})
                return
            if not self._signed(body):
                self._answer(401, {"code": 401, "message": "bad signature"})
                return
            with gateway.lock:
                failure = gateway.fail_next.popleft() if gateway.fail_next else None
            if failure is not None:
                self._answer(failure, {"code": failure, "message": "told to fail"})
                return
            payload = json.loads(body)
            with gateway.lock:
                gateway.received.append(
                    Received(payload["msgid"], payload["mobile"], payload["content"])
                )
            if hold:
                gateway.held.set()
                gateway.release.wait(HOLD_LIMIT_SECONDS)
            if gateway.delay_seconds:
                time.sleep(gateway.delay_seconds)
            self._answer(200, {"code": 0, "id": f"gw-{number}"})

        def do_GET(self) -> None:
            prefix = "/sms/status/"
            if not self.path.startswith(prefix):
                self._answer(404, {"code": 404})
                return
            if not self._signed(b""):
                self._answer(401, {"code": 401})
                return
            msgid = unquote(self.path[len(prefix) :])
            with gateway.lock:
                gateway.status_queries.append(msgid)
                known = any(item.msgid == msgid for item in gateway.received)
            if known:
                self._answer(200, {"status": "accepted"})
            else:
                self._answer(404, {"status": "unknown"})

    return Handler
