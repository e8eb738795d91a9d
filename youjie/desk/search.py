"""The full-text index of service requests (title, content, replies).

SQLite: FTS5 table ``desk_request_fts`` (rowid = request id; columns ``tokens``, the words, and
``scope``, tokens naming the request's scope columns: ``SQLITE_SCOPE_PREFIXES``). PostgreSQL: table
``desk_request_search`` (request_id, document tsvector, and copies of the request's scope
columns, ``SCOPE_COLUMNS``), GIN-indexed over all of them. Both are written in the same
transaction as the change, by ``search_index_update``; both are created by migration.
"""

from __future__ import annotations

import time
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from django.db import connection
from django.db.models.expressions import RawSQL

from youjie.core.textsearch import fts5_match_expression, query_terms, segment

# PostgreSQL: the request's columns that decide who may see it (``desk.scopes``: the unit
# fields, then the user fields and the first step of the user paths through a relation),
# copied into ``desk_request_search`` beside the words (desk migration 0010). The GIN index over
# them and the tsvector answers "the matches in this scope" as exact index intersections, with
# no heap read when there are none. The copies are written with the row here and kept equal by
# the trigger ``desk_request_search_scope`` on every UPDATE of the request (migration 0010).
UNIT_COLUMNS = ("court_id", "division_id", "transfer_division_id")
SCOPE_COLUMNS = (
    *UNIT_COLUMNS,
    "assignee_id",
    "transfer_user_id",
    "first_contact_id",
    "line_id",
    "related_case_id",
)
# SQLite: the same columns as tokens in the FTS5 column ``scope`` (desk migration 0011), each
# value behind its column's letter, so that FTS5 intersects a word's postings with a scope's.
SQLITE_SCOPE_PREFIXES = {
    "court_id": "c",
    "division_id": "d",
    "transfer_division_id": "t",
    "assignee_id": "a",
    "transfer_user_id": "u",
    "first_contact_id": "f",
    "line_id": "l",
    "related_case_id": "k",
}
SQLITE_SCOPE_TOKENS = (
    "trim("
    + " || ' ' || ".join(
        f"coalesce('{prefix}' || {column}, '')" for column, prefix in SQLITE_SCOPE_PREFIXES.items()
    )
    + ")"
)
# Fixed SQL: the column names come from the constants above.
_SQLITE_WRITE = (
    "INSERT OR REPLACE INTO desk_request_fts(rowid, tokens, scope) "  # noqa: S608
    f"SELECT id, %s, {SQLITE_SCOPE_TOKENS} FROM desk_servicerequest WHERE id = %s"
)
# Past this many values a scope's OR costs FTS5 more than it saves: walk (``scoped_match_sql``).
SQLITE_SCOPE_TOKENS_MAX = 200
# All of them in one write: the request is saved before its row (intake, replies).
_POSTGRES_WRITE = (
    "INSERT INTO desk_request_search (request_id, document, court_id, division_id, "
    "transfer_division_id, assignee_id, transfer_user_id, first_contact_id, line_id, "
    "related_case_id) "
    "SELECT id, to_tsvector('simple', %s), court_id, division_id, transfer_division_id, "
    "assignee_id, transfer_user_id, first_contact_id, line_id, related_case_id "
    "FROM desk_servicerequest WHERE id = %s "
    "ON CONFLICT (request_id) DO UPDATE SET document = EXCLUDED.document, "
    "court_id = EXCLUDED.court_id, division_id = EXCLUDED.division_id, "
    "transfer_division_id = EXCLUDED.transfer_division_id, assignee_id = EXCLUDED.assignee_id, "
    "transfer_user_id = EXCLUDED.transfer_user_id, "
    "first_contact_id = EXCLUDED.first_contact_id, line_id = EXCLUDED.line_id, "
    "related_case_id = EXCLUDED.related_case_id"
)
# "In the scope" below: one arm per copied column (``SCOPE_COLUMNS``, in that order), each given
# the values that make a request visible (an empty array matches nothing). The GIN index
# answers each arm together with the words: a BitmapOr of exact intersections.
#
# The newest ``%s`` rows by the primary key (a condition outside cannot reach inside that
# LIMIT), those of them that match in the scope, counted up to ``%s``.
_RECENT_IN_SCOPE = (
    "SELECT count(*) FROM (SELECT 1 FROM (SELECT * FROM desk_request_search "
    "ORDER BY request_id DESC LIMIT %s) AS newest "
    "WHERE document @@ to_tsquery('simple', %s) "
    "AND (court_id = ANY(%s::bigint[]) OR division_id = ANY(%s::bigint[]) "
    "OR transfer_division_id = ANY(%s::bigint[]) OR assignee_id = ANY(%s::bigint[]) "
    "OR transfer_user_id = ANY(%s::bigint[]) OR first_contact_id = ANY(%s::bigint[]) "
    "OR line_id = ANY(%s::bigint[]) OR related_case_id = ANY(%s::bigint[])) "
    "LIMIT %s) AS found"
)
# The matches in the scope, planned for all of them (a CTE is: a bitmap scan of the GIN index,
# never a scan of the table betting on an early LIMIT), read up to ``%s``.
_MATCHES_IN_SCOPE = (
    "WITH found AS MATERIALIZED (SELECT request_id FROM desk_request_search "
    "WHERE document @@ to_tsquery('simple', %s) "
    "AND (court_id = ANY(%s::bigint[]) OR division_id = ANY(%s::bigint[]) "
    "OR transfer_division_id = ANY(%s::bigint[]) OR assignee_id = ANY(%s::bigint[]) "
    "OR transfer_user_id = ANY(%s::bigint[]) OR first_contact_id = ANY(%s::bigint[]) "
    "OR line_id = ANY(%s::bigint[]) OR related_case_id = ANY(%s::bigint[]))) "
    "SELECT request_id FROM found LIMIT %s"
)


def search_words(*, title: str, content: str, replies: Sequence[str] = ()) -> list[str]:
    """The words a request is indexed under (jieba, search mode).

    Segmenting is the CPU-heavy part of indexing: intake does it before its transaction
    opens, so that SQLite's single write lock is not held while jieba runs."""
    return segment(" ".join(part for part in (title, content, *replies) if part))


def search_index_write(*, request_id: int, words: list[str]) -> None:
    """Store (or replace) the request's row; one statement on either database.

    The row takes its scope columns (PostgreSQL) or scope tokens (SQLite) from the request,
    which must already be saved (intake writes the row after its INSERT, replies after theirs)."""
    tokens = " ".join(words)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # FTS5 honours OR REPLACE on the rowid: the old row's tokens leave the index.
            cursor.execute(_SQLITE_WRITE, [tokens, request_id])
        else:
            cursor.execute(_POSTGRES_WRITE, [tokens, request_id])


def search_index_update(*, request_id: int, title: str, content: str, replies: list[str]) -> None:
    search_index_write(
        request_id=request_id,
        words=search_words(title=title, content=content, replies=replies),
    )


def _tsquery(terms: list[str]) -> str:
    """PostgreSQL: the terms ANDed, each quoted (no operator comes from the user)."""
    return " & ".join("'" + term.replace("'", "''").replace("\\", "") + "'" for term in terms)


def search_ids_sql(query: str) -> tuple[str, list[str]] | None:
    """SQL selecting the ids of requests matching ``query`` (all words), or None if empty.

    The index tables have no model: FTS5's is a virtual table whose ``MATCH`` has no ORM
    expression, and PostgreSQL's is derived data kept outside the ORM (migration 0002), so
    the ORM cannot name its ``document`` column for a ``SearchQuery``. This module is the
    one place where the search is written as SQL: fixed text, the user's words only ever a
    parameter (each term quoted, so that no operator comes from the user)."""
    terms = query_terms(query)
    if not terms:
        return None
    if connection.vendor == "sqlite":
        return (
            "SELECT rowid FROM desk_request_fts WHERE desk_request_fts MATCH %s",
            [_sqlite_words(terms)],
        )
    return (
        "SELECT request_id FROM desk_request_search WHERE document @@ to_tsquery('simple', %s)",
        [_tsquery(terms)],
    )


def _sqlite_words(terms: list[str]) -> str:
    """The FTS5 expression of the words, limited to the column of words (never the scope's)."""
    return f"tokens : ({fts5_match_expression(terms)})"


def sqlite_scope_expression(scope: Mapping[str, Collection[int]]) -> str | None:
    """``scope`` (a copied column → the values that make a request visible) as an FTS5 OR of
    scope tokens; None when it has more than ``SQLITE_SCOPE_TOKENS_MAX`` values (walk) or
    names a column the index does not carry."""
    unknown = set(scope) - set(SQLITE_SCOPE_PREFIXES)
    if unknown:
        raise ValueError(f"not scope columns of desk_request_fts: {sorted(unknown)}")
    tokens = [
        f"{SQLITE_SCOPE_PREFIXES[column]}{int(value)}"
        for column in SQLITE_SCOPE_PREFIXES
        for value in sorted(scope.get(column, ()))
    ]
    if len(tokens) > SQLITE_SCOPE_TOKENS_MAX:
        return None
    return "scope : (" + " OR ".join(tokens) + ")" if tokens else ""


def sqlite_match_expression(
    query: str, scope: Mapping[str, Collection[int]] | None = None
) -> str | None:
    """SQLite: the FTS5 expression of ``query``'s words, ANDed with ``scope``'s tokens when a
    scope is given and not too wide (``sqlite_scope_expression``); "" when the scope is empty
    (nothing matches); None when the query has no words."""
    terms = query_terms(query)
    if not terms:
        return None
    words = _sqlite_words(terms)
    in_scope = None if scope is None else sqlite_scope_expression(scope)
    if in_scope is None:
        return words
    return f"{words} AND {in_scope}" if in_scope else ""


def scoped_search_ids(query: str, scope: Mapping[str, Collection[int]]) -> RawSQL | None:
    """SQLite: the ids of the requests matching ``query`` whose scope tokens hold one of
    ``scope``'s values, intersected inside FTS5; None when the query has no words or the scope
    is too wide for it (then ``search_ids`` and the scope's filter do it). An empty scope
    matches nothing."""
    if connection.vendor != "sqlite" or sqlite_scope_expression(scope) is None:
        return None
    expression = sqlite_match_expression(query, scope)
    if expression is None:
        return None
    if not expression:
        return RawSQL("SELECT rowid FROM desk_request_fts WHERE 0", [])
    return RawSQL(  # fixed SQL: the words and the scope tokens are one parameter
        "SELECT rowid FROM desk_request_fts WHERE desk_request_fts MATCH %s", [expression]
    )


def newest_match_ids(expression: str, *, most: int) -> list[int]:
    """SQLite: the ids of the ``most`` newest requests matching the FTS5 ``expression``
    (``sqlite_match_expression``), newest first. FTS5 reads the posting lists backwards and
    stops there: a bounded read however many requests match."""
    if not expression:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rowid FROM desk_request_fts WHERE desk_request_fts MATCH %s "
            "ORDER BY rowid DESC LIMIT %s",
            [expression, most],
        )
        return [int(request_id) for (request_id,) in cursor.fetchall()]


def search_ids(query: str) -> RawSQL | None:
    """The ids of the requests matching ``query``, for ``filter(pk__in=…)``; None if the
    query has no words (``search_ids_sql``)."""
    found = search_ids_sql(query)
    if found is None:
        return None
    sql, params = found
    return RawSQL(sql, params)  # noqa: S611 - fixed SQL, the words are parameters


# --- PostgreSQL: the matches inside a scope, through the scope columns --------------------------


def _scope_params(scope: Mapping[str, Collection[int]]) -> list[list[int]]:
    """``scope`` (a copied column → the values that make a request visible) as the parameters
    of the "in the scope" arms, in ``SCOPE_COLUMNS`` order."""
    unknown = set(scope) - set(SCOPE_COLUMNS)
    if unknown:
        raise ValueError(f"not scope columns of desk_request_search: {sorted(unknown)}")
    return [sorted(scope.get(column, ())) for column in SCOPE_COLUMNS]


def recent_scoped_matches(
    query: str, scope: Mapping[str, Collection[int]], *, newest: int, enough: int
) -> int:
    """How many of the ``newest`` indexed requests match ``query`` inside ``scope``, counted up
    to ``enough`` (PostgreSQL): a bounded read whatever the words and the scope, which tells
    whether walking the requests newest first fills a page soon."""
    terms = query_terms(query)
    if not terms or not any(scope.values()):
        return 0
    with connection.cursor() as cursor:
        cursor.execute(_RECENT_IN_SCOPE, [newest, _tsquery(terms), *_scope_params(scope), enough])
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def scoped_match_ids(query: str, scope: Mapping[str, Collection[int]], *, most: int) -> list[int]:
    """The ids of up to ``most`` requests matching ``query`` inside ``scope`` (PostgreSQL), in
    no particular order; all of them when fewer than ``most`` come back."""
    terms = query_terms(query)
    if not terms or not any(scope.values()):
        return []
    with connection.cursor() as cursor:
        cursor.execute(_MATCHES_IN_SCOPE, [_tsquery(terms), *_scope_params(scope), most])
        return [int(request_id) for (request_id,) in cursor.fetchall()]


# --- PostgreSQL: what its statistics say about the words and the scope columns ------------------

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


@dataclass(frozen=True)
class ScopeStatistics:
    """From ``pg_stats`` of ``desk_request_search``: the share of rows holding each common word
    (``most_common_elem_freqs``) and each common value of the unit columns
    (``most_common_freqs``)."""

    term_shares: Mapping[str, float]
    unit_shares: Mapping[str, Mapping[int, float]]

    def least_share(self, *, query: str, unit_ids: Collection[int]) -> float:
        """A lower bound on the share of indexed requests that match every word of ``query``
        and hold one of ``unit_ids`` in a unit column, whatever the words and the units have
        to do with each other: of two sets holding shares a and b of the rows, their
        intersection holds at least a + b - 1. 0.0 when the statistics cannot tell."""
        terms = query_terms(query)
        if not terms:
            return 0.0
        words = sum(self.term_shares.get(term, 0.0) for term in terms) - (len(terms) - 1)
        units = max(
            (
                sum(shares.get(unit_id, 0.0) for unit_id in set(unit_ids))
                for shares in self.unit_shares.values()
            ),
            default=0.0,
        )
        return max(0.0, words + units - 1.0)


_scope_statistics: tuple[float, ScopeStatistics | None] | None = None


def postgres_scope_statistics() -> ScopeStatistics | None:
    """``ScopeStatistics``, read at most every ten minutes per process; None on SQLite or
    before the table's first ANALYZE."""
    global _scope_statistics
    now = time.monotonic()
    if _scope_statistics is not None and now - _scope_statistics[0] < COMMON_TERMS_SECONDS:
        return _scope_statistics[1]
    found: ScopeStatistics | None = None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT attname, most_common_elems::text::text[], most_common_elem_freqs, "
                "most_common_vals::text::text[], most_common_freqs FROM pg_stats "
                "WHERE schemaname = current_schema() AND tablename = 'desk_request_search' "
                "AND attname::text = ANY(%s::text[])",
                [["document", *UNIT_COLUMNS]],
            )
            rows = cursor.fetchall()
        terms: dict[str, float] = {}
        units: dict[str, dict[int, float]] = {}
        for name, elements, element_shares, values, value_shares in rows:
            if name == "document" and elements and element_shares:
                # most_common_elem_freqs ends with three summary numbers (min, max, nulls).
                terms = dict(zip(elements, element_shares, strict=False))
            elif name != "document":
                units[name] = dict(
                    zip((int(value) for value in values or ()), value_shares or (), strict=False)
                )
        if terms:
            found = ScopeStatistics(term_shares=terms, unit_shares=units)
    _scope_statistics = (now, found)
    return found
