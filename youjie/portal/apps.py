from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "youjie.portal"
    label = "portal"
    verbose_name = "群众服务门户"

    def ready(self) -> None:
        from youjie.portal import checks  # noqa: F401  (registers the system check)
