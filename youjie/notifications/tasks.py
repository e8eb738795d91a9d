"""huey tasks: quick delivery after commit, and the once-a-minute sweep as the safety net."""

from __future__ import annotations

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from youjie.core.ticks import claim_tick
from youjie.notifications.services import notifications_dispatch, notifications_prune

SWEEP_JOB = "notifications_sweep"


# huey ships no type information, hence the ignores on its decorators.
@db_task()  # type: ignore[untyped-decorator]
def notifications_send_soon() -> int:
    """Enqueued on commit by notification_enqueue; returns how many messages it handled."""
    return notifications_dispatch().claimed


@db_periodic_task(crontab(minute="*"))  # type: ignore[untyped-decorator]
def notifications_sweep() -> int | None:
    """Deliver whatever is due or stuck. huey fires periodic tasks in every consumer, so only
    the consumer that claims this minute's tick runs it; None means another one did."""
    if not claim_tick(SWEEP_JOB):
        return None
    return notifications_dispatch().claimed


@db_periodic_task(crontab(hour="3", minute="30"))  # type: ignore[untyped-decorator]
def notifications_housekeeping() -> int | None:
    """Daily: sent and abandoned messages past YOUJIE_NOTIFY_RETENTION_DAYS are deleted."""
    if not claim_tick("notifications_housekeeping"):
        return None
    return notifications_prune(older_than_days=int(settings.YOUJIE_NOTIFY_RETENTION_DAYS))
