"""The court figures (审判质效, issue 15) over 100,000 court cases: target p95 ≤ 100 ms for
``GET /api/v1/analytics/court-figures``, ≤ 50 ms for a refresh of the big screen.

    .venv/bin/python bench/court_figures.py [--cases 100000] [--rounds 100] [--postgres [URL]]

Builds a scratch database (migrated, the demo's organisation tree, a court leader, a division
head and 32 judges in the 白云鄂博 court's four divisions), loads ``--cases`` cases with
``bulk_create`` over the three years up to today (民初, 民终, 刑初, 行初, 执, 民特 and
pre-litigation numbers; open and closed, appealed, petitioned, 改判 and 发回; stamped as changed a
day ago), then times:

- ``manage.py analytics_rebuild`` (the day table from every case) and a refresh after an import
  batch of 1,000 changed cases (what the periodic task does each minute);
- the API as the court leader for 本年至今, a quarter, a five-year period and one judge's 本年至今,
  and as the division head for 本年至今, each warmed up 5 times then ``--rounds`` times (Django's
  test ``Client``, ``force_login``); the statements of one reading; the same figures computed
  from the cases (``court_figures_from_cases``, what the API did before the day table) a few
  times, for comparison;
- the big screen's refresh (the htmx partial of ``/analytics/screen/`` as the court leader: the
  snapshot read).

Prints p50/p95 in ms and the machine's load average before and after (the measurements say
more about the machine than about the code when other processes are busy: docs/performance.md);
exits 1 when a target is missed.

The database is SQLite in a temporary directory unless ``--postgres``: then it is a scratch
PostgreSQL database, ``youjie_bench_court_<pid>``, created through ``URL`` — a database on the
server to connect to for ``CREATE DATABASE``, by default the local server's maintenance database
``postgresql://postgres@127.0.0.1:5432/postgres`` (``make bench-postgres`` passes the server of
``BENCH_PG_URL`` with ``/postgres``) — and dropped at the end, also when the run fails
(bench/scratch.py). On PostgreSQL the tables are analysed after the load and after the day
table's rebuild, as autovacuum would have. Every timing line names the database measured
("on SQLite", "on PostgreSQL"). Nothing outside the temporary directory and the scratch
database is read or written.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.scratch import Scratch, add_postgres_option, analyze, scratch_database  # noqa: E402

API_TARGET_MS = 100.0
SCREEN_TARGET_MS = 50.0
WARM_UP = 5
DIVISIONS = ("BT-BYEB-MS", "BT-BYEB-XS", "BT-BYEB-ZX", "BT-BYEB-LAT")
TYPES = (  # (type code, share in 100, division index, days to close: mean)
    ("民初", 40, 0, 70),
    ("民终", 5, 0, 50),
    ("民特", 4, 0, 20),
    ("刑初", 12, 1, 45),
    ("刑终", 2, 1, 40),
    ("行初", 4, 0, 80),
    ("执", 28, 2, 100),
    ("诉前调", 5, 3, 20),
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=100)
    add_postgres_option(parser)
    args = parser.parse_args(argv)
    with scratch_database("court", args.postgres) as scratch:
        return run(scratch, args.cases, args.rounds)


def load(scratch: Scratch, count: int) -> dict[str, Any]:
    """Migrate the scratch database, make the people and load ``count`` cases."""
    import logging
    import random

    import django

    django.setup()
    logging.disable(logging.WARNING)
    from django.conf import settings
    from django.core.management import call_command
    from django.utils import timezone

    settings.MEDIA_ROOT = str(scratch.directory / "media")
    print(f"[bench] migrating a scratch {scratch.label} database ({scratch.shown}) …", flush=True)
    call_command("migrate", verbosity=0)

    from youjie.courtcases.models import CourtCase
    from youjie.demo.services import SeedReport, seed_organisations
    from youjie.orgs.models import OrgUnit, User, UserRole
    from youjie.workdays.calendar import SHANGHAI

    seed_organisations(report=SeedReport())
    court = OrgUnit.objects.get(code="BT-BYEB-FY")
    divisions = [OrgUnit.objects.get(code=code) for code in DIVISIONS]

    def person(username: str, role: str, unit: Any) -> Any:
        user = User.objects.create_user(
            username=username, password="bench-only", display_name=username, org_unit=unit
        )
        UserRole.objects.create(user=user, role=role)
        return user

    leader = person("bench_leader", "court_leader", court)
    head = person("bench_divhead", "division_head", divisions[0])
    judges = [
        [person(f"bench_judge_{d}_{n}", "judge", division) for n in range(8)]
        for d, division in enumerate(divisions)
    ]
    today = timezone.localtime(timezone.now(), SHANGHAI).date()
    first = today - timedelta(days=3 * 365)
    span = (today - first).days
    rng = random.Random(15)
    weights = [share for _code, share, _division, _days in TYPES]
    numbers: dict[tuple[int, str], int] = {}
    rows = []
    for _ in range(count):
        code, _share, division_index, mean_days = rng.choices(TYPES, weights)[0]
        filed = first + timedelta(days=rng.randrange(span + 1))
        closed: date | None = filed + timedelta(days=int(rng.expovariate(1 / mean_days)))
        if closed is not None and closed > today:
            closed = None
        appealed = closed is not None and code in ("民初", "刑初", "行初") and rng.random() < 0.1
        key = (filed.year, code)
        numbers[key] = numbers.get(key, 0) + 1
        rows.append(
            CourtCase(
                case_number=f"（{filed.year}）内0206{code}{numbers[key]}号",
                year=filed.year,
                court_code="内0206",
                type_code=code,
                sequence=numbers[key],
                court=court,
                division=divisions[division_index],
                judge=rng.choice(judges[division_index]),
                filed_on=filed,
                closed_on=closed,
                appealed=appealed,
                petitioned=closed is not None and rng.random() < 0.02,
                second_instance_result=rng.choice(["affirmed", "reversed", "remanded", ""])
                if appealed
                else "",
            )
        )
    started = time.perf_counter()
    CourtCase.objects.bulk_create(rows, batch_size=1000)
    # As if imported yesterday: the refresh's margin re-reads only what changed since.
    CourtCase.objects.update(updated_at=timezone.now() - timedelta(days=1))
    print(f"[bench] {count} cases loaded in {time.perf_counter() - started:.1f} s", flush=True)
    return {"leader": leader, "head": head, "today": today, "judge": judges[0][0]}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def measure(
    client: Any, url: str, params: dict[str, str], rounds: int, **headers: str
) -> list[float]:
    for _ in range(WARM_UP):
        response = client.get(url, params, headers=headers)
    assert response.status_code == 200, (url, response.status_code, response.content[:300])
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        client.get(url, params, headers=headers)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def line(label: str, timings: list[float], target: float) -> float:
    p95 = percentile(timings, 0.95)
    print(
        f"{label}: p50 {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms "
        f"(target p95 ≤ {target:.0f} ms)",
        flush=True,
    )
    return p95


def run(scratch: Scratch, count: int, rounds: int) -> int:
    load_before = os.getloadavg()
    loaded = load(scratch, count)
    analyze(scratch)  # the cases, before the day table is built from them
    database = scratch.label
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from youjie.analytics import court_selectors
    from youjie.analytics.periods import Period
    from youjie.analytics.services import court_figures_refresh
    from youjie.courtcases.models import CourtCase

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.YOUJIE_OTP_ENFORCED = False
    started = time.perf_counter()
    call_command("analytics_rebuild", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    elapsed = time.perf_counter() - started
    print(f"[bench] analytics_rebuild on {database}: {elapsed:.1f} s", flush=True)
    ids = list(CourtCase.objects.order_by("?").values_list("pk", flat=True)[:1000])
    CourtCase.objects.filter(pk__in=ids).update(closed_on=None, updated_at=timezone.now())
    started = time.perf_counter()
    result = court_figures_refresh()
    print(
        f"[bench] refresh after an import batch of {len(ids)} changed cases on {database}: "
        f"{(time.perf_counter() - started) * 1000:.0f} ms ({result.rows} day rows written)",
        flush=True,
    )
    started = time.perf_counter()
    idle = court_figures_refresh()
    print(
        f"[bench] refresh with nothing changed on {database}: "
        f"{(time.perf_counter() - started) * 1000:.0f} ms"
        f" ({idle.cases} cases)",
        flush=True,
    )
    analyze(scratch)  # the day table the API reads
    today: date = loaded["today"]
    year = {"start": f"{date(today.year, 1, 1):%Y-%m-%d}", "end": f"{today:%Y-%m-%d}"}
    quarter_start = today - timedelta(days=90)
    quarter = {"start": f"{quarter_start:%Y-%m-%d}", "end": f"{today:%Y-%m-%d}"}
    five = {"start": f"{today.replace(year=today.year - 4, day=1):%Y-%m-%d}", "end": year["end"]}
    url = "/api/v1/analytics/court-figures"
    leader, head = Client(), Client()
    leader.force_login(loaded["leader"])
    head.force_login(loaded["head"])
    worst = 0.0
    for label, client, dates in (
        ("court leader, 本年至今", leader, year),
        ("court leader, 90 days", leader, quarter),
        ("court leader, five years", leader, five),
        ("division head, 本年至今", head, year),
        ("court leader, 本年至今, one judge", leader, {**year, "judge": str(loaded["judge"].pk)}),
    ):
        timings = measure(client, url, {"court": "内0206", **dates}, rounds)
        label = f"court-figures API over {count} cases on {database}, {label}"
        worst = max(worst, line(label, timings, API_TARGET_MS))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    basis = court_selectors.court_figures_basis(user=loaded["leader"], court_code="内0206")
    period = Period(date(today.year, 1, 1), today)
    with CaptureQueriesContext(connection) as queries:
        court_selectors.court_figures(basis=basis, period=period)
    print(f"[sql] court_figures (本年至今) from the day table on {database}: "
          f"{len(queries)} statements, "
          f"{sum(float(q['time']) for q in queries.captured_queries) * 1000:.1f} ms of SQL",
          flush=True)  # fmt: skip
    raw = []
    for _ in range(5):
        started = time.perf_counter()
        court_selectors.court_figures_from_cases(basis=basis, period=period)
        raw.append((time.perf_counter() - started) * 1000)
    print(f"[reference] the same figures from the cases (court_figures_from_cases, 本年至今) "
          f"on {database}: "
          f"median {statistics.median(raw):.0f} ms", flush=True)  # fmt: skip
    timings = measure(leader, "/analytics/screen/", {}, rounds, **{"HX-Request": "true"})
    label = f"big screen refresh (htmx partial) on {database}, court leader"
    screen = line(label, timings, SCREEN_TARGET_MS)
    load_after = os.getloadavg()
    print(
        f"[machine] load average before {load_before[0]:.2f}, after {load_after[0]:.2f} "
        f"(1 min; {os.cpu_count()} CPUs)",
        flush=True,
    )
    return 0 if worst <= API_TARGET_MS and screen <= SCREEN_TARGET_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
