"""Periodic analytics jobs, each run once per tick however many huey consumers fire it
(``youjie.core.ticks.claim_tick``).

- ``court_figures_refresh_task``: every minute, the court figures' day table brought up to date
  with the court cases changed or removed since the last run (a case import, an edit in the
  admin). The import lives in ``courtcases``, which may not import analytics (the apps'
  layers), so the table follows the cases rather than being told about each import.
- ``desk_figures_refresh_task``: every minute, the desk figures' day table brought up to date
  with the requests changed, rated, visited or supervised since, and those whose deadline has
  passed since (``services.desk_figures_refresh``).

(The big screens' figures are recomputed by ``core.tasks.figure_snapshots_task``.)
"""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from youjie.analytics import services
from youjie.core.ticks import claim_tick

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*"))  # type: ignore[untyped-decorator]
def court_figures_refresh_task() -> int | None:
    """How many cases' counts changed (None: another consumer had this tick)."""
    if not claim_tick("analytics_court_figures", minutes=1):
        return None
    result = services.court_figures_refresh()
    if result.cases:
        logger.info("court figures: %s cases, %s day rows", result.cases, result.rows)
    return result.cases


@db_periodic_task(crontab(minute="*"))  # type: ignore[untyped-decorator]
def desk_figures_refresh_task() -> int | None:
    """How many requests' counts changed (None: another consumer had this tick)."""
    if not claim_tick("analytics_desk_figures", minutes=1):
        return None
    result = services.desk_figures_refresh()
    if result.cases:
        logger.info("desk figures: %s requests, %s day rows", result.cases, result.rows)
    return result.cases
