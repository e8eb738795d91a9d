"""Deleting old rows in batches, for the retention jobs (idempotency keys, sent notifications)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet


def delete_in_batches(queryset: QuerySet[Any], *, batch: int = 1000) -> int:
    """Delete the rows ``queryset`` selects, ``batch`` at a time, each batch in its own
    transaction, so that SQLite's write lock is held briefly and a large backlog never makes
    one long transaction. A row that no longer matches when its batch is deleted stays (the
    batch is deleted through ``queryset``'s own filter). Returns how many rows were deleted,
    cascades included."""
    deleted = 0
    while True:
        ids = list(queryset.values_list("pk", flat=True)[:batch])
        if not ids:
            return deleted
        with transaction.atomic(using=queryset.db):
            deleted += queryset.filter(pk__in=ids).delete()[0]
