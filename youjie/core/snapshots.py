"""Figures kept current per viewer by the background engine (统计快照).

A dashboard or a big screen whose figures aggregate many rows (10,000 petition matters, a
million desk requests) does not aggregate them inside the request. Its app registers a
*kind* here — a name and a function computing the payload (plain JSON) for one viewer and
one key (the page's parameters, e.g. a period) — and the page asks ``snapshot_current``:

- a snapshot computed within ``STALE`` is read (one row) and shown with its ``computed_at``
  as 数据截至;
- none, or an older one (the background engine not running), is computed by the request
  itself and stored;
- every minute the periodic task (``core.tasks.figure_snapshots_task``) recomputes the
  snapshots viewed within ``WATCHED``, so that a page someone is looking at stays a minute
  fresh; snapshots not viewed for ``FORGOTTEN`` are deleted;
- ``snapshot_recompute`` computes one now (the page's 立即刷新).

A kind's function raises ``PermissionDenied`` when the viewer may no longer see its figures
(a role taken away): the task then deletes the snapshot, and the page answers 403 as before.
Core imports no app: each app registers its kinds in its ``AppConfig.ready``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from youjie.core.errors import PermissionDenied
from youjie.core.models import FigureSnapshot

logger = logging.getLogger(__name__)

STALE = timedelta(minutes=2)
WATCHED = timedelta(minutes=10)
FORGOTTEN = timedelta(days=1)
KEY_LENGTH = 200  # FigureSnapshot.key

Payload = dict[str, Any]


@dataclass(frozen=True)
class SnapshotKind:
    """``compute(user, key, now)`` returns the JSON payload one viewer's page shows."""

    name: str
    compute: Callable[[Any, str, datetime], Payload]


_KINDS: dict[str, SnapshotKind] = {}


def register(kind: SnapshotKind) -> SnapshotKind:
    """Make ``kind`` known (an app's ``ready``); registering the same name twice is refused."""
    known = _KINDS.get(kind.name)
    if known is not None and known.compute is not kind.compute:
        raise ValueError(f"snapshot kind {kind.name!r} is already registered")
    _KINDS[kind.name] = kind
    return kind


def registered_kinds() -> list[str]:
    return sorted(_KINDS)


def _kind(name: str) -> SnapshotKind:
    try:
        return _KINDS[name]
    except KeyError:
        raise LookupError(f"no snapshot kind {name!r}") from None


def _store(*, user: Any, kind: str, key: str, payload: Payload, now: datetime) -> FigureSnapshot:
    snapshot, _created = FigureSnapshot.objects.update_or_create(
        user=user,
        kind=kind,
        key=key,
        defaults={"payload": payload, "computed_at": now, "requested_at": now},
    )
    return snapshot


def snapshot_recompute(
    *, user: Any, kind: str, key: str = "", now: datetime | None = None
) -> FigureSnapshot:
    """Compute ``user``'s figures of ``kind`` now and keep them (raises ``PermissionDenied``)."""
    if len(key) > KEY_LENGTH:
        raise ValueError("snapshot key too long")
    now = now or timezone.now()
    payload = _kind(kind).compute(user, key, now)
    return _store(user=user, kind=kind, key=key, payload=payload, now=now)


def snapshot_current(
    *, user: Any, kind: str, key: str = "", now: datetime | None = None
) -> FigureSnapshot:
    """``user``'s figures of ``kind`` (and ``key``): the kept snapshot if computed within
    ``STALE``, else computed now. Marks the snapshot viewed (at most one write a minute)."""
    now = now or timezone.now()
    snapshot = FigureSnapshot.objects.filter(user=user, kind=kind, key=key).first()
    if snapshot is None or not (now - STALE <= snapshot.computed_at <= now + STALE):
        return snapshot_recompute(user=user, kind=kind, key=key, now=now)
    if now - snapshot.requested_at >= timedelta(minutes=1):
        snapshot.requested_at = now
        snapshot.save(update_fields=["requested_at"])
    return snapshot


def snapshots_refresh(*, now: datetime | None = None) -> int:
    """Recompute the snapshots viewed within ``WATCHED`` (the periodic task); a viewer who may
    no longer see a kind, or a kind no longer registered, loses the snapshot. Returns how many
    were recomputed."""
    now = now or timezone.now()
    done = 0
    watched = FigureSnapshot.objects.filter(requested_at__gte=now - WATCHED).select_related("user")
    for snapshot in watched.order_by("pk"):
        kind = _KINDS.get(snapshot.kind)
        if kind is None:
            snapshot.delete()
            continue
        try:
            payload = kind.compute(snapshot.user, snapshot.key, now)
        except PermissionDenied:
            snapshot.delete()
            continue
        except Exception:  # one kind's failure must not stop the others' figures
            logger.exception("snapshot %s of user %s not recomputed", kind.name, snapshot.user_id)
            continue
        snapshot.payload = payload
        snapshot.computed_at = now
        snapshot.save(update_fields=["payload", "computed_at"])
        done += 1
    FigureSnapshot.objects.filter(requested_at__lt=now - FORGOTTEN).delete()
    return done
