"""Django's ASGI handler with a fixed set of request threads per server process.

Django's ``ASGIHandler`` runs each request in ``ThreadSensitiveContext()``: the request's sync
code (all our middleware and views are sync) runs on a single-thread executor made for that
request, and when the request ends the executor is shut down from one more new thread. So every
request started two threads; because Django's database connections are thread-local
(``ConnectionHandler.thread_critical``), every request also opened a new database connection,
and ``CONN_MAX_AGE`` had no effect under the ASGI server. And every request in flight got a
thread of its own: four requests in a process ran at once, taking turns at the interpreter
lock every few hundred microseconds, so each took four times as long to finish and the turns
themselves cost CPU.

``PooledASGIHandler`` runs each request's sync code on one of ``size`` long-lived
single-thread executors (``ThreadSensitiveContext(executor=…)``, asgiref ≥ 3.10). A request
that finds them all busy waits for the first one free, in order of arrival: with the default
size of 1 a process serves its requests one after another, as a WSGI worker does, while its
event loop goes on accepting connections and serving WebSockets (decision 0005). The threads
and their database connections are reused; ``close_old_connections`` still runs at the start
and the end of every request, so a connection past ``CONN_MAX_AGE`` or broken by an error is
closed as under WSGI. An executor whose request did not end normally is shut down and replaced.

The handler also builds the middleware chain sync, as WSGI does, and runs ``request_started``,
the middleware and the view in a single call on the request thread: Django's own ASGI path
crossed between the loop and the request thread five times a request (the signal, the chain,
back to the loop for the one async-capable middleware and the async core, the view, the close),
about half a millisecond of a bare view's 1.1 ms in process. Now it crosses twice (the
response, then its close).

Everything here runs on the event loop's thread, so the pool needs no lock.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import django
from asgiref.sync import ThreadSensitiveContext, sync_to_async
from django.conf import settings
from django.core import signals
from django.core.exceptions import RequestAborted
from django.core.handlers.asgi import ASGIHandler, get_script_prefix
from django.db import connections
from django.http import FileResponse, HttpResponseBase
from django.urls import set_script_prefix


class ExecutorPool:
    """At most ``size`` single-thread executors; free ones are handed out most recent first."""

    def __init__(self, size: int = 1) -> None:
        if size < 1:
            raise ValueError("a pool needs at least one thread")
        self.size = size
        self.made = 0  # executors made so far (tests and diagnostics)
        self._live = 0
        self._free: list[ThreadPoolExecutor] = []
        self._waiting: deque[asyncio.Future[ThreadPoolExecutor]] = deque()

    def _new(self) -> ThreadPoolExecutor:
        self.made += 1
        self._live += 1
        return ThreadPoolExecutor(max_workers=1, thread_name_prefix="request")

    async def take(self) -> ThreadPoolExecutor:
        if self._free:
            return self._free.pop()
        if self._live < self.size:
            return self._new()
        waiter: asyncio.Future[ThreadPoolExecutor] = asyncio.get_running_loop().create_future()
        self._waiting.append(waiter)
        try:
            return await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                self.give_back(waiter.result())  # handed over just as the request went away
            elif waiter in self._waiting:  # give_back may have dropped it already
                self._waiting.remove(waiter)
            raise

    def give_back(self, executor: ThreadPoolExecutor) -> None:
        while self._waiting:
            waiter = self._waiting.popleft()
            if not waiter.done():
                waiter.set_result(executor)
                return
        self._free.append(executor)

    def discard(self, executor: ThreadPoolExecutor) -> None:
        """Shut ``executor`` down (its request failed); a waiting request gets a new one."""
        executor.shutdown(wait=False)
        self._live -= 1
        if self._waiting:
            self.give_back(self._new())

    def close(self) -> None:
        """End every free executor's thread, closing its database connections first."""
        free, self._free = self._free, []
        for executor in free:
            executor.submit(connections.close_all).result()
            executor.shutdown(wait=True)
            self._live -= 1

    @property
    def free(self) -> int:
        return len(self._free)

    @property
    def waiting(self) -> int:
        return len(self._waiting)


class PooledASGIHandler(ASGIHandler):
    def __init__(self, pool: ExecutorPool | None = None) -> None:
        super().__init__()
        self.pool = pool if pool is not None else ExecutorPool(settings.YOUJIE_REQUEST_THREADS)

    def load_middleware(self, is_async: bool = False) -> None:
        """The middleware chain as WSGI builds it: sync from end to end.

        Django's ASGI handler builds an async chain around an async core (URL resolution and
        the view call). Our middleware is sync, but one (django-axes, innermost) is also
        async-capable, so every request crossed from its request thread to the event loop and
        back twice: sync middleware → ``async_to_sync`` → Axes and the core on the loop →
        ``sync_to_async`` → the sync view, on the request thread again. Built sync, the whole
        chain runs in one call on the request thread (``_start_and_respond`` below; Django's
        ``get_response_async`` is not used); an async view or middleware, if one comes, is
        adapted by Django as under WSGI."""
        super().load_middleware(is_async=False)

    def _start_and_respond(self, scope: dict[str, Any], body_file: Any) -> HttpResponseBase:
        """On the request thread: ``request_started``, the request, the response."""
        signals.request_started.send(sender=self.__class__, scope=scope)
        request, error_response = self.create_request(scope, body_file)
        if request is None:
            assert error_response is not None
            return error_response
        response = self.get_response(request)
        response._handler_class = self.__class__  # type: ignore[attr-defined]
        if isinstance(response, FileResponse):
            response.block_size = self.chunk_size
        return response

    async def handle(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        """Django's ``ASGIHandler.handle`` (5.2) with one crossing to the request thread for
        the response instead of three (the ``request_started`` receivers, then the request,
        were each a ``sync_to_async`` call of their own); the disconnect handling is Django's.
        """
        try:
            body_file = await self.read_body(receive)
        except RequestAborted:
            return
        set_script_prefix(get_script_prefix(scope))
        respond = sync_to_async(self._start_and_respond, thread_sensitive=True)

        async def process_request() -> HttpResponseBase:
            response = await respond(scope, body_file)
            with contextlib.suppress(asyncio.CancelledError):  # the client went away
                await self.send_response(response, send)
            return response

        # The listener first, so that it is checked (and cancelled) before the request.
        listener = asyncio.create_task(self.listen_for_disconnect(receive))
        processor = asyncio.create_task(process_request())
        tasks: list[asyncio.Task[Any]] = [listener, processor]
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        for task in tasks:
            if task.done():
                try:
                    task.result()
                except RequestAborted:
                    pass  # a client disconnect
                except AssertionError:
                    body_file.close()
                    raise
            else:
                task.cancel()  # views may handle cancellation
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        try:
            response = processor.result()
        except asyncio.CancelledError:
            await signals.request_finished.asend(sender=self.__class__)
        else:
            await sync_to_async(response.close, thread_sensitive=True)()
        body_file.close()

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}.")
        # The body first, so that a slow upload holds no request thread while it arrives.
        received = await self._read_ahead(receive)
        if received is None:
            return  # the client went away before the request was complete

        async def replay() -> Any:
            if received:
                return received.popleft()
            return await receive()

        executor = await self.pool.take()
        try:
            async with ThreadSensitiveContext(executor=executor):
                await self.handle(scope, replay, send)
        except BaseException:
            self.pool.discard(executor)
            raise
        self.pool.give_back(executor)

    @staticmethod
    async def _read_ahead(receive: Any) -> deque[Any] | None:
        """The request's body messages, up to the request size limit (past it Django reads
        on and the size limit middleware refuses the request); None if the client left."""
        limit = settings.YOUJIE_MAX_REQUEST_BODY_BYTES
        messages: deque[Any] = deque()
        size = 0
        while size <= limit:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            messages.append(message)
            size += len(message.get("body", b""))
            if not message.get("more_body", False):
                break
        return messages


def get_asgi_application() -> PooledASGIHandler:
    """``django.core.asgi.get_asgi_application`` with the pooled handler."""
    django.setup(set_prefix=False)
    return PooledASGIHandler()
