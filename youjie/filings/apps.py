from django.apps import AppConfig


class FilingsConfig(AppConfig):
    name = "youjie.filings"
    label = "filings"
    verbose_name = "网上立案"

    def ready(self) -> None:
        # The scope rules, the home panel and the dossier section (panels imports dossier).
        from youjie.filings import panels, scopes  # noqa: F401
