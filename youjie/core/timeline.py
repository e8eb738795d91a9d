"""Writing and reading timelines. Callers must already be inside the transaction of the change."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import models, transaction

from youjie.core.models import Event
from youjie.core.viewers import StaffUser

# Who did it: a signed-in account, a label (系统, 诉求人, a channel's name), or nobody.
Actor = StaffUser | str | None


def subject_key(instance: models.Model) -> tuple[str, str]:
    meta = instance._meta
    return f"{meta.app_label}.{meta.model_name}", str(instance.pk)


def _require_transaction(name: str) -> None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(f"{name} must be called inside transaction.atomic()")


def event_build(
    *,
    subject: models.Model,
    verb: str,
    actor: Actor = None,
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> Event:
    """One event for ``subject``'s timeline, not yet saved: ``event_record`` saves one,
    ``events_record`` several in one INSERT."""
    subject_type, subject_id = subject_key(subject)
    actor_id: int | None = None
    label = ""
    if isinstance(actor, str):
        label = actor
    elif actor is not None and actor.is_authenticated:
        actor_id = actor.pk
        label = actor.get_full_name() or actor.get_username()
    return Event(
        subject_type=subject_type,
        subject_id=subject_id,
        verb=verb,
        actor_id=actor_id,
        actor_label=label,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        data=data or {},
    )


def event_record(
    *,
    subject: models.Model,
    verb: str,
    actor: Actor = None,
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> Event:
    """Append one event to ``subject``'s timeline.

    It must run inside the transaction that makes the change it describes, so that the
    change and its event commit (or roll back) together.
    """
    _require_transaction("event_record")
    event = event_build(
        subject=subject,
        verb=verb,
        actor=actor,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        data=data,
    )
    event.save(force_insert=True)
    return event


def events_record(events: Sequence[Event]) -> list[Event]:
    """Append events built by ``event_build`` in one INSERT, in the order given (their ids
    ascend in that order, and timelines are read by id). Same rule as ``event_record``: inside
    the transaction of the change they describe."""
    _require_transaction("events_record")
    # bulk_create sets the new ids (SQLite >= 3.35, PostgreSQL); the project connects no signals.
    return Event.objects.bulk_create(events)


def timeline_for(subject: models.Model) -> models.QuerySet[Event]:
    return timeline_by_key(*subject_key(subject))


def last_event_id(subject: models.Model) -> int:
    """The id of the subject's newest event (0 before the first): every change of a record
    writes one, so this names the record's state for a fragment cache's key."""
    subject_type, subject_id = subject_key(subject)
    newest = (
        Event.objects.filter(subject_type=subject_type, subject_id=subject_id)
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
    )
    return newest or 0


def timeline_by_key(subject_type: str, subject_id: str) -> models.QuerySet[Event]:
    """The events of the subject ``subject_key`` names, oldest first, with their actors."""
    return (
        Event.objects.filter(subject_type=subject_type, subject_id=subject_id)
        .select_related("actor")
        .order_by("id")
    )
