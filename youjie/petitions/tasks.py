"""Periodic petitions jobs, each run once per tick however many huey consumers fire it
(``youjie.core.ticks.claim_tick``).

- ``petitions_review_agenda``: on a 三日一研究 day, once YOUJIE_PETITIONS_REVIEW_TIME has come,
  the agenda of each configured office (``services.review_agendas_generate_if_due``);
- ``petitions_daily_bulletin``: on a working day, once YOUJIE_PETITIONS_BULLETIN_TIME has come,
  the day's bulletin (``services.bulletin_issue_if_due``).

The times are settings read at call time, so the jobs look every five minutes; each creates
its record once a day (a unique constraint holds if two consumers race past their ticks).
"""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from youjie.core.errors import ApplicationError
from youjie.core.ticks import claim_tick
from youjie.petitions import services

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*/5"))  # type: ignore[untyped-decorator]
def petitions_review_agenda() -> int | None:
    """The 三日一研究 agendas due now; how many were generated (None: another consumer's tick)."""
    if not claim_tick("petitions_review_agenda", minutes=5):
        return None
    try:
        generated = services.review_agendas_generate_if_due()
    except ApplicationError as exc:  # the calendar or an office misconfigured: say so, retry
        logger.error("三日一研究议程未生成：%s", exc.message)
        return 0
    return len(generated)


@db_periodic_task(crontab(minute="*/5"))  # type: ignore[untyped-decorator]
def petitions_daily_bulletin() -> str | None:
    """The day's bulletin when due; its number ("" when nothing was due)."""
    if not claim_tick("petitions_daily_bulletin", minutes=5):
        return None
    try:
        bulletin = services.bulletin_issue_if_due()
    except ApplicationError as exc:  # no issuing office or officer configured: say so, retry
        logger.error("每日通报未印发：%s", exc.message)
        return ""
    return bulletin.number if bulletin is not None else ""
