"""Compiled list statements, kept per process for the lists people open again and again.

A queue page's statement is the same from one request to the next as long as its inputs are
(the viewer's scope, the division, the search words, the page). Django builds and compiles it
anew each time: for the division queue that was about a third of the page's CPU, several times
what SQLite spends running it. ``values_rows(model, key, build, offset, limit)`` compiles
``build()[offset:offset + limit]`` — a ``.values()`` queryset — the first time a key is seen and
reuses the SQL, the parameters and the column converters afterwards.

The key must name every input the statement depends on (``build`` is only called on a miss):
callers build it from ``orgs.scoping.scope_key`` plus their own arguments. A statement whose
values depend on the clock (``now``) must not be cached this way. Rows come back as the dicts
``QuerySet.values()`` gives, through the same converters; nothing is cached but statements.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import Model, QuerySet

from youjie.core.statements import Converter

MAX_STATEMENTS = 512


@dataclass(frozen=True)
class _Statement:
    sql: str  # empty: the query can match nothing (Django raised EmptyResultSet)
    params: tuple[Any, ...]
    names: tuple[str, ...]
    converters: tuple[tuple[int, tuple[Converter, ...], Any], ...]


class _Cache:
    """A small LRU of statements shared by the process's threads (statements hold no
    connection: each call runs on its own thread's connection)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, _Statement] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> _Statement | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: Hashable, statement: _Statement) -> None:
        with self._lock:
            self._items[key] = statement
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


_CACHE = _Cache(MAX_STATEMENTS)


def _compile(queryset: QuerySet[Any], alias: str) -> _Statement:
    query = queryset.query
    if not query.values_select and not query.annotation_select:
        raise TypeError("values_rows needs a .values() queryset")
    names = (*query.extra_select, *query.values_select, *query.annotation_select)
    compiler = query.get_compiler(using=alias)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return _Statement("", (), names, ())
    fields = [selected[0] for selected in compiler.select]
    if len(fields) != len(names):  # pragma: no cover - Django's own invariant
        raise TypeError("the statement's columns do not match the values' names")
    converters = tuple(
        (index, tuple(functions), expression)
        for index, (functions, expression) in compiler.get_converters(fields).items()
    )
    return _Statement(sql, tuple(params), names, converters)


def values_rows(
    model: type[Model],
    key: Hashable,
    build: Callable[[], QuerySet[Any]],
    *,
    offset: int,
    limit: int,
) -> list[dict[str, Any]]:
    """``list(build()[offset:offset + limit])`` for a ``.values()`` queryset, compiled once per
    ``key`` (which must determine the statement) and database."""
    alias = router.db_for_read(model)
    connection = connections[alias]
    cache_key = (alias, connection.vendor, key, offset, limit)
    statement = _CACHE.get(cache_key)
    if statement is None:
        statement = _compile(build()[offset : offset + limit], alias)
        _CACHE.put(cache_key, statement)
    if not statement.sql:
        return []
    with connection.cursor() as cursor:
        cursor.execute(statement.sql, statement.params)
        rows: Sequence[Sequence[Any]] = cursor.fetchall()
    names = statement.names
    if not statement.converters:
        return [dict(zip(names, row, strict=True)) for row in rows]
    result = []
    for row in rows:
        values = list(row)
        for index, functions, expression in statement.converters:
            value = values[index]
            for function in functions:
                value = function(value, expression, connection)
            values[index] = value
        result.append(dict(zip(names, values, strict=True)))
    return result


def clear() -> None:
    """Forget every statement (tests that change how statements are built)."""
    _CACHE.clear()
