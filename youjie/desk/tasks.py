"""Periodic desk jobs, run once per tick however many huey consumers there are."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from youjie.core.ticks import claim_tick
from youjie.desk.services import (
    desk_close_unrated,
    desk_expire_transfers,
    desk_remind_and_flag_overdue,
)


@db_periodic_task(crontab(minute="*/5"))  # type: ignore[untyped-decorator]
def desk_sweep() -> None:
    if not claim_tick("desk_sweep", minutes=5):
        return
    desk_expire_transfers()
    desk_close_unrated()
    desk_remind_and_flag_overdue()
