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

``objects(model, key, build, *values)`` does the same for model instances (with their
``select_related`` relations), where some values change from call to call — a primary key, a
subject id: ``build(*values)`` is compiled once with stand-in values, which must each appear
exactly once among the statement's parameters, and later calls put the real values in their
places. Anything else falls back to running ``build(*values)`` as usual.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators  # type: ignore[attr-defined]

MAX_STATEMENTS = 512
M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class _Statement:
    sql: str  # empty: the query can match nothing (Django raised EmptyResultSet)
    params: tuple[Any, ...]
    names: tuple[str, ...]
    converters: tuple[tuple[int, tuple[Any, ...], Any], ...]


class _Cache:
    """A small LRU of statements shared by the process's threads (statements hold no
    connection: each call runs on its own thread's connection)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: Hashable, statement: Any) -> None:
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


try:
    from django.db.backends.sqlite3.operations import DatabaseOperations as _SQLiteOperations

    _SQLITE_DATETIME: Any = _SQLiteOperations.convert_datetimefield_value
except ImportError:  # pragma: no cover - the sqlite3 module is always there
    _SQLITE_DATETIME = None


def _aware(value: Any, expression: Any, connection: Any) -> Any:
    """SQLite's datetime converter (``convert_datetimefield_value``); ``_convert`` does its
    common case inline: a naive datetime made aware in the connection's time zone."""
    return connection.ops.convert_datetimefield_value(value, expression, connection)


def _converters(compiler: Any, fields: list[Any]) -> tuple[tuple[int, tuple[Any, ...], Any], ...]:
    found = []
    for index, (functions, expression) in compiler.get_converters(fields).items():
        marked = tuple(
            _aware
            if _SQLITE_DATETIME is not None
            and getattr(function, "__func__", None) is _SQLITE_DATETIME
            else function
            for function in functions
        )
        found.append((index, marked, expression))
    return tuple(found)


def _convert(
    rows: Sequence[Sequence[Any]],
    converters: tuple[tuple[int, tuple[Any, ...], Any], ...],
    connection: Any,
) -> list[list[Any]]:
    """The rows through the backend's and the fields' converters, as the ORM applies them."""
    zone = connection.timezone if settings.USE_TZ else None  # read once, not once a value
    converted = []
    for raw in rows:
        row = list(raw)
        for index, functions, expression in converters:
            value = row[index]
            for function in functions:
                if function is _aware and zone is not None and type(value) is datetime:
                    if value.tzinfo is None:
                        value = value.replace(tzinfo=zone)
                else:
                    value = function(value, expression, connection)
            row[index] = value
        converted.append(row)
    return converted


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
    return _Statement(sql, tuple(params), names, _converters(compiler, fields))


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
    statement: _Statement | None = _CACHE.get(cache_key)
    if statement is None:
        statement = _compile(build()[offset : offset + limit], alias)
        _CACHE.put(cache_key, statement)
    if not statement.sql:
        return []
    with connection.cursor() as cursor:
        cursor.execute(statement.sql, statement.params)
        rows: Sequence[Sequence[Any]] = cursor.fetchall()
    names = statement.names
    if statement.converters:
        rows = _convert(rows, statement.converters, connection)
    return [dict(zip(names, row, strict=True)) for row in rows]


@dataclass(frozen=True)
class _ObjectStatement:
    sql: str
    params: tuple[Any, ...]
    slots: tuple[int, ...]  # where each value goes among the parameters
    start: int
    end: int
    model: type[Model]
    init_list: tuple[str, ...]
    populators: tuple[Any, ...]
    annotations: tuple[tuple[str, int], ...]
    converters: tuple[tuple[int, tuple[Any, ...], Any], ...]


class _NotCompiled(Exception):
    """The statement cannot be remembered (stand-ins not found once each, an empty query,
    known related objects): run the queryset as usual."""


# Stand-ins no real value takes: ids are positive, and no text holds a NUL.
_INT_STAND_IN = -2_046_129_331
_STR_STAND_IN = "\x00youjie-stand-in-"
# Integers every integer column takes (a 32-bit one on PostgreSQL included).
_INT_MIN, _INT_MAX = -(2**31), 2**31 - 1


def _stand_ins(values: Sequence[Any]) -> list[Any]:
    found: list[Any] = []
    for index, value in enumerate(values):
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise _NotCompiled
        found.append(_INT_STAND_IN - index if isinstance(value, int) else f"{_STR_STAND_IN}{index}")
    return found


def _compile_objects(queryset: QuerySet[Any], stand_ins: list[Any], alias: str) -> _ObjectStatement:
    if queryset._known_related_objects or queryset.query.values_select:  # type: ignore[attr-defined]
        raise _NotCompiled
    compiler = queryset.query.get_compiler(using=alias)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet as exc:
        raise _NotCompiled from exc
    slots = []
    for stand_in in stand_ins:
        places = [index for index, param in enumerate(params) if param == stand_in]
        if len(places) != 1:
            raise _NotCompiled
        slots.append(places[0])
    select, klass_info = compiler.select, compiler.klass_info
    if klass_info is None:
        raise _NotCompiled
    select_fields = klass_info["select_fields"]
    start, end = select_fields[0], select_fields[-1] + 1
    fields = [selected[0] for selected in select[: compiler.col_count]]
    converters = _converters(compiler, fields)
    return _ObjectStatement(
        sql=sql,
        params=tuple(params),
        slots=tuple(slots),
        start=start,
        end=end,
        model=klass_info["model"],
        init_list=tuple(selected[0].target.attname for selected in select[start:end]),
        populators=tuple(get_related_populators(klass_info, select, alias)),
        annotations=tuple(compiler.annotation_col_map.items()),
        converters=converters,
    )


def objects(
    model: type[M], key: Hashable, build: Callable[..., QuerySet[M]], *values: Any
) -> list[M]:
    """``list(build(*values))``, compiled once per ``key`` and database: ``key`` must
    determine the statement except for ``values`` (ints or strings, each used once)."""
    if any(isinstance(value, int) and not _INT_MIN <= value <= _INT_MAX for value in values):
        # The ORM answers an out-of-range integer with no rows rather than sending it.
        return list(build(*values))
    alias = router.db_for_read(model)
    connection = connections[alias]
    cache_key = ("objects", alias, connection.vendor, key, len(values))
    statement: _ObjectStatement | None = _CACHE.get(cache_key)
    if statement is None:
        try:
            stand_ins = _stand_ins(values)
            statement = _compile_objects(build(*stand_ins), stand_ins, alias)
        except _NotCompiled:
            return list(build(*values))
        _CACHE.put(cache_key, statement)
    params = list(statement.params)
    for slot, value in zip(statement.slots, values, strict=True):
        params[slot] = value
    with connection.cursor() as cursor:
        cursor.execute(statement.sql, params)
        rows = cursor.fetchall()
    found: list[Any] = []
    for row in _convert(rows, statement.converters, connection):
        obj = statement.model.from_db(
            alias, statement.init_list, row[statement.start : statement.end]
        )
        for populator in statement.populators:
            populator.populate(row, obj)
        for name, position in statement.annotations:
            setattr(obj, name, row[position])
        found.append(obj)
    return found


def clear() -> None:
    """Forget every statement (tests that change how statements are built)."""
    _CACHE.clear()
