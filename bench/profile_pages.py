"""In-process cost of the benchmark's pages (Django test client, warm, no concurrency).

    .venv/bin/python bench/profile_pages.py [--profile W2|W3|W4] [--count 50]

Prints, per page, the mean milliseconds and the number of queries; with ``--profile`` a
cProfile summary of one page (the hot spots). Reads var/bench.sqlite3 like bench/run.py.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}")
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
os.environ["DJANGO_DEBUG"] = "0"


class _Recorder:
    def __init__(self, captured: list[str]) -> None:
        self.captured = captured

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.captured.append(sql)
        return execute(sql, params, many, context)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", default="")
    parser.add_argument("--count", type=int, default=50)
    args = parser.parse_args(argv)
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from youjie.desk.models import ServiceRequest
    from youjie.orgs.models import User

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
    pages = {
        "W2": (divhead, lambda n: "/desk/division/"),
        "W3": (reception, lambda n: f"/desk/search/?q={quote('保全')}"),
        "W4": (divhead, lambda n: f"/desk/{ids[n % len(ids)]}/"),
    }
    for name, (client, path) in pages.items():
        for n in range(5):
            assert client.get(path(n)).status_code == 200
        captured: list[str] = []
        with connection.execute_wrapper(_Recorder(captured)):
            client.get(path(0))
        began = time.perf_counter()
        for n in range(args.count):
            client.get(path(n))
        mean = (time.perf_counter() - began) / args.count * 1000
        print(f"{name}: {mean:6.2f} ms  {len(captured)} queries  {path(0)}")
        if name == args.profile:
            for sql in captured:
                print(f"    {sql[:200]}")
            profiler = cProfile.Profile()
            profiler.enable()
            for n in range(args.count):
                client.get(path(n))
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
            pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
