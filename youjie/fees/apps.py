from django.apps import AppConfig


class FeesConfig(AppConfig):
    name = "youjie.fees"
    label = "fees"
    verbose_name = "诉讼费用"

    def ready(self) -> None:
        from youjie.fees import checks  # noqa: F401  (registers the policy check)
