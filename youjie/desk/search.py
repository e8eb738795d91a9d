"""The full-text index of service requests (title, content, replies).

SQLite: FTS5 table ``desk_request_fts`` (rowid = request id). PostgreSQL: table
``desk_request_search`` (request_id, document tsvector, GIN index). Both are written in the
same transaction as the change, by ``search_index_update``; both are created by migration.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection

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
    """SQL selecting the ids of requests matching ``query`` (all words), or None if empty."""
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
