from django.apps import AppConfig


class CourtcasesConfig(AppConfig):
    name = "youjie.courtcases"
    label = "courtcases"
    verbose_name = "法院案件"

    def ready(self) -> None:
        from youjie.courtcases import scopes  # noqa: F401  (registers the scope rules)
