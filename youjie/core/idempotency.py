"""Idempotency keys: the same key and body return the first result and create nothing new.

``run_once`` is the one way a service creates something under a key (the API's
``Idempotency-Key``, a form's hidden submission key): fees, filings, mediation and petitions.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypeVar

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from youjie.core.errors import Conflict, NotFound, ValidationFailed
from youjie.core.models import IdempotencyKey
from youjie.core.pruning import delete_in_batches

KEY_MAX = 100

M = TypeVar("M", bound=models.Model)


def body_fingerprint(body: Any) -> str:
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def check_key(key: str) -> str:
    key = key.strip()
    if not key or len(key) > KEY_MAX or not key.isascii() or not key.isprintable():
        raise ValidationFailed(
            "Idempotency-Key 应为1至100个可打印 ASCII 字符",
            code="invalid_idempotency_key",
            fields={"Idempotency-Key": ["格式不正确"]},
        )
    return key


def idempotent_lookup(*, scope: str, key: str, body_hash: str) -> IdempotencyKey | None:
    """The earlier record for this key, or None. A different body under the same key → 409."""
    # (scope, key) is unique: one row or none (``get()``: no ORDER BY to order one row).
    try:
        record = IdempotencyKey.objects.get(scope=scope, key=key)
    except IdempotencyKey.DoesNotExist:
        return None
    if record.body_hash != body_hash:
        raise Conflict(
            "该 Idempotency-Key 已用于内容不同的请求",
            code="idempotency_key_reused",
        )
    return record


def idempotent_store(*, scope: str, key: str, body_hash: str, result: models.Model) -> None:
    """Store inside the same transaction as the creation it guards."""
    meta = result._meta
    IdempotencyKey.objects.create(
        scope=scope,
        key=key,
        body_hash=body_hash,
        result_type=f"{meta.app_label}.{meta.model_name}",
        result_id=str(result.pk),
    )


def idempotency_keys_prune(*, older_than_days: int, batch: int = 1000) -> int:
    """Forget keys older than the retention: a retry after that creates anew."""
    cutoff = timezone.now() - timedelta(days=older_than_days)
    return delete_in_batches(IdempotencyKey.objects.filter(created_at__lt=cutoff), batch=batch)


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
