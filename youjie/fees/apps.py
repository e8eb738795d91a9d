from django.apps import AppConfig


class FeesConfig(AppConfig):
    name = "youjie.fees"
    label = "fees"
    verbose_name = "诉讼费用"

    def ready(self) -> None:
        # The settings checks, the scope rules of the notices and the home panel.
        from youjie.fees import checks, panels, scopes  # noqa: F401
