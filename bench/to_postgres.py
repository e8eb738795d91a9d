"""Copy the benchmark's SQLite database into PostgreSQL, so that `bench/run.py --postgres`
measures the same million requests on the other supported database.

    .venv/bin/python bench/to_postgres.py [--url postgresql://postgres@127.0.0.1:5432/youjie_bench]

The target database is created (UTF-8, LC_CTYPE C.UTF-8: the 'simple' tsvector and pg_trgm need a
UTF-8 ctype, ../shared/STACK.md), migrated by Django, and then every table the two databases
share is truncated and filled from var/bench.sqlite3 with COPY, foreign-key triggers off and
secondary indexes dropped during the load and rebuilt afterwards. The full-text table
``desk_request_search`` is built from the FTS5 table's tokens (the same jieba tokens) with
``to_tsvector('simple', …)``, the request's scope columns beside them. Sequences are moved
past the copied ids, and the database is vacuumed and analysed. A marker table ``bench_meta``
records which SQLite load was copied, so a second run with the same source does nothing.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = ROOT / "var" / "bench.sqlite3"
DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/youjie_bench"
# Django's own bookkeeping, written by `migrate` on the target: not copied.
SKIP = {"django_migrations"}
BATCH = 50_000


def log(message: str) -> None:
    print(f"[to_postgres {time.strftime('%H:%M:%S')}] {message}", flush=True)


def source_stamp(source: sqlite3.Connection) -> str:
    """What identifies a complete SQLite load: its rows and when it was generated."""
    meta = dict(source.execute("SELECT key, value FROM bench_meta").fetchall())
    if meta.get("state") != "complete":
        raise SystemExit(f"{DEFAULT_SOURCE} holds no complete load: run bench/generate.py first")
    return f"{meta.get('rows')}@{meta.get('generated_at')}"


def target_stamp(url: str) -> str | None:
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=5) as connection:
            row = connection.execute(
                "SELECT value FROM bench_meta WHERE key = 'copied_from'"
            ).fetchone()
    except psycopg.Error:
        return None
    return str(row[0]) if row else None


def recreate_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        connection.execute(
            sql.SQL(
                "CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8' "
                "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
            ).format(sql.Identifier(name))
        )


def migrate(url: str) -> None:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    env["PYTHONPATH"] = str(ROOT)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "--verbosity", "0"],
        cwd=ROOT, env=env, check=True,
    )  # fmt: skip


def _converter(data_type: str) -> Callable[[Any], Any] | None:
    """How a value SQLite stored becomes what PostgreSQL's COPY takes for ``data_type``."""
    if data_type == "boolean":
        return lambda value: None if value is None else bool(value)
    if data_type == "interval":
        # DurationField: microseconds as an integer on SQLite.
        return lambda value: None if value is None else f"{int(value)} microseconds"
    if data_type in ("json", "jsonb", "text", "character varying"):
        return lambda value: value.decode() if isinstance(value, bytes) else value
    return None


def _rows(cursor: sqlite3.Cursor, converters: list[Callable[[Any], Any] | None]) -> Iterator[Any]:
    plain = all(conv is None for conv in converters)
    while True:
        batch = cursor.fetchmany(BATCH)
        if not batch:
            return
        if plain:
            yield from batch
        else:
            for row in batch:
                yield [
                    value if conv is None else conv(value)
                    for value, conv in zip(row, converters, strict=True)
                ]


def copy(url: str, source_path: Path, stamp: str) -> None:
    import psycopg
    from psycopg import sql

    source = sqlite3.connect(source_path)
    source_tables = {
        name for (name,) in source.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    }
    with psycopg.connect(url) as target:
        target.execute("SET session_replication_role = replica")  # no FK triggers during COPY
        target.execute("SET TIME ZONE 'UTC'")  # SQLite holds naive UTC datetimes
        target.execute("SET maintenance_work_mem = '512MB'")
        tables = [
            name
            for (name,) in target.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"
            )
            if name in source_tables and name not in SKIP
        ]
        # Secondary indexes (not those behind a primary key or unique constraint) are dropped
        # for the load and rebuilt afterwards: one sort each instead of a million inserts.
        indexes = target.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i "
            "WHERE i.schemaname = 'public' AND NOT EXISTS ("
            "  SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)"
        ).fetchall()
        for name, _definition in indexes:
            target.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(name)))
        target.execute(
            sql.SQL("TRUNCATE {} CASCADE").format(
                sql.SQL(", ").join(sql.Identifier(t) for t in [*tables, "desk_request_search"])
            )
        )
        with_ids: list[str] = []
        for table in tables:
            columns = target.execute(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_schema = 'public' AND table_name = %s ORDER BY ordinal_position",
                [table],
            ).fetchall()
            names = [name for name, _ in columns]
            if "id" in names:
                with_ids.append(table)
            converters = [_converter(data_type) for _, data_type in columns]
            began = time.monotonic()
            cursor = source.execute(
                f'SELECT {", ".join(chr(34) + n + chr(34) for n in names)} FROM "{table}"'
            )
            count = 0
            statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
                sql.Identifier(table), sql.SQL(", ").join(sql.Identifier(n) for n in names)
            )
            with target.cursor() as out, out.copy(statement) as stream:
                for row in _rows(cursor, converters):
                    stream.write_row(row)
                    count += 1
            if count:
                log(f"{table}: {count:,} rows in {time.monotonic() - began:.0f} s")
        began = time.monotonic()
        target.execute(
            "CREATE TEMP TABLE fts_tokens (request_id bigint, tokens text) ON COMMIT DROP"
        )
        cursor = source.execute("SELECT rowid, tokens FROM desk_request_fts")
        with target.cursor() as out, out.copy("COPY fts_tokens FROM STDIN") as stream:
            for row in _rows(cursor, [None, None]):
                stream.write_row(row)
        # With the request's scope columns beside the words (desk migration 0010; the
        # trigger that keeps them equal fires on UPDATE only, and not in replica mode).
        target.execute(
            "INSERT INTO desk_request_search (request_id, document, court_id, division_id, "
            "transfer_division_id, assignee_id, transfer_user_id, first_contact_id, line_id, "
            "related_case_id) "
            "SELECT t.request_id, to_tsvector('simple', t.tokens), r.court_id, r.division_id, "
            "r.transfer_division_id, r.assignee_id, r.transfer_user_id, r.first_contact_id, "
            "r.line_id, r.related_case_id "
            "FROM fts_tokens t LEFT JOIN desk_servicerequest r ON r.id = t.request_id"
        )
        log(f"desk_request_search: tsvectors built in {time.monotonic() - began:.0f} s")
        began = time.monotonic()
        for _name, definition in indexes:
            target.execute(definition)
        log(f"rebuilt {len(indexes)} indexes in {time.monotonic() - began:.0f} s")
        for table in with_ids:
            sequence = target.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table]).fetchone()
            if sequence and sequence[0]:
                target.execute(
                    sql.SQL(
                        "SELECT setval(%s, COALESCE((SELECT max(id) FROM {}), 0) + 1, false)"
                    ).format(sql.Identifier(table)),
                    [sequence[0]],
                )
        target.execute("CREATE TABLE IF NOT EXISTS bench_meta (key text PRIMARY KEY, value text)")
        target.execute(
            "INSERT INTO bench_meta VALUES ('copied_from', %s) "
            "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            [stamp],
        )
        target.commit()
    with psycopg.connect(url, autocommit=True) as target:
        began = time.monotonic()
        target.execute("VACUUM (ANALYZE)")
        log(f"vacuumed and analysed in {time.monotonic() - began:.0f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=DEFAULT_URL)
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    args = parser.parse_args(argv)
    # The source follows the schema first: a column it lacks would be read by SQLite as the
    # string of its quoted name, and COPY would refuse it.
    migrate(f"sqlite:///{args.source.resolve()}")
    source = sqlite3.connect(args.source)
    stamp = source_stamp(source)
    source.close()
    if target_stamp(args.url) == stamp:
        log(f"{args.url} already holds this load ({stamp}): nothing to do")
        return 0
    began = time.monotonic()
    log(f"creating and migrating {args.url}")
    recreate_database(args.url)
    migrate(args.url)
    copy(args.url, args.source, stamp)
    log(f"done in {time.monotonic() - began:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
