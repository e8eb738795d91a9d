"""SQLite: the request's scope beside its words in the FTS5 index, so that FTS5 intersects them.

A search for a common word by a user whose scope holds none of its matches (a division head and
离婚, ~66,000 matches at a million requests) read every posting of the word and then every
matching request's scope: 130–150 ms of CPU in process, several times that under load. PostgreSQL
solved it with copies of the scope columns in a GIN index (migration 0010); FTS5 cannot index
columns beside its words, but it can index words in a second column. Each request's row gains a
column ``scope`` of tokens naming the values of the same eight columns (``c<court_id>``,
``d<division_id>``, ``t<transfer_division_id>``, ``a<assignee_id>``, ``u<transfer_user_id>``,
``f<first_contact_id>``, ``l<line_id>``, ``k<related_case_id>``), and the search matches
``tokens : (words) AND scope : (d25 OR a4 …)``: FTS5 intersects the posting lists, seeking
through the long one (``desk.search``, ``selectors.search``; docs/subsystems/search.md).

- The tokens are written with the row by ``search.search_index_write`` (from the saved request)
  and kept equal by the trigger ``desk_request_fts_scope`` on every UPDATE that changes one of
  the eight columns, in the same transaction, whoever writes it (its WHEN clause skips the
  saves that rewrite a column with its own value: most of a request's updates).
- FTS5 cannot add a column to a table: the index is rebuilt once into a new table (the words
  are copied, not segmented again) and renamed; the automerge setting of migration 0006 is set
  on the new table.
- The plain word search names its column (``tokens : (…)``) so that a word never matches a
  scope token.

PostgreSQL: nothing (migration 0010).
"""

from typing import Any

from django.db import migrations

# The columns and their prefixes when this was written (a migration keeps its own copy;
# ``desk.search.SQLITE_SCOPE_PREFIXES`` is the code's).
PREFIXES = (
    ("court_id", "c"),
    ("division_id", "d"),
    ("transfer_division_id", "t"),
    ("assignee_id", "a"),
    ("transfer_user_id", "u"),
    ("first_contact_id", "f"),
    ("line_id", "l"),
    ("related_case_id", "k"),
)
AUTOMERGE = 8
TOKENIZE = "tokenize='unicode61 remove_diacritics 2'"


def scope_tokens(row: str) -> str:
    """SQL: the scope tokens of the request ``row`` (a NULL column gives no token)."""
    return (
        "trim("
        + " || ' ' || ".join(
            f"coalesce('{prefix}' || {row}.{column}, '')" for column, prefix in PREFIXES
        )
        + ")"
    )


# Fixed SQL: the column names come from PREFIXES.
TRIGGER = (
    "CREATE TRIGGER desk_request_fts_scope AFTER UPDATE OF "  # noqa: S608
    + ", ".join(column for column, _prefix in PREFIXES)
    + " ON desk_servicerequest FOR EACH ROW WHEN "
    + " OR ".join(f"OLD.{column} IS NOT NEW.{column}" for column, _prefix in PREFIXES)
    + " BEGIN UPDATE desk_request_fts SET scope = "
    + scope_tokens("NEW")
    + " WHERE rowid = NEW.id; END"
)


def _rebuild(schema_editor: Any, *, columns: str, select: str) -> None:
    execute = schema_editor.execute
    execute("DROP TABLE IF EXISTS desk_request_fts_new")
    execute(f"CREATE VIRTUAL TABLE desk_request_fts_new USING fts5({columns}, {TOKENIZE})")
    execute(
        "INSERT INTO desk_request_fts_new(desk_request_fts_new, rank) VALUES ('automerge', %s)",
        [AUTOMERGE],
    )
    execute(select)
    execute("DROP TABLE desk_request_fts")
    execute("ALTER TABLE desk_request_fts_new RENAME TO desk_request_fts")


def forwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "sqlite":
        return
    _rebuild(
        schema_editor,
        columns="tokens, scope",
        select=(
            "INSERT INTO desk_request_fts_new(rowid, tokens, scope) "  # noqa: S608
            f"SELECT f.rowid, f.tokens, {scope_tokens('r')} FROM desk_request_fts f "
            "LEFT JOIN desk_servicerequest r ON r.id = f.rowid ORDER BY f.rowid"
        ),
    )
    schema_editor.execute(TRIGGER)


def backwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute("DROP TRIGGER IF EXISTS desk_request_fts_scope")
    _rebuild(
        schema_editor,
        columns="tokens",
        select=(
            "INSERT INTO desk_request_fts_new(rowid, tokens) "
            "SELECT rowid, tokens FROM desk_request_fts ORDER BY rowid"
        ),
    )


class Migration(migrations.Migration):
    dependencies = [("desk", "0010_search_scope_columns")]
    operations = [migrations.RunPython(forwards, backwards)]
