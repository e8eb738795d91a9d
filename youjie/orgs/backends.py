"""Authentication backend: loads the user with their unit and its parent in one statement.

Every page needs the unit (scoping, the court a receptionist works in); fetching it with the
user saves two queries on each request. The statement is built once per database from the
models' fields (what ``select_related("org_unit", "org_unit__parent")`` would send), and the
values go through the backend's converters, so the objects are the ones the ORM would build —
without compiling the same three-table query on every request.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field, Model

from youjie.core.statements import Converters
from youjie.orgs.models import OrgUnit, User


class _JoinedLoader:
    """SELECT user, unit, parent unit … LEFT JOIN … WHERE user.id = %s, with converters."""

    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        self.alias = connection.alias
        quote = connection.ops.quote_name
        self.parts: list[tuple[type[Model], Sequence[Field[Any, Any]]]] = [
            (User, User._meta.concrete_fields),
            (OrgUnit, OrgUnit._meta.concrete_fields),
            (OrgUnit, OrgUnit._meta.concrete_fields),
        ]
        self.names = [[field.attname for field in fields] for _model, fields in self.parts]
        columns: list[str] = []
        self.converters = Converters(connection)
        for table_alias, (_model, fields) in zip(("u", "o", "p"), self.parts, strict=True):
            for field in fields:
                self.converters.add(len(columns), field, table_alias)
                columns.append(f"{table_alias}.{quote(field.column)}")
        unit_fk = quote(User._meta.get_field("org_unit").column)
        parent_fk = quote(OrgUnit._meta.get_field("parent").column)
        unit_table = quote(OrgUnit._meta.db_table)
        # Names from the models' meta; the user id is a parameter.
        self.sql = (
            f"SELECT {', '.join(columns)} FROM {quote(User._meta.db_table)} u "  # noqa: S608
            f"LEFT JOIN {unit_table} o ON o.id = u.{unit_fk} "
            f"LEFT JOIN {unit_table} p ON p.id = o.{parent_fk} "
            "WHERE u.id = %s"
        )

    def load(self, connection: BaseDatabaseWrapper, user_id: int) -> User | None:
        with connection.cursor() as cursor:
            cursor.execute(self.sql, [user_id])
            row = cursor.fetchone()
        if row is None:
            return None
        values = self.converters.apply(row)
        objects: list[Model | None] = []
        start = 0
        for (model, fields), names in zip(self.parts, self.names, strict=True):
            chunk = values[start : start + len(fields)]
            start += len(fields)
            objects.append(None if chunk[0] is None else model.from_db(self.alias, names, chunk))
        user, unit, parent = objects
        assert isinstance(user, User)
        # Where select_related keeps the related objects, so user.org_unit.parent needs no query.
        user._state.fields_cache["org_unit"] = unit
        if unit is not None:
            unit._state.fields_cache["parent"] = parent
        return user


_LOADERS: dict[str, _JoinedLoader] = {}


def load_user_with_unit(user_id: int) -> User | None:
    connection = connections[router.db_for_read(User)]
    loader = _LOADERS.get(connection.alias)
    if loader is None:
        loader = _LOADERS[connection.alias] = _JoinedLoader(connection)
    return loader.load(connection, user_id)


class UserBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        try:
            pk = int(user_id)
        except (TypeError, ValueError):
            return None
        user = load_user_with_unit(pk)
        return user if user is not None and self.user_can_authenticate(user) else None
