"""CPU per request of the benchmark's workloads, in process, through Django's ASGI handler.

    .venv/bin/python bench/measure.py [--rounds 5] [--count 40] [--only bare,W1,W2,W3,W3b,W4]

The wall-clock figures of ``bench/run.py`` move by ±30 % on these shared machines from one run to
the next; the CPU time a request costs moves much less. This drives the same requests as the
benchmark through the server's own ASGI application (``config.asgi.application``, called with the
messages uvicorn sends: the handler, its request threads, the middleware, the views — everything
the server does except the socket and the HTTP parser) and prints,
per workload, the smallest of ``--rounds`` means of CPU milliseconds per request and the number of
SQL statements. Use it to compare a change with the one before; use ``make bench`` for figures.
Reads and writes var/bench.sqlite3 (W1 creates requests).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}")
os.environ["DJANGO_SETTINGS_MODULE"] = os.environ.get("BENCH_SETTINGS", "bench.settings")
os.environ["DJANGO_DEBUG"] = "0"


class _Counter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.count += 1
        return execute(sql, params, many, context)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--count", type=int, default=40)
    parser.add_argument("--only", default="bare,W1,W2,W3,W3b,W4")
    args = parser.parse_args(argv)
    import logging

    import django

    django.setup()
    logging.disable(logging.INFO)
    from youjie.core.warmup import warm_up

    warm_up()  # as every server worker does (config/asgi.py)
    from django.conf import settings
    from django.core.signals import request_started
    from django.db import connections
    from django.test import Client

    from bench.textpool import documents
    from youjie.desk.models import ServiceRequest
    from youjie.orgs.models import OrgUnit, User
    from youjie.orgs.services import api_token_create

    def session_cookie(username: str) -> str:
        client = Client()
        client.force_login(
            User.objects.get(username=username), backend=settings.AUTHENTICATION_BACKENDS[-1]
        )
        return str(client.cookies[settings.SESSION_COOKIE_NAME].value)

    divhead_cookie, reception_cookie = session_cookie("divhead"), session_cookie("reception")
    head = User.objects.get(username="divhead")
    ids = list(
        ServiceRequest.objects.filter(division_id=head.org_unit_id, status="closed")
        .order_by("-id")
        .values_list("id", flat=True)[:200]
    )
    wanted = [name.strip() for name in args.only.split(",") if name.strip()]
    raw_token = ""
    if "W1" in wanted:  # the only write before the measurement; pages need no token
        raw_token = api_token_create(
            name=f"bench-measure-{time.time_ns()}",
            org_unit=OrgUnit.objects.get(code="BT-BYEB-FY"),
        )[1]
    connections.close_all()
    texts = documents(200, seed=99)
    run_id = int(time.time())

    def page(cookie: str, path: Callable[[int], str]) -> Callable[[int], Awaitable[int]]:
        async def call(n: int) -> int:
            headers = [(b"cookie", f"{settings.SESSION_COOKIE_NAME}={cookie}".encode())]
            return await asgi_call("GET", path(n), headers if cookie else [])

        return call

    async def create(n: int) -> int:
        document = texts[n % len(texts)]
        body = {
            "channel": "api",
            "matter_type": ["filing_consult", "divorce_filing", "enforcement_demand", "errand"][
                n % 4
            ],
            "title": document.title,
            "content": document.content,
            "requester_name": "测试",
            "requester_mobile": f"197{(run_id * 1000 + n) % 10**8:08d}",
        }
        return await asgi_call(
            "POST",
            "/api/v1/desk/requests",
            [
                (b"content-type", b"application/json"),
                (b"authorization", f"Bearer {raw_token}".encode()),
                (b"idempotency-key", f"m-{run_id}-{n}".encode()),
            ],
            json.dumps(body, ensure_ascii=False).encode(),
        )

    workloads: dict[str, tuple[Callable[[int], Awaitable[int]], int]] = {
        "bare": (page("", lambda n: "/bench/bare"), 200),
        # The bare view for a signed-in user: session, user, roles and the middleware.
        "bare-session": (page(divhead_cookie, lambda n: "/bench/bare"), 200),
        "W1": (create, 201),
        "W2": (page(divhead_cookie, lambda n: "/desk/division/"), 200),
        "W3": (page(reception_cookie, lambda n: f"/desk/search/?q={quote('保全')}"), 200),
        "W3b": (page(divhead_cookie, lambda n: f"/desk/search/?q={quote('离婚')}"), 200),
        "W4": (page(divhead_cookie, lambda n: f"/desk/{ids[n % len(ids)]}/"), 200),
    }

    from config.asgi import application

    async def asgi_call(
        method: str, path: str, headers: list[tuple[bytes, bytes]], body: bytes = b""
    ) -> int:
        """One request through the server's application, as uvicorn sends it; the status."""
        raw_path, _, query = path.partition("?")
        scope = {
            "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
            "method": method, "scheme": "http", "path": raw_path, "raw_path": raw_path.encode(),
            "query_string": query.encode(), "root_path": "",
            "headers": [(b"host", b"127.0.0.1"), *headers,
                        (b"content-length", str(len(body)).encode())],
            "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 8000),
        }  # fmt: skip
        messages = [{"type": "http.request", "body": body, "more_body": False}]
        status = 0

        async def receive() -> dict[str, Any]:
            if messages:
                return messages.pop()
            await asyncio.Event().wait()  # the client stays connected
            raise AssertionError("unreachable")

        async def send(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]

        await application(scope, receive, send)
        return status

    async def run() -> None:
        sequence = 0
        for name in wanted:
            call, expect = workloads[name]
            for _ in range(5):
                sequence += 1
                status = await call(sequence)
                assert status == expect, (name, status)
            counter = _Counter()
            installed: list[Any] = []

            def install(
                counter: _Counter = counter, installed: list[Any] = installed, **_: Any
            ) -> None:
                # On the request's own thread: connections are per thread.
                wrapper = connections["default"]
                wrapper.execute_wrappers.append(counter)
                installed.append(wrapper)

            request_started.connect(install, dispatch_uid="measure-count")
            sequence += 1
            await call(sequence)
            request_started.disconnect(dispatch_uid="measure-count")
            for wrapper in installed:
                wrapper.execute_wrappers.remove(counter)
            best = float("inf")
            for _ in range(args.rounds):
                began = time.process_time()
                for _ in range(args.count):
                    sequence += 1
                    await call(sequence)
                best = min(best, (time.process_time() - began) / max(args.count, 1) * 1000)
            print(
                f"{name:5s} {best:7.2f} ms CPU/request  {counter.count:3d} statements", flush=True
            )

    asyncio.run(run())
    return 0


if __name__ == "__main__":
    sys.exit(main())
