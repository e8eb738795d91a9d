"""Let 8 segments of the full-text index gather at a level before FTS5 merges them (default 4).

FTS5 merges its segments incrementally, inside the writes: the statement after a row's insert
(FTS5 flushes its pending terms at the next statement's savepoint) and the commit. With the
default of 4 a level fills quickly, and once a merge involves a large segment every
registration pays part of rewriting it: on the 1,000,000-request bench database an insert
with its commit took 1.0–1.4 ms on average, with spikes of 50–160 ms (p99 50–70 ms). With 8:
0.17–0.22 ms, p99 5–7 ms, and a query reads at most 7 segments a level instead of 3 (the count
of "保全" over the whole index: 2.0–3.0 ms either way). The setting is stored in the index
itself. PostgreSQL's GIN index is not affected.
"""

from typing import Any

from django.db import migrations

AUTOMERGE = 8
FTS5_DEFAULT = 4


def _set(schema_editor: Any, value: int) -> None:
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            "INSERT INTO desk_request_fts(desk_request_fts, rank) VALUES ('automerge', %s)",
            [value],
        )


def forwards(apps: Any, schema_editor: Any) -> None:
    _set(schema_editor, AUTOMERGE)


def backwards(apps: Any, schema_editor: Any) -> None:
    _set(schema_editor, FTS5_DEFAULT)


class Migration(migrations.Migration):
    dependencies = [("desk", "0005_sparse_partial_indexes")]
    operations = [migrations.RunPython(forwards, backwards)]
