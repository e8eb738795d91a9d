"""In-process cost of the benchmark's pages (Django test client, warm, no concurrency).

    .venv/bin/python bench/profile_pages.py [--profile W1|W2|W3|W3b|W4] [--only W1,W2] [--count 50]
        [--callees REGEX]

W1 posts new requests over the API with a bearer token (it writes to the database). Prints, per
workload, the mean milliseconds and the number of queries; with ``--profile`` a cProfile summary
of one workload (the hot spots). Reads var/bench.sqlite3 like bench/run.py.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}")
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
os.environ["DJANGO_DEBUG"] = "0"


class _Recorder:
    """Each statement's SQL, and the seconds spent in it (Django's cursor and SQLite)."""

    def __init__(self, captured: list[str]) -> None:
        self.captured = captured
        self.seconds: dict[str, float] = {}

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.captured.append(sql)
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds[sql] = self.seconds.get(sql, 0.0) + time.perf_counter() - began


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", default="")
    parser.add_argument("--count", type=int, default=50)
    parser.add_argument("--only", default="", help="comma-separated: W1,W2,W3,W3b,W4")
    parser.add_argument(
        "--callees", default="", help="with --profile: also what this function calls (a regex)"
    )
    args = parser.parse_args(argv)
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from bench.textpool import documents
    from youjie.desk.models import ServiceRequest
    from youjie.orgs.models import OrgUnit, User
    from youjie.orgs.services import api_token_create

    def client_for(username: str) -> Client:
        client = Client()
        client.force_login(
            User.objects.get(username=username), backend=settings.AUTHENTICATION_BACKENDS[-1]
        )
        return client

    divhead, reception = client_for("divhead"), client_for("reception")
    head = User.objects.get(username="divhead")
    ids = list(
        ServiceRequest.objects.filter(division_id=head.org_unit_id, status="closed")
        .order_by("-id")
        .values_list("id", flat=True)[:50]
    )
    token = api_token_create(
        name=f"bench-profile-{time.time_ns()}", org_unit=OrgUnit.objects.get(code="BT-BYEB-FY")
    )[1]
    texts = documents(200, seed=99)
    run_id = time.time_ns() // 1000 % 10**7

    def create(n: int) -> int:
        document = texts[n % len(texts)]
        body = {
            "channel": "api",
            "matter_type": ["filing_consult", "divorce_filing", "enforcement_demand"][n % 3],
            "title": document.title,
            "content": document.content,
            "requester_name": "测试",
            "requester_mobile": f"196{(run_id * 100 + n) % 10**8:08d}",
        }
        return (
            Client()
            .post(
                "/api/v1/desk/requests",
                json.dumps(body, ensure_ascii=False),
                content_type="application/json",
                headers={"authorization": f"Bearer {token}", "idempotency-key": f"p-{run_id}-{n}"},
            )
            .status_code
        )

    def page(client: Client, path: Callable[[int], str]) -> Callable[[int], int]:
        return lambda n: client.get(path(n)).status_code

    pages: dict[str, tuple[Callable[[int], int], int]] = {
        "W1": (create, 201),
        "W2": (page(divhead, lambda n: "/desk/division/"), 200),
        "W3": (page(reception, lambda n: f"/desk/search/?q={quote('保全')}"), 200),
        "W3b": (page(divhead, lambda n: f"/desk/search/?q={quote('离婚')}"), 200),
        "W4": (page(divhead, lambda n: f"/desk/{ids[n % len(ids)]}/"), 200),
    }
    sequence = 0
    for name, (call, expect) in pages.items():
        if args.only and name not in args.only.split(","):
            continue
        for _ in range(5):
            sequence += 1
            assert call(sequence) == expect, name
        captured: list[str] = []
        sequence += 1
        with connection.execute_wrapper(_Recorder(captured)):
            call(sequence)
        began, cpu_began, database_began = time.perf_counter(), time.process_time(), _database_cpu()
        for _ in range(args.count):
            sequence += 1
            call(sequence)
        mean = (time.perf_counter() - began) / args.count * 1000
        cpu = (time.process_time() - cpu_began) / args.count * 1000
        database = (_database_cpu() - database_began) / args.count * 1000
        print(
            f"{name}: {mean:6.2f} ms  CPU {cpu:6.2f} ms + database {database:5.2f} ms  "
            f"{len(captured)} queries"
        )
        if name == args.profile:
            timed = _Recorder([])
            with connection.execute_wrapper(timed):
                for _ in range(args.count):
                    sequence += 1
                    call(sequence)
            print(f"  statements, mean ms per {name} request ({args.count} requests):")
            for sql, seconds in sorted(timed.seconds.items(), key=lambda item: -item[1]):
                print(f"    {seconds / args.count * 1000:6.3f}  {sql[:150]}")
            total = sum(timed.seconds.values()) / args.count * 1000
            print(f"    {total:6.3f}  in all")
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(args.count):
                sequence += 1
                call(sequence)
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
            pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
            if args.callees:
                pstats.Stats(profiler).sort_stats("cumulative").print_callees(args.callees)
    return 0


def _database_cpu() -> float:
    """Seconds of CPU the PostgreSQL server process of this connection has used, read from
    ``/proc/<pid>/stat`` (the server runs on this machine); 0.0 on SQLite, whose work is the
    process's own."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


if __name__ == "__main__":
    sys.exit(main())
