"""Periodic filings jobs, each run once per tick however many huey consumers fire it.

- ``filings_unpaid_fee_sweep`` (every 15 minutes, after the fees app has marked the day's
  overdue notices): accepted filings whose acceptance fee went unpaid → 按撤诉处理, with the event
  (``services.fees.filings_unpaid_fee_sweep``).
"""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from youjie.core.ticks import claim_tick
from youjie.filings.services.fees import filings_unpaid_fee_sweep

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*/15"))  # type: ignore[untyped-decorator]
def filings_unpaid_fees() -> int | None:
    """How many filings were treated as withdrawn (None: another consumer's tick)."""
    if not claim_tick("filings_unpaid_fees", minutes=15):
        return None
    moved = filings_unpaid_fee_sweep()
    if moved:
        logger.info("%d 件立案申请因逾期未交费按撤诉处理", len(moved))
    return len(moved)
