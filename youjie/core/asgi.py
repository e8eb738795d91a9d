"""Django's ASGI handler with request threads kept between requests.

Django's ``ASGIHandler`` runs each request in ``ThreadSensitiveContext()``: the request's sync
code (all our middleware and views are sync) runs on a single-thread executor made for that
request, and when the request ends the executor is shut down from one more new thread. So every
request started two threads, and because Django's database connections are thread-local
(``ConnectionHandler.thread_critical``), every request also opened a new database connection:
``CONN_MAX_AGE`` had no effect under the ASGI server. On SQLite a new connection (Django's SQL
functions, the PRAGMAs, reading the schema) costs more than a list page's queries.

``PooledASGIHandler`` gives each request an executor from a small pool instead
(``ThreadSensitiveContext(executor=…)``, asgiref ≥ 3.10): one request still has one thread of
its own while it runs, so concurrency is as before, but the threads and their connections are
reused. ``close_old_connections`` still runs at the start and the end of every request, so a
connection past ``CONN_MAX_AGE`` or left unusable by an error is closed as under WSGI.

An executor goes back to the pool only when its request ended normally; otherwise it is shut
down (its thread ends and its connection is closed when the thread's storage is released).
At most ``keep`` idle executors are kept; a burst beyond that makes new ones and lets them go.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import django
from asgiref.sync import ThreadSensitiveContext
from django.core.handlers.asgi import ASGIHandler
from django.db import connections

DEFAULT_KEEP = 16


class ExecutorPool:
    """Idle single-thread executors, most recently used first (its thread is the warmest)."""

    def __init__(self, keep: int = DEFAULT_KEEP) -> None:
        self.keep = keep
        self._idle: list[ThreadPoolExecutor] = []
        self._lock = threading.Lock()
        self.made = 0  # executors made so far (for tests and diagnostics)

    def take(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._idle:
                return self._idle.pop()
            self.made += 1
        return ThreadPoolExecutor(max_workers=1, thread_name_prefix="request")

    def give_back(self, executor: ThreadPoolExecutor) -> None:
        with self._lock:
            if len(self._idle) < self.keep:
                self._idle.append(executor)
                return
        executor.shutdown(wait=False)

    def discard(self, executor: ThreadPoolExecutor) -> None:
        executor.shutdown(wait=False)

    def close(self) -> None:
        """End every idle executor's thread, closing its database connections first."""
        with self._lock:
            idle, self._idle = self._idle, []
        for executor in idle:
            executor.submit(connections.close_all).result()
            executor.shutdown(wait=True)

    @property
    def idle(self) -> int:
        return len(self._idle)


class PooledASGIHandler(ASGIHandler):
    def __init__(self, pool: ExecutorPool | None = None) -> None:
        super().__init__()
        self.pool = pool if pool is not None else ExecutorPool()

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}.")
        executor = self.pool.take()
        try:
            async with ThreadSensitiveContext(executor=executor):
                await self.handle(scope, receive, send)
        except BaseException:
            self.pool.discard(executor)
            raise
        self.pool.give_back(executor)


def get_asgi_application() -> PooledASGIHandler:
    """``django.core.asgi.get_asgi_application`` with the pooled handler."""
    django.setup(set_prefix=False)
    return PooledASGIHandler()
