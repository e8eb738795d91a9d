"""Database sessions, read with one fixed statement.

Every signed-in page reads its session first. Django's store builds that query through the ORM
on each request (``Session.objects.get(session_key=…, expire_date__gt=now)``), which costs
several times the query itself; this store runs the same SELECT as a prepared statement and
leaves writing, expiry and deletion to Django's. ``SESSION_ENGINE = "youjie.orgs.sessions"``.
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.db import connections, router
from django.utils import timezone

_SQL = "SELECT {data} FROM {table} WHERE {key} = %s AND {expiry} > %s".format(  # noqa: S608
    data=Session._meta.get_field("session_data").column,
    table=Session._meta.db_table,
    key=Session._meta.get_field("session_key").column,
    expiry=Session._meta.get_field("expire_date").column,
)


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self) -> Any:
        key = self.session_key
        if not key:
            self._session_key = None
            return None
        connection = connections[router.db_for_read(Session)]
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(_SQL, [key, now])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return Session(session_key=key, session_data=row[0])
