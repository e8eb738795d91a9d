"""Figures kept per viewer by the background engine (``youjie.core.snapshots``): read while
fresh, computed by the request when missing or stale, recomputed by the periodic task only while
watched and once per tick, dropped when the viewer may no longer see them or the kind is gone."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine

from youjie.core import snapshots, tasks
from youjie.core.errors import PermissionDenied
from youjie.core.models import FigureSnapshot
from youjie.core.snapshots import (
    SnapshotKind,
    register,
    snapshot_current,
    snapshot_recompute,
    snapshots_refresh,
)

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai


class Counter:
    """A kind whose figure is how often it was computed; refuses users named in ``refused``."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, datetime]] = []
        self.refused: set[str] = set()
        self.broken = False

    def __call__(self, user: Any, key: str, now: datetime) -> dict[str, Any]:
        if user.username in self.refused:
            raise PermissionDenied("不可见")
        if self.broken:
            raise RuntimeError("boom")
        self.calls.append((user.username, key, now))
        return {"count": len(self.calls), "key": key}


@pytest.fixture
def counter() -> Iterator[Counter]:
    counter = Counter()
    register(SnapshotKind(name="test.counter", compute=counter))
    yield counter
    snapshots._KINDS.pop("test.counter", None)


def test_a_fresh_snapshot_is_read_and_a_stale_one_computed_again(
    counter: Counter, court_leader: Any
) -> None:
    with time_machine.travel(T0, tick=False):
        first = snapshot_current(user=court_leader, kind="test.counter", key="2026-11")
    assert first.payload == {"count": 1, "key": "2026-11"} and first.computed_at == T0
    with time_machine.travel(T0 + timedelta(seconds=90), tick=False):
        again = snapshot_current(user=court_leader, kind="test.counter", key="2026-11")
        other_key = snapshot_current(user=court_leader, kind="test.counter", key="2026-10")
    assert again.payload["count"] == 1 and again.computed_at == T0  # read, not computed
    assert again.requested_at == T0 + timedelta(seconds=90)  # marked as viewed
    assert other_key.payload == {"count": 2, "key": "2026-10"}  # each key its own figures
    with time_machine.travel(T0 + timedelta(minutes=3), tick=False):
        stale = snapshot_current(user=court_leader, kind="test.counter", key="2026-11")
    assert stale.payload["count"] == 3 and stale.computed_at == T0 + timedelta(minutes=3)
    assert FigureSnapshot.objects.filter(user=court_leader).count() == 2


def test_the_task_recomputes_watched_snapshots_once_per_tick(
    counter: Counter, court_leader: Any, city_officer: Any
) -> None:
    with time_machine.travel(T0, tick=False):
        snapshot_current(user=court_leader, kind="test.counter")
    with time_machine.travel(T0 - timedelta(minutes=30), tick=False):
        snapshot_current(user=city_officer, kind="test.counter")  # not viewed for 30 minutes
    with time_machine.travel(T0 + timedelta(minutes=1), tick=False):
        assert tasks.figure_snapshots_task.call_local() == 1
        assert tasks.figure_snapshots_task.call_local() is None  # another consumer's tick
    kept = FigureSnapshot.objects.get(user=court_leader)
    assert kept.payload["count"] == 3 and kept.computed_at == T0 + timedelta(minutes=1)
    assert FigureSnapshot.objects.get(user=city_officer).payload["count"] == 2  # left alone
    with time_machine.travel(T0 + timedelta(days=1, minutes=2), tick=False):
        assert snapshots_refresh() == 0
    assert not FigureSnapshot.objects.exists()  # unseen for a day: forgotten


def test_a_viewer_who_may_no_longer_see_loses_the_snapshot_and_a_failure_stops_nobody_else(
    counter: Counter, court_leader: Any, city_officer: Any
) -> None:
    with time_machine.travel(T0, tick=False):
        snapshot_current(user=court_leader, kind="test.counter")
        snapshot_current(user=city_officer, kind="test.counter")
        FigureSnapshot.objects.create(
            user=city_officer, kind="gone.kind", payload={}, computed_at=T0, requested_at=T0
        )
    counter.refused.add(court_leader.username)
    with time_machine.travel(T0 + timedelta(minutes=1), tick=False):
        assert snapshots_refresh() == 1
        with pytest.raises(PermissionDenied):
            snapshot_current(user=court_leader, kind="test.counter")  # after STALE: computed
    assert list(FigureSnapshot.objects.values_list("user__username", "kind")) == [
        (city_officer.username, "test.counter")
    ]
    counter.broken = True
    with time_machine.travel(T0 + timedelta(minutes=2), tick=False):
        assert snapshots_refresh() == 0  # logged, kept as it was
    assert FigureSnapshot.objects.get().payload["count"] == 3


def test_recompute_now_and_the_registry_guards(counter: Counter, court_leader: Any) -> None:
    with time_machine.travel(T0, tick=False):
        snapshot_current(user=court_leader, kind="test.counter")
        assert snapshot_recompute(user=court_leader, kind="test.counter").payload["count"] == 2
    with pytest.raises(ValueError, match="already registered"):
        register(SnapshotKind(name="test.counter", compute=Counter()))
    with pytest.raises(LookupError):
        snapshot_current(user=court_leader, kind="no.such.kind")
    with pytest.raises(ValueError, match="too long"):
        snapshot_recompute(user=court_leader, kind="test.counter", key="x" * 201)
    assert {"analytics.screen.court", "petitions.dashboard"} <= set(snapshots.registered_kinds())
