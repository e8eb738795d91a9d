"""The daily bulletin (每日一通报, issue 13) over 10,000 petition matters: target ≤ 2 s.

    .venv/bin/python bench/petitions_bulletin.py [--matters 10000] [--rounds 3] [--postgres [URL]]

Builds a scratch database (migrated, the demo's organisation tree, one city-office officer),
loads ``--matters`` matters with ``bulk_create`` across the 12 districts and banners, five
responsible units and every status (open, overdue, resolved, settled, terminated), then times:

- ``selectors.bulletin_figures``: the figures by region and by unit (three aggregate queries);
- ``services.bulletin_issue``: figures, the .docx in the 文件 format, its SHA-256 and storage,
  the bulletin row and the outbox — what the 18:00 task does — once per day for ``--rounds``
  days,

and prints the best and the median of each. docs/performance.md ("Petitions (issue 13)") keeps
the reference figure.

The database is SQLite in a temporary directory unless ``--postgres``: then it is a scratch
PostgreSQL database, ``youjie_bench_bulletin_<pid>``, created through ``URL`` — a database on
the server to connect to for ``CREATE DATABASE``, by default the local server's maintenance
database ``postgresql://postgres@127.0.0.1:5432/postgres`` (``make bench-postgres`` passes the
server of ``BENCH_PG_URL`` with ``/postgres``) — and dropped at the end, also when the run fails
(bench/scratch.py). On PostgreSQL the tables are analysed after the load, as autovacuum would
have. The timing lines name the database measured ("on SQLite", "on PostgreSQL"). Nothing
outside the temporary directory (the .docx files) and the scratch database is read or written.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.scratch import Scratch, add_postgres_option, analyze, scratch_database  # noqa: E402

TARGET_MS = 2000.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--matters", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    add_postgres_option(parser)
    args = parser.parse_args(argv)
    with scratch_database("bulletin", args.postgres) as scratch:
        return run(scratch, args.matters, args.rounds)


@dataclass(frozen=True)
class Loaded:
    """What :func:`load` leaves in the scratch database (bench/petitions_dashboard.py reuses it)."""

    office: Any
    officer: Any
    today: date
    now: datetime


def load(scratch: Scratch, count: int) -> Loaded:
    """Migrate the scratch database and load ``count`` matters (see the module docstring); on
    PostgreSQL, analyse them."""
    import logging

    import django

    django.setup()
    logging.disable(logging.WARNING)
    from django.conf import settings
    from django.core.management import call_command
    from django.utils import timezone

    settings.MEDIA_ROOT = str(scratch.directory / "media")
    print(f"[bench] migrating a scratch {scratch.label} database ({scratch.shown}) …", flush=True)
    call_command("migrate", verbosity=0)

    from youjie.demo import orgdata
    from youjie.demo.services import SeedReport, seed_organisations
    from youjie.orgs.models import OrgUnit, User, UserRole
    from youjie.petitions.models import PetitionMatter
    from youjie.workdays.calendar import SHANGHAI

    seed_organisations(report=SeedReport())
    office = OrgUnit.objects.get(code="BT-ZXB")
    officer = User.objects.create_user(
        username="bench_city_officer", password="bench-only", display_name="测试", org_unit=office
    )
    UserRole.objects.create(user=officer, role="office_officer")
    offices = {code: OrgUnit.objects.get(code=f"{code}-ZXB").pk for code in orgdata.COUNTY_CODES}
    units = [
        *OrgUnit.objects.filter(
            code__in=("BT-BYEB-FY", "BT-JCY-0206", "BT-GA-0206", "BT-SFJ-0206")
        ).values_list("pk", flat=True),
        None,
    ]
    now = timezone.now()
    today = timezone.localtime(now, SHANGHAI).date()
    regions = list(offices)
    rows = []
    for index in range(1, count + 1):
        region = regions[index % len(regions)]
        received = today - timedelta(days=index % 120)
        kind = index % 10
        row = PetitionMatter(
            number=f"信访〔2026〕{index}号",
            year=2026,
            sequence=index,
            title=f"测试事项{index}",
            region_id=region,
            county_office_id=offices[region],
            responsible_unit_id=units[index % len(units)],
            category="court_judgment",
            origin="visit",
            core_demand="测试",
            received_on=received,
            notice_due_on=received + timedelta(days=15),
            notified_on=received + timedelta(days=5) if index % 3 else None,
            accepted_on=received + timedelta(days=3),
            handling_due_on=received + timedelta(days=63),
            last_progress_at=now - timedelta(hours=index % 240),
            status="in_progress" if kind < 5 else "registered",
        )
        if kind in (6, 7, 8):
            row.status = "settled" if kind == 8 else "resolved"
            row.outcome_type = "solved"
            row.matter_resolved_on = received + timedelta(days=30)
            if kind == 8:
                row.heart_resolved_on = received + timedelta(days=35)
        elif kind == 9:
            row.status = "terminated"
            row.terminated_on = received + timedelta(days=40)
            row.no_further_counting = True
        rows.append(row)
    started = time.perf_counter()
    PetitionMatter.objects.bulk_create(rows, batch_size=1000)
    print(f"[bench] {count} matters loaded in {time.perf_counter() - started:.1f} s", flush=True)
    analyze(scratch)
    return Loaded(office=office, officer=officer, today=today, now=now)


def run(scratch: Scratch, count: int, rounds: int) -> int:
    loaded = load(scratch, count)
    office, officer, today, now = loaded.office, loaded.officer, loaded.today, loaded.now
    from youjie.petitions import selectors, services

    figures_ms = []
    for _ in range(max(rounds, 5)):
        started = time.perf_counter()
        figures = selectors.bulletin_figures(office=office, day=today, now=now)
        figures_ms.append((time.perf_counter() - started) * 1000)
    issue_ms = []
    for back in range(rounds):
        day = today - timedelta(days=back)
        moment = datetime.combine(day, now.timetz()) if back else now
        started = time.perf_counter()
        bulletin = services.bulletin_issue(actor=officer, day=day, now=moment)
        issue_ms.append((time.perf_counter() - started) * 1000)
    totals = figures["totals"]
    print(
        f"[bench] figures: total {totals['total']}, resolved {totals['resolved']}, "
        f"in progress {totals['in_progress']}, overdue {totals['overdue']}, "
        f"{len(figures['regions'])} regions, {len(figures['units'])} units"
    )
    print(
        f"bulletin figures over {count} matters on {scratch.label}: best {min(figures_ms):.0f} ms, "
        f"median {statistics.median(figures_ms):.0f} ms"
    )
    print(
        f"bulletin issued (figures + .docx + store + outbox) over {count} matters "
        f"on {scratch.label}: best "
        f"{min(issue_ms):.0f} ms, median {statistics.median(issue_ms):.0f} ms "
        f"(target ≤ {TARGET_MS:.0f} ms; last {bulletin.number})"
    )
    return 0 if statistics.median(issue_ms) <= TARGET_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
