"""Fixed statements for the hottest paths: rows read by a unique key, rows inserted.

For a one-row lookup by an indexed column, or the INSERT of one new row, Django spends several
times longer building and compiling the statement than SQLite spends running it (``raw()``
still resolves its columns and converters on every call). These build each statement once per
model and database and leave every value to the model's fields, as the ORM does:

- ``FixedLookup(Model, "field", …).first(value, …)`` is ``Model.objects.filter(field=value,
  …).first()`` on a unique key, with instances made by ``Model.from_db`` through the backend's
  converters;
- ``insert_rows(objects)`` is ``Model.objects.bulk_create(objects)``: the fields prepare the
  values (``pre_save`` stamps ``auto_now``, ``get_db_prep_save`` encodes JSON and datetimes)
  and the new primary keys are set. Like ``bulk_create`` it sends no signals; the project
  connects none (CONVENTIONS rule 6: no hidden behaviour in ``save()``).
- ``insert_unless_conflict(instance)``: the same for one row, skipped when a unique
  constraint already holds its values (``INSERT … ON CONFLICT DO NOTHING``).

Inserting with ``RETURNING`` needs SQLite ≥ 3.35 or PostgreSQL; elsewhere both fall back to
``bulk_create``. A request registration reads three rows with these and inserts five (in
four statements); everywhere else the ORM is the clearer choice.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from django.db import IntegrityError, connections, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field, Model, QuerySet

M = TypeVar("M", bound=Model)
Converter = Callable[[Any, Any, BaseDatabaseWrapper], Any]


class Converters:
    """The backend's converters for columns read by hand (what the ORM applies to a row):
    SQLite's text datetimes into aware datetimes, integers into booleans, JSON into values."""

    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        self.connection = connection
        self.found: list[tuple[int, list[Converter], Any]] = []

    def add(self, index: int, field: Field[Any, Any], table_alias: str) -> None:
        column = field.get_col(table_alias)
        found = self.connection.ops.get_db_converters(column) + column.get_db_converters(
            self.connection
        )
        if found:
            self.found.append((index, found, column))

    def apply(self, row: Sequence[Any]) -> list[Any]:
        values = list(row)
        for index, functions, column in self.found:
            for function in functions:
                values[index] = function(values[index], column, self.connection)
        return values


class _Select:
    def __init__(self, model: type[Model], by: Sequence[str], connection: BaseDatabaseWrapper):
        quote = connection.ops.quote_name
        meta = model._meta
        self.fields: list[Field[Any, Any]] = list(meta.concrete_fields)
        self.names = [field.attname for field in self.fields]
        self.keys: list[Field[Any, Any]] = [meta.get_field(name) for name in by]  # type: ignore[misc]
        self.converters = Converters(connection)
        for index, field in enumerate(self.fields):
            self.converters.add(index, field, meta.db_table)
        columns = ", ".join(quote(field.column) for field in self.fields)
        where = " AND ".join(f"{quote(key.column)} = %s" for key in self.keys)
        # Names from the model's meta; values are parameters.
        self.sql = f"SELECT {columns} FROM {quote(meta.db_table)} WHERE {where}"  # noqa: S608


class FixedLookup(Generic[M]):
    """``FixedLookup(MatterType, "code", "is_active").first("errand", True)`` is
    ``MatterType.objects.filter(code="errand", is_active=True).first()`` without the ordering:
    use it on unique keys, where there is one row or none."""

    def __init__(self, model: type[M], *by: str) -> None:
        self.model = model
        self.by = by
        self._statements: dict[str, _Select] = {}

    def first(self, *values: Any) -> M | None:
        if len(values) != len(self.by):
            raise TypeError(f"expected {len(self.by)} values ({', '.join(self.by)})")
        connection = connections[router.db_for_read(self.model)]
        statement = self._statements.get(connection.alias)
        if statement is None:
            statement = self._statements[connection.alias] = _Select(
                self.model, self.by, connection
            )
        params = [
            key.get_db_prep_value(value, connection)
            for key, value in zip(statement.keys, values, strict=True)
        ]
        with connection.cursor() as cursor:
            cursor.execute(statement.sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        return self.model.from_db(
            connection.alias, statement.names, statement.converters.apply(row)
        )


class _Insert:
    def __init__(self, model: type[Model], connection: BaseDatabaseWrapper):
        quote = connection.ops.quote_name
        meta = model._meta
        self.fields: list[Field[Any, Any]] = [
            field
            for field in meta.local_concrete_fields
            if not field.primary_key and not field.generated
        ]
        self.head = (
            f"INSERT INTO {quote(meta.db_table)} "  # noqa: S608 (names from meta)
            f"({', '.join(quote(field.column) for field in self.fields)}) VALUES "
        )
        self.row = f"({', '.join(['%s'] * len(self.fields))})"
        self.returning = f" RETURNING {quote(meta.pk.column)}"
        self.sql: dict[tuple[int, bool], str] = {}

    def statement(self, rows: int, *, unless_conflict: bool) -> str:
        sql = self.sql.get((rows, unless_conflict))
        if sql is None:
            sql = self.head + ", ".join([self.row] * rows)
            # Without a conflict target, DO NOTHING covers every unique constraint (partial
            # ones too) and nothing else: a NOT NULL or CHECK violation still raises.
            sql += " ON CONFLICT DO NOTHING" if unless_conflict else ""
            sql = self.sql[(rows, unless_conflict)] = sql + self.returning
        return sql


_INSERTS: dict[tuple[type[Model], str], _Insert] = {}


def _insert(objects: Sequence[Model], *, unless_conflict: bool) -> list[Any] | None:
    """The new keys, in order; None when the database cannot return them (then nothing ran)."""
    model = type(objects[0])
    connection = connections[router.db_for_write(model)]
    meta = model._meta
    if (
        meta.parents
        or meta.auto_field is None
        or not connection.features.can_return_rows_from_bulk_insert
    ):
        return None
    statement = _INSERTS.get((model, connection.alias))
    if statement is None:
        statement = _INSERTS[(model, connection.alias)] = _Insert(model, connection)
    params: list[Any] = []
    for instance in objects:
        if type(instance) is not model or instance.pk is not None:
            raise ValueError("only new instances of one model can be inserted together")
        # What save() and bulk_create() check first: related objects must be saved.
        instance._prepare_related_fields_for_save(operation_name="insert")  # type: ignore[attr-defined]
        params.extend(
            field.get_db_prep_save(field.pre_save(instance, True), connection)
            for field in statement.fields
        )
    with connection.cursor() as cursor:
        cursor.execute(statement.statement(len(objects), unless_conflict=unless_conflict), params)
        keys = [key for (key,) in cursor.fetchall()]
    # A row skipped by ON CONFLICT DO NOTHING returns no key (one instance at a time there).
    for instance, key in zip(objects, keys, strict=False):
        instance.pk = key
        instance._state.adding = False
        instance._state.db = connection.alias
    return keys


def insert_rows(objects: Sequence[M]) -> list[M]:
    """INSERT new instances of one model in one statement; sets their primary keys."""
    if objects and _insert(objects, unless_conflict=False) is None:
        return type(objects[0])._default_manager.bulk_create(objects)
    return list(objects)


def insert_unless_conflict(instance: Model) -> bool:
    """INSERT a new instance unless a unique constraint already holds its values (then
    nothing is written and False is returned). One statement, no savepoint: the caller's
    transaction is never left aborted, as a failed INSERT leaves it on PostgreSQL."""
    keys = _insert([instance], unless_conflict=True)
    if keys is not None:
        return bool(keys)
    try:
        with transaction.atomic(using=router.db_for_write(type(instance))):
            type(instance)._default_manager.bulk_create([instance])
    except IntegrityError:
        return False
    return True


def delete_in_batches(queryset: QuerySet[Any], *, batch: int = 1000) -> int:
    """Delete the rows ``queryset`` selects, ``batch`` at a time, each batch in its own
    transaction (SQLite's write lock is held briefly). A row that no longer matches when its
    batch is deleted stays. Returns how many were deleted."""
    deleted = 0
    while True:
        ids = list(queryset.values_list("pk", flat=True)[:batch])
        if not ids:
            return deleted
        with transaction.atomic(using=queryset.db):
            deleted += queryset.filter(pk__in=ids).delete()[0]
