"""huey tasks: keep the rate-limit and SMS-code tables small."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from youjie.core.ticks import claim_tick
from youjie.portal.services import rate_limit_purge, tracking_codes_purge

PURGE_JOB = "portal_purge"


@db_periodic_task(crontab(minute="17"))  # type: ignore[untyped-decorator]
def portal_purge() -> int | None:
    """Hourly; huey fires periodic tasks in every consumer, so only the tick's claimant runs."""
    if not claim_tick(PURGE_JOB, minutes=60):
        return None
    return rate_limit_purge() + tracking_codes_purge()
