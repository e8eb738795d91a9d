from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "youjie.desk"
    label = "desk"
    verbose_name = "诉事速办"

    def ready(self) -> None:
        from youjie.desk import panels, scopes  # noqa: F401  (scope rules, home panels, dossier)
