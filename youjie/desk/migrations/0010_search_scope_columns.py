"""PostgreSQL: the request's scope columns beside its words in ``desk_request_search``, GIN-indexed.

A search for a common word by a user whose scope holds none of its matches (a division head
and 离婚) read the whole table: PostgreSQL walked every request newest first, testing the
scope's nine paths and every tsvector, 1.4 s at a million requests, and no index served the
scope's OR. With the columns that decide visibility copied beside the tsvector and one GIN
index over all of them (``btree_gin`` for the ids), "the matches in this scope" is a BitmapOr
of exact index intersections, with no heap read when there are none (``desk.search``,
``selectors.search``; docs/subsystems/search.md).

- The copies: the unit fields (court, division, transfer_division), the user fields
  (assignee, transfer_user, first_contact) and the first step of the user paths through a
  relation (line, related_case: the user's lines and cases are looked up when searching).
- They are kept equal to the request's by the trigger ``desk_request_search_scope`` on every
  UPDATE of those columns, in the same transaction, whoever writes them (a service, the admin,
  a bulk ``update()``); ``search.search_index_write`` copies them when it writes the row.
- One GIN index over the eight columns and the tsvector replaces the tsvector's own: a
  multicolumn GIN index serves a condition on any subset of its columns (the plain word
  search uses it as before), and a registration writes one index, not two.
- The table is rebuilt rather than updated in place: its rows are ~1.6 KB tsvectors, and an
  UPDATE of every row writes a second copy of the table and re-inserts every word into the
  GIN index, then leaves the table twice its size until a VACUUM FULL (1M rows: 37 s, then
  70 s for the index). ``CREATE TABLE … AS SELECT … JOIN`` writes it once: 29 s, then 43 s.
  The requests are locked against writes meanwhile (the trigger's creation takes that lock),
  so no change falls between the copy and the trigger.

SQLite keeps its FTS5 table: FTS5 walks a word's posting list in id order and stops after the
page (the same search: 90–150 ms there), and cannot index columns beside the words.
"""

from typing import Any

from django.db import migrations

# The columns are desk.search.SCOPE_COLUMNS when this was written (a migration keeps its own).
FORWARDS = [
    # btree_gin: GIN operator classes for the ids. A trusted extension (PostgreSQL 13+): the
    # database's owner may create it. (Not ``django.contrib.postgres``'s BtreeGinExtension:
    # in Django 5.2 its reverse runs on SQLite too, and fails there.)
    "CREATE EXTENSION IF NOT EXISTS btree_gin",
    """
    CREATE FUNCTION desk_request_search_copy_scope() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE desk_request_search
        SET court_id = NEW.court_id, division_id = NEW.division_id,
            transfer_division_id = NEW.transfer_division_id, assignee_id = NEW.assignee_id,
            transfer_user_id = NEW.transfer_user_id, first_contact_id = NEW.first_contact_id,
            line_id = NEW.line_id, related_case_id = NEW.related_case_id
        WHERE request_id = NEW.id;
        RETURN NULL;
    END
    $$
    """,
    # Only when one of the columns is written with another value: most updates of a request
    # (status, deadlines, replies) do not touch its search row.
    """
    CREATE TRIGGER desk_request_search_scope
    AFTER UPDATE OF court_id, division_id, transfer_division_id, assignee_id, transfer_user_id,
        first_contact_id, line_id, related_case_id
    ON desk_servicerequest FOR EACH ROW
    WHEN (
        OLD.court_id IS DISTINCT FROM NEW.court_id
        OR OLD.division_id IS DISTINCT FROM NEW.division_id
        OR OLD.transfer_division_id IS DISTINCT FROM NEW.transfer_division_id
        OR OLD.assignee_id IS DISTINCT FROM NEW.assignee_id
        OR OLD.transfer_user_id IS DISTINCT FROM NEW.transfer_user_id
        OR OLD.first_contact_id IS DISTINCT FROM NEW.first_contact_id
        OR OLD.line_id IS DISTINCT FROM NEW.line_id
        OR OLD.related_case_id IS DISTINCT FROM NEW.related_case_id
    )
    EXECUTE FUNCTION desk_request_search_copy_scope()
    """,
    "LOCK TABLE desk_request_search IN ACCESS EXCLUSIVE MODE",
    # A row whose request is gone (the table has no foreign key) keeps nulls: no scope sees it.
    """
    CREATE TABLE desk_request_search_scoped AS
    SELECT s.request_id, s.document, r.court_id, r.division_id, r.transfer_division_id,
        r.assignee_id, r.transfer_user_id, r.first_contact_id, r.line_id, r.related_case_id
    FROM desk_request_search s LEFT JOIN desk_servicerequest r ON r.id = s.request_id
    ORDER BY s.request_id
    """,
    "DROP TABLE desk_request_search",
    "ALTER TABLE desk_request_search_scoped RENAME TO desk_request_search",
    """
    ALTER TABLE desk_request_search
        ALTER COLUMN request_id SET NOT NULL,
        ALTER COLUMN document SET NOT NULL,
        ADD CONSTRAINT desk_request_search_pkey PRIMARY KEY (request_id)
    """,
    """
    CREATE INDEX desk_request_search_gin ON desk_request_search USING gin (
        court_id, division_id, transfer_division_id, assignee_id, transfer_user_id,
        first_contact_id, line_id, related_case_id, document
    )
    """,
    # The plan choice in ``selectors.search`` reads the statistics of the new columns.
    "ANALYZE desk_request_search",
]

BACKWARDS = [
    "DROP TRIGGER IF EXISTS desk_request_search_scope ON desk_servicerequest",
    "DROP FUNCTION IF EXISTS desk_request_search_copy_scope()",
    "DROP INDEX IF EXISTS desk_request_search_gin",
    """
    ALTER TABLE desk_request_search
        DROP COLUMN IF EXISTS court_id, DROP COLUMN IF EXISTS division_id,
        DROP COLUMN IF EXISTS transfer_division_id, DROP COLUMN IF EXISTS assignee_id,
        DROP COLUMN IF EXISTS transfer_user_id, DROP COLUMN IF EXISTS first_contact_id,
        DROP COLUMN IF EXISTS line_id, DROP COLUMN IF EXISTS related_case_id
    """,
    "CREATE INDEX desk_request_search_gin ON desk_request_search USING gin (document)",
    "DROP EXTENSION IF EXISTS btree_gin",
]


def _run(schema_editor: Any, statements: list[str]) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in statements:
        schema_editor.execute(statement, params=None)


def forwards(apps: Any, schema_editor: Any) -> None:
    _run(schema_editor, FORWARDS)


def backwards(apps: Any, schema_editor: Any) -> None:
    _run(schema_editor, BACKWARDS)


class Migration(migrations.Migration):
    dependencies = [("desk", "0009_list_indexes_by_id")]
    operations = [migrations.RunPython(forwards, backwards)]
