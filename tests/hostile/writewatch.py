"""Which tables a call wrote, so that the hostile sweeps compare only those tables' contents
before and after a refused call, instead of every table's (which was most of their time).

A trigger on every table records the table's name in ``WATCH_TABLE``. The name is rolled back
with the write that fired it, so a write the call undid itself (a savepoint rolled back) leaves
no name, just as it leaves no row. Tables that cannot carry a trigger (SQLite's full-text
virtual table and its shadow tables) are compared on every call. The verdict stays the
contents' comparison: the names only narrow where to look. The triggers are created inside the
test's transaction and go with it — on PostgreSQL. On SQLite a module installs them once,
committed, before its tests (``committed_triggers``): SQLite re-reads its whole schema after
every ROLLBACK TO in a transaction that changed the schema, and the sweeps roll back a
savepoint per call: with ~300 triggers created in the test's transaction that was ~1.5 ms a
call, a quarter of the sweeps' time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection

WATCH_TABLE = "hostile_written_tables"

Digest = Callable[[set[str]], dict[str, Any]]


def _install(tables: Iterable[str]) -> set[str]:
    """Create the watch table and a trigger on each of ``tables`` that can carry one; the
    tables that cannot (SQLite's full-text virtual tables and their shadow tables)."""
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {WATCH_TABLE} (name varchar(200) PRIMARY KEY)")
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION hostile_written() RETURNS trigger LANGUAGE plpgsql AS $$ "
                f"BEGIN INSERT INTO {WATCH_TABLE} VALUES (TG_TABLE_NAME) "
                "ON CONFLICT DO NOTHING; RETURN NULL; END $$"
            )
            for table in tables:
                cursor.execute(
                    "CREATE TRIGGER hostile_written AFTER INSERT OR UPDATE OR DELETE OR "
                    f"TRUNCATE ON {connection.ops.quote_name(table)} "
                    "FOR EACH STATEMENT EXECUTE FUNCTION hostile_written()"
                )
            return set()
        unwatched = _sqlite_unwatched(cursor, tables)
        for number, table in enumerate(tables):
            if table in unwatched:
                continue
            for verb in ("INSERT", "UPDATE", "DELETE"):
                cursor.execute(
                    f"CREATE TRIGGER hostile_written_{number}_{verb.lower()} AFTER {verb} "
                    f"ON {connection.ops.quote_name(table)} BEGIN INSERT OR IGNORE INTO "
                    f"{WATCH_TABLE} VALUES ('{table}'); END"
                )
        return unwatched


def _sqlite_unwatched(cursor: Any, tables: Iterable[str]) -> set[str]:
    cursor.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'"
    )
    virtual = [row[0] for row in cursor.fetchall()]
    return {
        table
        for table in tables
        if any(table == name or table.startswith(f"{name}_") for name in virtual)
    }


def _installed() -> bool:
    return WATCH_TABLE in connection.introspection.table_names()


@contextmanager
def committed_triggers() -> Iterator[None]:
    """SQLite: the watch table and the triggers on every table, created before the module's
    tests and committed, dropped after them (module doc). Nothing on PostgreSQL, where each
    ``WriteWatch`` creates them in its test's transaction."""
    if connection.vendor != "sqlite":
        yield
        return
    tables = [name for name in connection.introspection.table_names() if name != WATCH_TABLE]
    _install(tables)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
                ["hostile_written_%"],
            )
            for (name,) in cursor.fetchall():
                cursor.execute(f"DROP TRIGGER {connection.ops.quote_name(name)}")
            cursor.execute(f"DROP TABLE {WATCH_TABLE}")


class WriteWatch:
    """``digest(tables)`` gives each table's contents in a comparable form; ``baseline`` holds
    them as they were before the call (``begin`` brings it up to date with anything written
    between calls)."""

    def __init__(self, tables: Iterable[str], digest: Digest) -> None:
        self.tables = list(tables)
        self.digest = digest
        if _installed():  # committed by the module (``committed_triggers``)
            with connection.cursor() as cursor:
                self.unwatched = (
                    _sqlite_unwatched(cursor, self.tables)
                    if connection.vendor == "sqlite"
                    else set()
                )
                cursor.execute(f"DELETE FROM {WATCH_TABLE}")
        else:
            self.unwatched = _install(self.tables)
        self.baseline: dict[str, Any] = digest(set(self.tables))

    def _named(self) -> set[str]:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT name FROM {WATCH_TABLE}")
            return {row[0] for row in cursor.fetchall()}

    def written(self) -> set[str]:
        """The tables written since the last reset (and those always compared)."""
        return self._named() | self.unwatched

    def reset(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {WATCH_TABLE}")

    def begin(self) -> None:
        """Before a call: what was written since the last one, outside any call (a test's own
        setup), joins the baseline, so that the call is judged against the state it met."""
        named = self._named()
        if named:
            self.baseline.update(self.digest(named))
            self.reset()
        if self.unwatched:
            self.baseline.update(self.digest(self.unwatched))

    def state(self) -> dict[str, Any]:
        """The baseline, with the contents of the tables written since the last reset."""
        return {**self.baseline, **self.digest(self.written())}

    def changed(self, since: dict[str, Any] | None = None) -> dict[str, tuple[Any, Any]]:
        """The tables written since the last reset whose contents differ from ``since`` (the
        baseline): {table: (before, after)}."""
        reference = since if since is not None else self.baseline
        now = self.digest(self.written())
        return {
            table: (reference.get(table), contents)
            for table, contents in now.items()
            if reference.get(table) != contents
        }
