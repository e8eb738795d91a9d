"""The city dashboard (工作台, issue 13) over 10,000 petition matters: target p95 ≤ 100 ms.

    .venv/bin/python bench/petitions_dashboard.py [--matters 10000] [--rounds 100] [--no-campaign]
        [--postgres [URL]]

Loads the scratch database exactly as bench/petitions_bulletin.py does (its ``load``:
migrated, the demo's organisation tree, one city-office officer, ``--matters`` matters across
the 12 districts and banners, five responsible units and every status). Unless
``--no-campaign``, an active 百日攻坚 campaign of the city office then takes on every matter
(``bulk_create``), so that the dashboard shows its campaign section (figures, progress by region
and unit, the burn-down) as the demo's city officer sees it.

The city officer is logged in with Django's test ``Client`` (``force_login``); each page —
``/petitions/dashboard/``, the campaign's page and the offices' campaign figures
(``/analytics/campaign/``) — is requested 5 times to warm up, then
``--rounds`` times. Prints p50/p95 in ms and the SQL statements per page; exits 1 when a page's
p95 is over 100 ms. docs/performance.md ("Petitions (issue 13)") keeps the reference figures.

The database is SQLite in a temporary directory unless ``--postgres``: then it is a scratch
PostgreSQL database, ``youjie_bench_dashboard_<pid>``, created through ``URL`` — a database on
the server to connect to for ``CREATE DATABASE``, by default the local server's maintenance
database ``postgresql://postgres@127.0.0.1:5432/postgres`` (``make bench-postgres`` passes the
server of ``BENCH_PG_URL`` with ``/postgres``) — and dropped at the end, also when the run fails
(bench/scratch.py). On PostgreSQL the tables are analysed after the load and after the campaign,
as autovacuum would have. The timing lines name the database measured ("on SQLite", "on
PostgreSQL"). Nothing outside the temporary directory and the scratch database is read or
written.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.petitions_bulletin import Loaded, load  # noqa: E402
from bench.scratch import Scratch, add_postgres_option, analyze, scratch_database  # noqa: E402

TARGET_MS = 100.0
WARM_UP = 5


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--matters", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--no-campaign", action="store_true")
    add_postgres_option(parser)
    args = parser.parse_args(argv)
    with scratch_database("dashboard", args.postgres) as scratch:
        return run(scratch, args.matters, args.rounds, campaign=not args.no_campaign)


def add_campaign(loaded: Loaded) -> int:
    """An active 百日攻坚 campaign of the city office over every matter; returns its pk."""
    from datetime import timedelta

    from youjie.petitions.choices import CampaignKind, CampaignStatus
    from youjie.petitions.models import Campaign, CampaignMatter, PetitionMatter

    campaign = Campaign.objects.create(
        name="2026年信访积案化解百日攻坚（测试）",
        kind=CampaignKind.HUNDRED_DAYS,
        issuing_office=loaded.office,
        starts_on=loaded.today - timedelta(days=60),
        ends_on=loaded.today + timedelta(days=40),
        status=CampaignStatus.ACTIVE,
        created_by=loaded.officer,
    )
    CampaignMatter.objects.bulk_create(
        (
            CampaignMatter(
                campaign=campaign,
                matter_id=pk,
                added_on=campaign.starts_on,
                added_by=loaded.officer,
            )
            for pk in PetitionMatter.objects.values_list("pk", flat=True).iterator()
        ),
        batch_size=1000,
    )
    return campaign.pk


def measure(client: object, url: str, rounds: int) -> tuple[list[float], int, int]:
    """Times ``rounds`` GETs of ``url`` after warming up; returns (ms, statements, status)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    assert isinstance(client, Client)
    for _ in range(WARM_UP):
        client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    statements = len(queries.captured_queries)  # now: the next request clears the log
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    return timings, statements, response.status_code


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def run(scratch: Scratch, count: int, rounds: int, *, campaign: bool) -> int:
    loaded = load(scratch, count)
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    pages = [("dashboard", reverse("petitions:dashboard"))]
    if campaign:
        started = time.perf_counter()
        pk = add_campaign(loaded)
        print(f"[bench] campaign over {count} matters in {time.perf_counter() - started:.1f} s")
        analyze(scratch)
        pages.append(("campaign", reverse("petitions:campaign_detail", args=[pk])))
        # The offices' campaign figures (化解攻坚统计, issue 15) over the same campaign.
        pages.append(("campaign figures", reverse("analytics:campaign") + f"?campaign={pk}"))
    client = Client()
    client.force_login(loaded.officer)
    worst = 0.0
    for name, url in pages:
        timings, statements, status = measure(client, url, rounds)
        if status != 200:
            print(f"[bench] {url} answered {status}", file=sys.stderr)
            return 1
        p95 = percentile(timings, 0.95)
        worst = max(worst, p95)
        print(
            f"petitions {name} ({url}) over {count} matters on {scratch.label}, city officer: "
            f"p50 {statistics.median(timings):.0f} ms, p95 {p95:.0f} ms, "
            f"{statements} SQL statements (target p95 ≤ {TARGET_MS:.0f} ms)",
            flush=True,
        )
    return 0 if worst <= TARGET_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
