"""Daily housekeeping of the core tables (once per tick however many huey consumers)."""

from __future__ import annotations

import logging

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from youjie.core.idempotency import idempotency_keys_prune
from youjie.core.snapshots import snapshots_refresh
from youjie.core.ticks import claim_tick, prune_ticks

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(hour="3", minute="20"))  # type: ignore[untyped-decorator]
def core_housekeeping() -> dict[str, int] | None:
    """Tick claims older than 30 days; idempotency keys past their retention."""
    if not claim_tick("core_housekeeping"):
        return None
    counts = {
        "ticks": prune_ticks(older_than_days=30),
        "idempotency_keys": idempotency_keys_prune(
            older_than_days=int(settings.YOUJIE_IDEMPOTENCY_KEY_DAYS)
        ),
    }
    logger.info("core housekeeping: %s", counts)
    return counts


@db_periodic_task(crontab(minute="*"))  # type: ignore[untyped-decorator]
def figure_snapshots_task() -> int | None:
    """Every minute, the dashboards' and big screens' figures viewed in the last ten minutes
    computed again (``youjie.core.snapshots``). None: another consumer had this tick."""
    if not claim_tick("core_figure_snapshots", minutes=1):
        return None
    return snapshots_refresh()
