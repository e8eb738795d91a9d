from __future__ import annotations

from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "youjie.workdays"
    label = "workdays"
    verbose_name = "工作日历"

    def ready(self) -> None:
        from youjie.core.panels import register_panel
        from youjie.workdays.panels import calendar_panel

        register_panel(calendar_panel)
