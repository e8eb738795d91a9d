from django.apps import AppConfig


class PetitionsConfig(AppConfig):
    name = "youjie.petitions"
    label = "petitions"
    verbose_name = "信访化解"

    def ready(self) -> None:
        # The scope rules, the home panels and the dossier section (panels imports dossier).
        # "转为信访事项" on a desk request's page (youjie.core.links). The work page's figures
        # kept by the background engine (youjie.core.snapshots).
        from youjie.petitions import (  # noqa: F401
            links,
            panels,
            scopes,
            snapshots,
        )
