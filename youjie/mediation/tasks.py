"""Periodic mediation jobs, each run once per tick however many huey consumers fire it
(``youjie.core.ticks.claim_tick``).

- ``mediation_session_reminders``: every 15 minutes, the SMS reminders of tomorrow's sessions
  not yet reminded of (``services.session_reminders_send``; each session is claimed with a
  compare-and-set, so a reminder goes once even if two ticks overlap).
"""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from youjie.core.ticks import claim_tick
from youjie.mediation import services


@db_periodic_task(crontab(minute="*/15"))  # type: ignore[untyped-decorator]
def mediation_session_reminders() -> int | None:
    """How many sessions were reminded of (None: another consumer's tick)."""
    if not claim_tick("mediation_session_reminders", minutes=15):
        return None
    return services.session_reminders_send()
