from __future__ import annotations

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "youjie.notifications"
    label = "notifications"
    verbose_name = "通知发送"

    def ready(self) -> None:
        from youjie.notifications import checks, tasks  # noqa: F401  (registers checks and tasks)
