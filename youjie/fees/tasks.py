"""Periodic fees jobs, each run once per tick however many huey consumers fire it
(``youjie.core.ticks.claim_tick``).

- ``fees_mark_overdue`` (every 15 minutes; a notice becomes overdue at the end of its last day,
  so the first tick after midnight does the day's): notices past their last day, unpaid,
  without a relief application under review → overdue, with the event on the notice and the
  court case (``services.fee_notices_mark_overdue``). The filings app reads the same notices
  (``selectors.fee_notices_overdue_unpaid``) to treat such an accepted filing as withdrawn.
"""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from youjie.core.ticks import claim_tick
from youjie.fees import services

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*/15"))  # type: ignore[untyped-decorator]
def fees_mark_overdue() -> int | None:
    """How many notices became overdue (None: another consumer's tick)."""
    if not claim_tick("fees_mark_overdue", minutes=15):
        return None
    marked = services.fee_notices_mark_overdue()
    if marked:
        logger.info("%d 件缴费通知书逾期未缴", len(marked))
    return len(marked)
