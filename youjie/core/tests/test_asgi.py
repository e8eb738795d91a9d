"""The ASGI handler: a fixed set of long-lived request threads per process (decision 0005)."""

from __future__ import annotations

import asyncio
import io
import json
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.core.signals import request_finished, request_started
from django.db import connections
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.urls import path

from youjie.core.asgi import ExecutorPool, PooledASGIHandler


def scope(path: str = "/healthz", method: str = "GET", length: int = 0) -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver"), (b"content-length", str(length).encode())],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }


class Client:
    """One request as a server passes it on: its body messages, then an open connection."""

    def __init__(self, chunks: list[bytes] | None = None) -> None:
        self.chunks = list(chunks or [b""])
        self.sent: list[dict[str, Any]] = []
        self.body_sent = asyncio.Event()

    async def receive(self) -> dict[str, Any]:
        if self.chunks:
            body = self.chunks.pop(0)
            more = bool(self.chunks)
            if not more:
                self.body_sent.set()
            return {"type": "http.request", "body": body, "more_body": more}
        await asyncio.Event().wait()  # the client stays connected
        raise AssertionError("unreachable")

    async def send(self, message: dict[str, Any]) -> None:
        self.sent.append(message)

    @property
    def status(self) -> int:
        return int(next(m["status"] for m in self.sent if m["type"] == "http.response.start"))

    @property
    def body(self) -> bytes:
        return b"".join(m.get("body", b"") for m in self.sent if m["type"] == "http.response.body")


async def call(handler: PooledASGIHandler, path: str = "/healthz") -> tuple[int, bytes]:
    client = Client()
    await handler(scope(path), client.receive, client.send)
    return client.status, client.body


class Seen:
    """Per request, at request_started on the request's thread: the thread, the thread's
    database wrapper, and how many requests were inside their sync code at that moment."""

    def __init__(self) -> None:
        self.threads: list[int] = []
        self.wrappers: list[int] = []
        self.inside = 0
        self.most_inside = 0
        self.changed = threading.Condition()
        self.meet = 1  # a request waits (up to 0.3 s) until this many are inside

    def __call__(self, **kwargs: Any) -> None:
        with self.changed:
            self.threads.append(threading.get_ident())
            self.wrappers.append(id(connections["default"]))
            self.inside += 1
            self.most_inside = max(self.most_inside, self.inside)
            self.changed.notify_all()
            self.changed.wait_for(lambda: self.inside >= self.meet, timeout=0.3)
            self.inside -= 1


@pytest.fixture
def seen() -> Iterator[Seen]:
    receiver = Seen()
    request_started.connect(receiver, dispatch_uid="test_asgi_seen")
    yield receiver
    request_started.disconnect(dispatch_uid="test_asgi_seen")


@pytest.fixture
def finished() -> Iterator[list[int]]:
    """The thread of every request_finished, in order."""
    threads: list[int] = []

    def receiver(**kwargs: Any) -> None:
        threads.append(threading.get_ident())

    request_finished.connect(receiver, dispatch_uid="test_asgi_finished")
    yield threads
    request_finished.disconnect(dispatch_uid="test_asgi_finished")


def together(handler: PooledASGIHandler, count: int) -> list[tuple[int, bytes]]:
    async def run() -> list[tuple[int, bytes]]:
        return list(await asyncio.gather(*(call(handler) for _ in range(count))))

    return asyncio.run(run())


@pytest.mark.django_db(transaction=True)
def test_one_thread_serves_every_request_and_keeps_its_connection(seen):
    pool = ExecutorPool(size=1)
    handler = PooledASGIHandler(pool)
    try:

        async def three() -> list[tuple[int, bytes]]:
            return [await call(handler) for _ in range(3)]

        answers = asyncio.run(three())
        assert [status for status, _ in answers] == [200, 200, 200]
        assert json.loads(answers[0][1])["status"] == "ok"
        assert len(set(seen.threads)) == 1
        assert seen.threads[0] != threading.get_ident()  # not the event loop's thread
        assert len(set(seen.wrappers)) == 1  # the same connection wrapper: CONN_MAX_AGE holds

        # Four at once: one after another on the same thread, though each waits for company.
        seen.meet = 2
        assert [status for status, _ in together(handler, 4)] == [200] * 4
        assert set(seen.threads) == {seen.threads[0]}
        assert seen.most_inside == 1
        assert pool.made == 1 and pool.free == 1 and pool.waiting == 0
    finally:
        pool.close()


@pytest.mark.django_db(transaction=True)
def test_a_larger_pool_runs_that_many_requests_at_once_and_no_more(seen):
    pool = ExecutorPool(size=2)
    handler = PooledASGIHandler(pool)
    seen.meet = 3  # each request waits a moment for company: at most two ever arrive
    try:
        assert [status for status, _ in together(handler, 5)] == [200] * 5
        assert len(set(seen.threads)) == 2
        assert seen.most_inside == 2
        assert pool.made == 2 and pool.free == 2
    finally:
        pool.close()
    assert pool.free == 0


@pytest.mark.django_db(transaction=True)
def test_a_request_that_fails_gives_its_thread_up_and_a_new_one_is_made():
    pool = ExecutorPool(size=1)
    handler = PooledASGIHandler(pool)

    async def first_fails() -> tuple[int, bytes]:
        failing = Client()

        async def send(message: dict[str, Any]) -> None:
            raise OSError("the connection broke")

        with pytest.raises(OSError):
            await handler(scope(), failing.receive, send)
        return await call(handler)

    try:
        status, _ = asyncio.run(first_fails())
    finally:
        pool.close()
    assert status == 200
    assert pool.made == 2


@pytest.mark.django_db(transaction=True)
def test_the_body_is_read_before_a_thread_is_taken():
    pool = ExecutorPool(size=1)
    handler = PooledASGIHandler(pool)

    async def run() -> tuple[int, int]:
        slow = Client([b"a" * 10, b"b" * 10])
        gate = asyncio.Event()
        original = slow.receive

        async def receive() -> dict[str, Any]:
            if len(slow.chunks) == 1:
                await gate.wait()  # the upload stalls after its first chunk
            return await original()

        stalled = asyncio.create_task(
            handler(scope("/healthz", "POST", length=20), receive, slow.send)
        )
        await asyncio.sleep(0.05)
        status, _ = await call(handler)  # not stuck behind the stalled upload
        gate.set()
        await stalled
        return status, slow.status

    try:
        quick, stalled = asyncio.run(run())
    finally:
        pool.close()
    assert quick == 200
    assert stalled == 403  # the POST was answered (refused for its missing CSRF token)
    assert pool.made == 1


def test_a_client_that_leaves_during_the_body_takes_no_thread():
    pool = ExecutorPool(size=1)
    handler = PooledASGIHandler(pool)
    messages: list[dict[str, Any]] = [
        {"type": "http.request", "body": b"x", "more_body": True},
        {"type": "http.disconnect"},
    ]

    async def receive() -> dict[str, Any]:
        return messages.pop(0)

    async def send(message: dict[str, Any]) -> None:
        raise AssertionError("nothing is sent")

    asyncio.run(handler(scope("/healthz", "POST", length=10), receive, send))
    assert pool.made == 0


def test_a_waiting_request_that_is_cancelled_leaves_the_queue():
    pool = ExecutorPool(size=1)

    async def run() -> None:
        held = await pool.take()
        waiter = asyncio.create_task(pool.take())
        await asyncio.sleep(0)
        assert pool.waiting == 1
        waiter.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiter
        assert pool.waiting == 0
        pool.give_back(held)
        assert pool.free == 1

    asyncio.run(run())
    pool.close()


def test_a_thread_given_back_while_a_cancelled_request_unwinds_stays_free():
    pool = ExecutorPool(size=1)

    async def run() -> None:
        held = await pool.take()
        waiter = asyncio.create_task(pool.take())
        await asyncio.sleep(0)
        waiter.cancel()
        pool.give_back(held)  # before the cancelled request has run its except clause
        with pytest.raises(asyncio.CancelledError):
            await waiter
        assert pool.waiting == 0
        assert pool.free == 1

    asyncio.run(run())
    pool.close()


def test_only_http_is_handled():
    pool = ExecutorPool(size=1)
    handler = PooledASGIHandler(pool)
    with pytest.raises(ValueError, match="websocket"):
        asyncio.run(handler({"type": "websocket"}, None, None))
    assert pool.made == 0
    with pytest.raises(ValueError):
        ExecutorPool(size=0)


@pytest.mark.django_db(transaction=True)
def test_an_oversized_body_is_buffered_only_to_the_limit_and_refused(settings):
    settings.YOUJIE_MAX_REQUEST_BODY_BYTES = 100
    pool = ExecutorPool(size=1)
    handler = PooledASGIHandler(pool)
    chunks = [b"x" * 60] * 5
    client = Client(list(chunks))
    read_ahead: list[int] = []
    original = handler._read_ahead

    async def watched(receive: Any) -> Any:
        messages = await original(receive)
        assert messages is not None
        read_ahead.append(sum(len(message.get("body", b"")) for message in messages))
        return messages

    handler._read_ahead = watched  # type: ignore[method-assign]

    async def run() -> None:
        await handler(
            scope("/api/v1/desk/requests", "POST", length=300), client.receive, client.send
        )

    try:
        asyncio.run(run())
    finally:
        pool.close()
    assert read_ahead == [120]  # two chunks: past the limit, the rest is left to Django
    assert client.status == 413
    assert json.loads(client.body)["code"] == "payload_too_large"


class CountingExecutor(ThreadPoolExecutor):
    """A request thread that counts the calls handed to it (each a crossing from the loop)."""

    def __init__(self) -> None:
        super().__init__(max_workers=1, thread_name_prefix="request")
        self.calls = 0

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Any:
        self.calls += 1
        return super().submit(fn, *args, **kwargs)


@pytest.mark.django_db(transaction=True)
def test_a_request_crosses_to_its_thread_twice_and_runs_everything_there(seen, finished):
    pool = ExecutorPool(size=1)
    executor = CountingExecutor()
    pool._new = lambda: executor  # type: ignore[method-assign]
    handler = PooledASGIHandler(pool)
    try:
        # A page through the whole middleware chain, and a 404 (error logging) after it.
        statuses = asyncio.run(asyncio.wait_for(_two(handler), timeout=10))
    finally:
        pool.close()
    assert statuses == [200, 404]
    # The chain is built sync, as under WSGI: no async_to_sync back to the loop inside it.
    assert not asyncio.iscoroutinefunction(getattr(handler, "_middleware_chain"))  # noqa: B009
    # request_started + middleware + view in one call, the response's close in the other.
    assert executor.calls == 2 * 2 + 1  # + pool.close() closing the connections
    thread = seen.threads[0]
    assert set(seen.threads) == {thread} and set(finished) == {thread}
    assert thread != threading.get_ident()


async def _two(handler: PooledASGIHandler) -> list[int]:
    return [(await call(handler, path))[0] for path in ("/healthz", "/no-such-page/")]


# A URLconf of this module's own, for responses the project's pages do not give anonymously.
def _streamed(request: Any) -> StreamingHttpResponse:
    return StreamingHttpResponse(iter([b"first,", b"second,", b"third"]))


def _file(request: Any) -> FileResponse:
    return FileResponse(io.BytesIO(b"%PDF-1.4 " + b"x" * 70_000), filename="a.pdf")


def _slow(request: Any) -> HttpResponse:
    time.sleep(0.3)
    return HttpResponse(b"late")


urlpatterns = [path("streamed/", _streamed), path("file/", _file), path("slow/", _slow)]


@pytest.mark.django_db(transaction=True)
@pytest.mark.filterwarnings("ignore:StreamingHttpResponse must consume synchronous iterators")
def test_streamed_and_file_responses_are_sent_whole_and_closed_on_the_request_thread(
    settings, finished
):
    settings.ROOT_URLCONF = __name__
    pool = ExecutorPool(size=1)
    handler = PooledASGIHandler(pool)
    try:

        async def both() -> list[tuple[int, bytes]]:
            return [await call(handler, "/streamed/"), await call(handler, "/file/")]

        (streamed_status, streamed), (file_status, body) = asyncio.run(both())
        request_thread = pool._free[0].submit(threading.get_ident).result()
    finally:
        pool.close()
    assert (streamed_status, streamed) == (200, b"first,second,third")
    assert file_status == 200 and body == b"%PDF-1.4 " + b"x" * 70_000
    assert finished == [request_thread, request_thread]


@pytest.mark.django_db(transaction=True)
def test_a_client_that_leaves_while_its_view_runs_gets_nothing_and_the_thread_serves_on(
    settings, finished
):
    settings.ROOT_URLCONF = __name__
    pool = ExecutorPool(size=1)
    handler = PooledASGIHandler(pool)
    sent: list[dict[str, Any]] = []

    async def run() -> tuple[int, bytes]:
        messages: list[dict[str, Any]] = [
            {"type": "http.request", "body": b"", "more_body": False},
            {"type": "http.disconnect"},
        ]

        async def receive() -> dict[str, Any]:
            if len(messages) == 1:
                await asyncio.sleep(0.05)  # the client leaves while the view sleeps
            return messages.pop(0)

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        await handler(scope("/slow/"), receive, send)
        return await call(handler, "/streamed/")  # the same thread, after the slow view

    try:
        with pytest.warns(Warning, match="synchronous iterators"):
            status, body = asyncio.run(asyncio.wait_for(run(), timeout=10))
    finally:
        pool.close()
    assert sent == []  # nothing was sent to the client that left
    assert (status, body) == (200, b"first,second,third")
    assert len(finished) == 2  # the abandoned request's end was signalled too
    assert pool.made == 1
