from django.apps import AppConfig


class MediationConfig(AppConfig):
    name = "youjie.mediation"
    label = "mediation"
    verbose_name = "诉前调解"

    def ready(self) -> None:
        # The scope rules and the home panel (the navigation is autodiscovered by core).
        # "委派调解" on a filing's page (youjie.core.links).
        from youjie.mediation import (  # noqa: F401
            links,
            panels,
            scopes,
        )
