from django.apps import AppConfig


class FeesConfig(AppConfig):
    name = "youjie.fees"
    label = "fees"
    verbose_name = "诉讼费用"

    def ready(self) -> None:
        # The settings checks, the scope rules of the notices and the home panel.
        # "开具缴费通知书" on a court case's page (youjie.core.links).
        from youjie.fees import (  # noqa: F401
            checks,
            links,
            panels,
            scopes,
        )
