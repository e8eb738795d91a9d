"""A create done once per idempotency key (the API's ``Idempotency-Key``, the counter form's
hidden submission key), as petitions' registrations do: the same key and body answer with what
was created the first time; the same key with another body is a 409."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from django.db import IntegrityError, models, transaction

from youjie.core.errors import NotFound
from youjie.core.idempotency import idempotent_lookup, idempotent_store

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class Idempotency:
    key: str
    scope: str
    body_hash: str


def run_once(
    *, model: type[M], idempotency: Idempotency | None, create: Callable[[], M]
) -> tuple[M, bool]:
    """``create()`` in a transaction, or what the same key created before: (object, created)."""
    if idempotency is None:
        with transaction.atomic():
            return create(), True

    def earlier() -> M | None:
        record = idempotent_lookup(
            scope=idempotency.scope, key=idempotency.key, body_hash=idempotency.body_hash
        )
        if record is None:
            return None
        found = model._default_manager.filter(pk=int(record.result_id)).first()
        if found is None:
            raise NotFound()
        return found

    found = earlier()
    if found is not None:
        return found, False
    try:
        with transaction.atomic():
            created = create()
            idempotent_store(
                scope=idempotency.scope,
                key=idempotency.key,
                body_hash=idempotency.body_hash,
                result=created,
            )
    except IntegrityError:
        # A concurrent retry with the same key won the race: answer with what it created.
        found = earlier()
        if found is None:
            raise
        return found, False
    return created, True
