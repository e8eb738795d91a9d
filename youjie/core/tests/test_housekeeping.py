"""The daily core housekeeping: old tick claims and expired idempotency keys go."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from youjie.core import tasks
from youjie.core.idempotency import idempotency_keys_prune
from youjie.core.models import IdempotencyKey, TickClaim

pytestmark = pytest.mark.django_db


def _key(name: str, age_days: int) -> IdempotencyKey:
    key = IdempotencyKey.objects.create(
        scope="desk.create:1", key=name, body_hash="h", result_type="desk.servicerequest",
        result_id="1",
    )  # fmt: skip
    IdempotencyKey.objects.filter(pk=key.pk).update(
        created_at=timezone.now() - timedelta(days=age_days)
    )
    return key


# The job runs at 03:20 (its crontab); the clock stands there for the whole test, so that the
# keys' ages do not depend on the hour the suite runs (it failed between 00:00 and 03:20 UTC).
RUN_AT = datetime(2026, 12, 8, 3, 20, 5, tzinfo=UTC)


def test_housekeeping_forgets_old_keys_and_ticks_once_a_day(settings):
    settings.YOUJIE_IDEMPOTENCY_KEY_DAYS = 30
    with time_machine.travel(RUN_AT, tick=False):
        _key("old", 31)
        _key("recent", 29)
        old_tick = TickClaim.objects.create(job="desk_sweep", tick="2026-01-01T00:00")
        TickClaim.objects.filter(pk=old_tick.pk).update(
            claimed_at=timezone.now() - timedelta(days=40)
        )
        TickClaim.objects.create(job="desk_sweep", tick="2026-12-01T00:00")
        first = tasks.core_housekeeping.call_local()
        second = tasks.core_housekeeping.call_local()  # another consumer, the same tick
    assert first == {"ticks": 1, "idempotency_keys": 1}
    assert second is None
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["recent"]
    assert not TickClaim.objects.filter(pk=old_tick.pk).exists()
    # The recent tick and the one this run claimed remain.
    assert TickClaim.objects.count() == 2


@pytest.mark.parametrize("hour", [0, 1, 3, 13, 16, 23])
def test_the_29_day_key_stays_whatever_the_hour(settings, hour):
    """The regression: a key 29 days old survives a run at any hour of the day."""
    settings.YOUJIE_IDEMPOTENCY_KEY_DAYS = 30
    with time_machine.travel(RUN_AT.replace(hour=hour, minute=0), tick=False):
        _key("old", 31)
        _key("recent", 29)
        assert idempotency_keys_prune(older_than_days=30) == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["recent"]


def test_keys_are_deleted_in_batches():
    for n in range(5):
        _key(f"k{n}", 100)
    assert idempotency_keys_prune(older_than_days=30, batch=2) == 5
    assert IdempotencyKey.objects.count() == 0
