"""Writing and reading timelines. Callers must already be inside the transaction of the change."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction

from youjie.core.models import Event


def subject_key(instance: models.Model) -> tuple[str, str]:
    meta = instance._meta
    return f"{meta.app_label}.{meta.model_name}", str(instance.pk)


def event_record(
    *,
    subject: models.Model,
    verb: str,
    actor: Any = None,
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> Event:
    """Append one event to ``subject``'s timeline.

    It must run inside the transaction that makes the change it describes, so that the
    change and its event commit (or roll back) together.
    """
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("event_record must be called inside transaction.atomic()")
    subject_type, subject_id = subject_key(subject)
    actor_user = actor if getattr(actor, "is_authenticated", False) else None
    label = ""
    if actor_user is not None:
        label = actor_user.get_full_name() or actor_user.get_username()
    elif isinstance(actor, str):
        label = actor
    return Event.objects.create(
        subject_type=subject_type,
        subject_id=subject_id,
        verb=verb,
        actor=actor_user,
        actor_label=label,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        data=data or {},
    )


def timeline_for(subject: models.Model) -> models.QuerySet[Event]:
    subject_type, subject_id = subject_key(subject)
    return (
        Event.objects.filter(subject_type=subject_type, subject_id=subject_id)
        .select_related("actor")
        .order_by("id")
    )
