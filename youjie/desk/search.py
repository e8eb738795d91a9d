"""The full-text index of service requests (title, content, replies).

SQLite: FTS5 table ``desk_request_fts`` (rowid = request id). PostgreSQL: table
``desk_request_search`` (request_id, document tsvector, GIN index). Both are written in the
same transaction as the change, by ``search_index_update``; both are created by migration.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from django.db import connection
from django.db.models.expressions import RawSQL

from youjie.core.textsearch import fts5_match_expression, query_terms, segment


def search_words(*, title: str, content: str, replies: Sequence[str] = ()) -> list[str]:
    """The words a request is indexed under (jieba, search mode).

    Segmenting is the CPU-heavy part of indexing: intake does it before its transaction
    opens, so that SQLite's single write lock is not held while jieba runs."""
    return segment(" ".join(part for part in (title, content, *replies) if part))


def search_index_write(*, request_id: int, words: list[str]) -> None:
    """Store (or replace) the request's row; one statement on either database."""
    tokens = " ".join(words)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # FTS5 honours OR REPLACE on the rowid: the old row's tokens leave the index.
            cursor.execute(
                "INSERT OR REPLACE INTO desk_request_fts(rowid, tokens) VALUES (%s, %s)",
                [request_id, tokens],
            )
        else:
            cursor.execute(
                "INSERT INTO desk_request_search(request_id, document) "
                "VALUES (%s, to_tsvector('simple', %s)) "
                "ON CONFLICT (request_id) DO UPDATE SET document = EXCLUDED.document",
                [request_id, tokens],
            )


def search_index_update(*, request_id: int, title: str, content: str, replies: list[str]) -> None:
    search_index_write(
        request_id=request_id,
        words=search_words(title=title, content=content, replies=replies),
    )


def search_ids_sql(query: str) -> tuple[str, list[str]] | None:
    """SQL selecting the ids of requests matching ``query`` (all words), or None if empty.

    The index tables have no model: FTS5's is a virtual table whose ``MATCH`` has no ORM
    expression, and PostgreSQL's is derived data kept outside the ORM (migration 0002), so
    the ORM cannot name its ``document`` column for a ``SearchQuery``. This statement is the
    one place where the search is written as SQL: fixed text, the user's words only ever a
    parameter (each term quoted, so that no operator comes from the user)."""
    terms = query_terms(query)
    if not terms:
        return None
    if connection.vendor == "sqlite":
        return (
            "SELECT rowid FROM desk_request_fts WHERE desk_request_fts MATCH %s",
            [fts5_match_expression(terms)],
        )
    tsquery = " & ".join("'" + term.replace("'", "''").replace("\\", "") + "'" for term in terms)
    return (
        "SELECT request_id FROM desk_request_search WHERE document @@ to_tsquery('simple', %s)",
        [tsquery],
    )


def search_ids(query: str) -> RawSQL | None:
    """The ids of the requests matching ``query``, for ``filter(pk__in=…)``; None if the
    query has no words (``search_ids_sql``)."""
    found = search_ids_sql(query)
    if found is None:
        return None
    sql, params = found
    return RawSQL(sql, params)  # noqa: S611 - fixed SQL, the words are parameters


# --- PostgreSQL: which words its statistics know as common -------------------------------------

COMMON_TERMS_SECONDS = 600.0
_common_terms: tuple[float, frozenset[str] | None] | None = None


def postgres_common_terms() -> frozenset[str] | None:
    """The words PostgreSQL's statistics list as common in the index (``most_common_elems`` of
    ``desk_request_search.document``), read at most every ten minutes per process; None on
    SQLite or before the table's first ANALYZE."""
    global _common_terms
    now = time.monotonic()
    if _common_terms is not None and now - _common_terms[0] < COMMON_TERMS_SECONDS:
        return _common_terms[1]
    found: frozenset[str] | None = None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT most_common_elems::text::text[] FROM pg_stats "
                "WHERE schemaname = current_schema() AND tablename = 'desk_request_search' "
                "AND attname = 'document'"
            )
            row = cursor.fetchone()
        if row is not None and row[0] is not None:
            found = frozenset(row[0])
    _common_terms = (now, found)
    return found


def has_uncommon_term(query: str) -> bool:
    """True on PostgreSQL when a word of ``query`` is not among the index's common words, so
    that fewer requests match all of them than match its least common listed word.

    PostgreSQL answers ``ORDER BY id DESC LIMIT 26`` over a full-text match by walking the
    requests newest first and testing each one's words; for a word that matches nothing, or
    little, it reads every row (0.8–1 s at a million requests). Such a query is better read
    through the GIN index and sorted (``selectors.search``)."""
    if connection.vendor != "postgresql":
        return False
    common = postgres_common_terms()
    return common is not None and any(term not in common for term in query_terms(query))
