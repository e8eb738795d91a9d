"""The outbox's cases for the hostile-input sweeps (tests/hostile/cases.py says what goes
here): nothing is sent while the pages are swept, and the admin lists a queued message."""

from __future__ import annotations

from tests.hostile.cases import HostileCases, World
from youjie.notifications.services import notification_enqueue


def admin_rows(world: World) -> None:
    notification_enqueue(channel="sms", recipient="13812345678", body="您的诉求已受理。")


CASES = HostileCases(
    page_settings={"YOUJIE_NOTIFY_TRANSPORTS": {}},
    admin_rows=admin_rows,
)
