"""The full-text index of service requests: FTS5 on SQLite, tsvector + GIN on PostgreSQL."""

from typing import Any

from django.db import migrations

SQLITE_CREATE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS desk_request_fts USING fts5("
    "tokens, tokenize='unicode61 remove_diacritics 2')"
)
POSTGRES_CREATE = [
    # No foreign key: the index is derived data (like the FTS5 table), and Django's test flush
    # truncates only the tables it manages.
    "CREATE TABLE IF NOT EXISTS desk_request_search ("
    "request_id bigint PRIMARY KEY, document tsvector NOT NULL)",
    "CREATE INDEX IF NOT EXISTS desk_request_search_gin ON desk_request_search USING gin(document)",
]


def create(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_CREATE)
    else:
        for statement in POSTGRES_CREATE:
            schema_editor.execute(statement)


def drop(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS desk_request_fts")
    else:
        schema_editor.execute("DROP TABLE IF EXISTS desk_request_search")


class Migration(migrations.Migration):
    dependencies = [("desk", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
