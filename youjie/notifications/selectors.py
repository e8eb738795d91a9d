"""Reads of the outbox, and of its retry settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q

from youjie.core.timeline import subject_key
from youjie.notifications.choices import NotificationStatus
from youjie.notifications.models import Notification

DEFAULT_BACKOFF_SECONDS: tuple[int, ...] = (30, 120, 600, 1800, 7200)


def backoff_delay(*, attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failed attempt (1-based)."""
    steps = tuple(getattr(settings, "YOUJIE_NOTIFY_BACKOFF_SECONDS", DEFAULT_BACKOFF_SECONDS))
    if not steps:
        steps = DEFAULT_BACKOFF_SECONDS
    return timedelta(seconds=steps[min(max(attempts, 1), len(steps)) - 1])


@dataclass(frozen=True)
class DueNotification:
    """What the dispatcher needs to try a claim: the row's identity and version."""

    id: int
    status: str
    attempts: int


def due_condition(*, now: datetime) -> Q:
    """Rows a worker may take now: due for a (re)try, or left in ``sending`` by a dead worker."""
    return (
        Q(
            status__in=[NotificationStatus.PENDING, NotificationStatus.FAILED],
            next_attempt_at__lte=now,
        )
        | Q(status=NotificationStatus.SENDING, lease_until__lt=now)
        | Q(status=NotificationStatus.SENDING, lease_until__isnull=True)
    )


def notifications_due(
    *, now: datetime, limit: int, exclude_ids: frozenset[int] = frozenset()
) -> list[DueNotification]:
    rows = (
        Notification.objects.filter(due_condition(now=now))
        .exclude(pk__in=exclude_ids)
        .order_by("next_attempt_at", "id")
        .values_list("id", "status", "attempts")[:limit]
    )
    return [
        DueNotification(id=pk, status=status, attempts=attempts) for pk, status, attempts in rows
    ]


def notifications_about(*, about: models.Model) -> models.QuerySet[Notification]:
    """The messages sent (or to be sent) about one record, newest first."""
    subject_type, subject_id = subject_key(about)
    return Notification.objects.filter(subject_type=subject_type, subject_id=subject_id).order_by(
        "-id"
    )
