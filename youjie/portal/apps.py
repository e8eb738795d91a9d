from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "youjie.portal"
    label = "portal"
    verbose_name = "群众服务门户"

    def ready(self) -> None:
        from youjie.portal import (
            checks,  # noqa: F401  (registers the system check)
            partycheck,
        )

        # The party check of 网上查询, for the desk's 案件查询 answers (youjie/desk/casequery.py).
        partycheck.register()
