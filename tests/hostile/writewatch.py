"""Which tables a call wrote, so that the hostile sweeps compare only those tables' contents
before and after a refused call, instead of every table's (which was most of their time).

A trigger on every table records the table's name in ``WATCH_TABLE``. The name is rolled back
with the write that fired it, so a write the call undid itself (a savepoint rolled back) leaves
no name, just as it leaves no row. Tables that cannot carry a trigger (SQLite's full-text
virtual table and its shadow tables) are compared on every call. The verdict stays the
contents' comparison: the names only narrow where to look. The triggers are created inside the
test's transaction and go with it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import connection

WATCH_TABLE = "hostile_written_tables"

Digest = Callable[[set[str]], dict[str, Any]]


class WriteWatch:
    """``digest(tables)`` gives each table's contents in a comparable form; ``baseline`` holds
    them as they were before the call (``begin`` brings it up to date with anything written
    between calls)."""

    def __init__(self, tables: Iterable[str], digest: Digest) -> None:
        self.tables = list(tables)
        self.digest = digest
        self.unwatched: set[str] = set()
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE TABLE {WATCH_TABLE} (name varchar(200) PRIMARY KEY)")
            if connection.vendor == "postgresql":
                cursor.execute(
                    "CREATE FUNCTION hostile_written() RETURNS trigger LANGUAGE plpgsql AS $$ "
                    f"BEGIN INSERT INTO {WATCH_TABLE} VALUES (TG_TABLE_NAME) "
                    "ON CONFLICT DO NOTHING; RETURN NULL; END $$"
                )
                for table in self.tables:
                    cursor.execute(
                        "CREATE TRIGGER hostile_written AFTER INSERT OR UPDATE OR DELETE OR "
                        f"TRUNCATE ON {connection.ops.quote_name(table)} "
                        "FOR EACH STATEMENT EXECUTE FUNCTION hostile_written()"
                    )
            else:
                cursor.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND sql LIKE 'CREATE VIRTUAL TABLE%'"
                )
                virtual = [row[0] for row in cursor.fetchall()]
                self.unwatched = {
                    table
                    for table in self.tables
                    if any(table == name or table.startswith(f"{name}_") for name in virtual)
                }
                for number, table in enumerate(self.tables):
                    if table in self.unwatched:
                        continue
                    for verb in ("INSERT", "UPDATE", "DELETE"):
                        cursor.execute(
                            f"CREATE TRIGGER hostile_written_{number}_{verb.lower()} AFTER {verb} "
                            f"ON {connection.ops.quote_name(table)} BEGIN INSERT OR IGNORE INTO "
                            f"{WATCH_TABLE} VALUES ('{table}'); END"
                        )
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
