from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "youjie.analytics"
    label = "analytics"
    verbose_name = "统计分析"

    def ready(self) -> None:
        from youjie.analytics import (
            campaign_selectors,  # noqa: F401  (the campaign figures' snapshot kind)
            checks,  # noqa: F401  (court figures' setting check)
            panels,  # noqa: F401  (home panel)
            scopes,  # noqa: F401  (the court figures' day table)
            screen,  # noqa: F401  (the big screens' snapshot kinds)
        )
