"""huey tasks: quick delivery after commit, and the once-a-minute sweep as the safety net."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from youjie.core.ticks import claim_tick
from youjie.notifications.services import notifications_dispatch

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
