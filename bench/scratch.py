"""The scratch database of the small benchmarks (bench/court_figures.py,
bench/petitions_bulletin.py, bench/petitions_dashboard.py): SQLite in a temporary directory, or
with ``--postgres [SERVER_URL]`` a uniquely named PostgreSQL database created for the run and
dropped after it.

``SERVER_URL`` names the server and a database to connect to for ``CREATE DATABASE`` and
``DROP DATABASE`` — normally the maintenance database ``postgres``; without a value it is
:data:`SERVER_URL` (the local server, trust authentication, as bench/to_postgres.py uses). The
scratch database, ``youjie_bench_<script>_<pid>``, gets the server, user and options of that URL
and the encoding bench/to_postgres.py gives its copy (UTF-8, ``C.UTF-8``: the 'simple' tsvector
and pg_trgm need a UTF-8 ctype). It is dropped when the run ends, also when it fails.

The temporary directory exists in both cases: the benchmarks keep their media files there.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

SERVER_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


@dataclass(frozen=True)
class Scratch:
    """Where a benchmark runs: its temporary directory and the database it measures."""

    directory: Path
    url: str
    label: str  # "SQLite" or "PostgreSQL", for the printed lines

    @property
    def shown(self) -> str:
        """The URL without its password, for the printed lines."""
        parts = urlsplit(self.url)
        if parts.password is None:
            return self.url
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
        return urlunsplit(parts._replace(netloc=netloc))


def add_postgres_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--postgres",
        nargs="?",
        const=SERVER_URL,
        default=None,
        metavar="SERVER_URL",
        help=(
            "measure on a scratch PostgreSQL database created through SERVER_URL (a database "
            f"to connect to for CREATE DATABASE; default {SERVER_URL}) and dropped afterwards"
        ),
    )


def scratch_url(server_url: str, name: str) -> str:
    """``server_url`` with its database replaced by ``name`` (user, host, port, options kept)."""
    parts = urlsplit(server_url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def create_database(server_url: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(server_url, autocommit=True, connect_timeout=10) as connection:
        connection.execute(
            sql.SQL(
                "CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8' "
                "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
            ).format(sql.Identifier(name))
        )


def drop_database(server_url: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    if "django" in sys.modules:
        # Django keeps its connection open (CONN_MAX_AGE); close it before the database goes.
        from django.db import connections

        connections.close_all()
    with psycopg.connect(server_url, autocommit=True, connect_timeout=10) as connection:
        # FORCE: a connection left behind by a failed run must not keep the database alive.
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


@contextmanager
def scratch_database(script: str, postgres: str | None) -> Iterator[Scratch]:
    """A temporary directory and a fresh database, with ``DATABASE_URL`` and the test settings
    set for ``django.setup()``; the PostgreSQL database is dropped on the way out."""
    with tempfile.TemporaryDirectory(prefix=f"youjie-bench-{script}-") as directory:
        os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
        if postgres is None:
            url = f"sqlite:///{Path(directory) / 'bench.sqlite3'}"
            os.environ["DATABASE_URL"] = url
            yield Scratch(directory=Path(directory), url=url, label="SQLite")
            return
        name = f"youjie_bench_{script}_{os.getpid()}"
        url = scratch_url(postgres, name)
        create_database(postgres, name)
        print(f"[bench] created the scratch PostgreSQL database {name}", flush=True)
        try:
            os.environ["DATABASE_URL"] = url
            yield Scratch(directory=Path(directory), url=url, label="PostgreSQL")
        finally:
            drop_database(postgres, name)
            print(f"[bench] dropped the scratch PostgreSQL database {name}", flush=True)


def analyze(scratch: Scratch) -> None:
    """On PostgreSQL, ``ANALYZE`` what was just loaded, as autovacuum would within a minute of a
    real load (and bench/to_postgres.py does for its copy): timed right after a bulk load, the
    planner would otherwise guess from empty statistics. SQLite is left as it was measured."""
    if scratch.label != "PostgreSQL":
        return
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
