"""The ASGI handler keeps each request's thread, and with it the database connection."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.signals import request_started
from django.db import connections

from youjie.core.asgi import ExecutorPool, PooledASGIHandler


def scope(path: str = "/healthz") -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver")],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }


async def call(handler: PooledASGIHandler, path: str = "/healthz") -> tuple[int, bytes]:
    """One request through the handler as a server sends it; the status and body."""
    sent: list[dict[str, Any]] = []
    delivered = asyncio.Event()

    async def receive() -> dict[str, Any]:
        if not delivered.is_set():
            delivered.set()
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.Event().wait()  # the client stays connected
        raise AssertionError("unreachable")

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await handler(scope(path), receive, send)
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], body


class Seen:
    """Per request (at request_started, on the request's thread): the thread and the
    thread's database wrapper."""

    def __init__(self, barrier: threading.Barrier | None = None) -> None:
        self.threads: list[int] = []
        self.wrappers: list[int] = []
        self.barrier = barrier

    def __call__(self, **kwargs: Any) -> None:
        self.threads.append(threading.get_ident())
        self.wrappers.append(id(connections["default"]))
        if self.barrier is not None:
            self.barrier.wait(timeout=10)


@pytest.fixture
def pool() -> Iterator[ExecutorPool]:
    made = ExecutorPool(keep=4)
    yield made
    made.close()


@pytest.fixture
def seen() -> Iterator[Seen]:
    receiver = Seen()
    request_started.connect(receiver, dispatch_uid="test_asgi_seen")
    yield receiver
    request_started.disconnect(dispatch_uid="test_asgi_seen")


@pytest.mark.django_db(transaction=True)
def test_requests_one_after_another_share_one_thread_and_its_connection(pool, seen):
    handler = PooledASGIHandler(pool)

    async def three() -> list[tuple[int, bytes]]:
        return [await call(handler) for _ in range(3)]

    answers = asyncio.run(three())
    assert [status for status, _ in answers] == [200, 200, 200]
    assert json.loads(answers[0][1])["status"] == "ok"
    assert len(set(seen.threads)) == 1
    assert seen.threads[0] != threading.get_ident()  # not the event loop's thread
    assert len(set(seen.wrappers)) == 1
    assert pool.made == 1 and pool.idle == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_each_have_a_thread_and_the_threads_are_kept(pool, seen):
    # Each request waits at request_started until all three are there: on one shared
    # thread they could not meet, and the barrier would break (a 500).
    seen.barrier = threading.Barrier(3)
    handler = PooledASGIHandler(pool)

    async def together() -> list[tuple[int, bytes]]:
        return list(await asyncio.gather(*(call(handler) for _ in range(3))))

    assert [status for status, _ in asyncio.run(together())] == [200, 200, 200]
    assert len(set(seen.threads)) == 3
    assert pool.made == 3 and pool.idle == 3

    seen.barrier = None
    threads_before = set(seen.threads)
    assert [status for status, _ in asyncio.run(together())] == [200, 200, 200]
    assert set(seen.threads[3:]) <= threads_before  # no new thread
    assert pool.made == 3


@pytest.mark.django_db(transaction=True)
def test_no_more_idle_threads_are_kept_than_the_pool_keeps(seen):
    pool = ExecutorPool(keep=1)
    seen.barrier = threading.Barrier(3)
    handler = PooledASGIHandler(pool)

    async def together() -> list[tuple[int, bytes]]:
        return list(await asyncio.gather(*(call(handler) for _ in range(3))))

    try:
        assert [status for status, _ in asyncio.run(together())] == [200, 200, 200]
        assert pool.made == 3 and pool.idle == 1
    finally:
        pool.close()
    assert pool.idle == 0


def test_a_request_that_fails_does_not_give_its_thread_back(pool):
    handler = PooledASGIHandler(pool)

    async def failing_receive() -> dict[str, Any]:
        raise OSError("the connection broke")

    async def send(message: dict[str, Any]) -> None:
        raise AssertionError("nothing is sent")

    with pytest.raises(OSError):
        asyncio.run(handler(scope(), failing_receive, send))
    assert pool.made == 1 and pool.idle == 0


def test_only_http_is_handled(pool):
    handler = PooledASGIHandler(pool)
    with pytest.raises(ValueError, match="websocket"):
        asyncio.run(handler({"type": "websocket"}, None, None))
    assert pool.made == 0
