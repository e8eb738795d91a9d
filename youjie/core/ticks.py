"""Run a periodic job once per tick, however many huey consumers fire it."""

from __future__ import annotations

import os
import socket
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from youjie.core.models import TickClaim


def tick_label(moment: datetime, *, minutes: int = 1) -> str:
    """The tick a moment belongs to, e.g. '2026-11-28T04:15' for 15-minute ticks."""
    local = timezone.localtime(moment)
    floored = local.minute - local.minute % minutes
    return local.replace(minute=floored, second=0, microsecond=0).strftime("%Y-%m-%dT%H:%M")


def claim_tick(job: str, *, moment: datetime | None = None, minutes: int = 1) -> bool:
    """True for exactly one caller per (job, tick)."""
    label = tick_label(moment or timezone.now(), minutes=minutes)
    try:
        with transaction.atomic():
            TickClaim.objects.create(
                job=job, tick=label, claimed_by=f"{socket.gethostname()}:{os.getpid()}"[:100]
            )
    except IntegrityError:
        return False
    return True


def prune_ticks(*, older_than_days: int = 30) -> int:
    cutoff = timezone.now() - timedelta(days=older_than_days)
    deleted, _ = TickClaim.objects.filter(claimed_at__lt=cutoff).delete()
    return deleted
