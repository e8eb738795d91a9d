"""Idempotency keys: the same key and body return the first result and create nothing new."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from typing import Any

from django.db import models
from django.utils import timezone

from youjie.core.errors import Conflict, ValidationFailed
from youjie.core.models import IdempotencyKey
from youjie.core.pruning import delete_in_batches

KEY_MAX = 100


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
    # (scope, key) is unique: one row or none.
    record = IdempotencyKey.objects.filter(scope=scope, key=key).first()
    if record is not None and record.body_hash != body_hash:
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
