"""CPU per request of the benchmark's workloads, in process, through Django's ASGI handler.

    .venv/bin/python bench/measure.py [--rounds 5] [--count 40] [--only bare,W1,W2,W3,W4]

The wall-clock figures of ``bench/run.py`` move by ±30 % on these shared machines from one run to
the next; the CPU time a request costs moves much less. This drives the same requests as the
benchmark through ``django.test.AsyncClient`` (the ASGI handler, the middleware, the thread hop
to the sync views: everything the server does except the socket and the HTTP parser) and prints,
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
    parser.add_argument("--only", default="bare,W1,W2,W3,W4")
    args = parser.parse_args(argv)
    import logging

    import django

    django.setup()
    logging.disable(logging.INFO)
    from youjie.core.warmup import warm_up

    warm_up()  # as every server worker does (config/asgi.py)
    from asgiref.sync import sync_to_async
    from django.conf import settings
    from django.db import close_old_connections, connections
    from django.test import AsyncClient, Client

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

    def page(
        cookie: str, path: Callable[[int], str]
    ) -> Callable[[AsyncClient, int], Awaitable[Any]]:
        async def call(client: AsyncClient, n: int) -> Any:
            client.cookies[settings.SESSION_COOKIE_NAME] = cookie
            response = await client.get(path(n))
            await close_connections()
            return response

        return call

    async def create(client: AsyncClient, n: int) -> Any:
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
        response = await client.post(
            "/api/v1/desk/requests",
            data=json.dumps(body, ensure_ascii=False),
            content_type="application/json",
            headers={"Authorization": f"Bearer {raw_token}", "Idempotency-Key": f"m-{run_id}-{n}"},
        )
        await close_connections()
        return response

    workloads: dict[str, tuple[Callable[[AsyncClient, int], Awaitable[Any]], int]] = {
        "bare": (page("", lambda n: "/bench/bare"), 200),
        # The bare view for a signed-in user: session, user, roles and the middleware.
        "bare-session": (page(divhead_cookie, lambda n: "/bench/bare"), 200),
        "W1": (create, 201),
        "W2": (page(divhead_cookie, lambda n: "/desk/division/"), 200),
        "W3": (page(reception_cookie, lambda n: f"/desk/search/?q={quote('保全')}"), 200),
        "W4": (page(divhead_cookie, lambda n: f"/desk/{ids[n % len(ids)]}/"), 200),
    }

    # The test client keeps the database connection across requests; the server closes it at
    # the end of each one unless CONN_MAX_AGE says otherwise. Do as the server does.
    close_connections = sync_to_async(close_old_connections)

    async def run() -> None:
        client = AsyncClient()
        sequence = 0
        for name in wanted:
            call, expect = workloads[name]
            for _ in range(5):
                sequence += 1
                response = await call(client, sequence)
                assert response.status_code == expect, (name, response.status_code)
            counter = _Counter()

            def install(counter: _Counter = counter) -> None:
                connections["default"].execute_wrappers.append(counter)

            def remove(counter: _Counter = counter) -> None:
                connections["default"].execute_wrappers.remove(counter)

            await sync_to_async(install)()
            sequence += 1
            await call(client, sequence)
            await sync_to_async(remove)()
            best = float("inf")
            for _ in range(args.rounds):
                began = time.process_time()
                for _ in range(args.count):
                    sequence += 1
                    await call(client, sequence)
                best = min(best, (time.process_time() - began) / max(args.count, 1) * 1000)
            print(
                f"{name:5s} {best:7.2f} ms CPU/request  {counter.count:3d} statements", flush=True
            )

    asyncio.run(run())
    return 0


if __name__ == "__main__":
    sys.exit(main())
