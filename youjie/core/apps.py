from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "youjie.core"
    label = "core"
    verbose_name = "核心"

    def ready(self) -> None:
        from youjie.core import navigation

        # Every installed app's navigation.py registers its links (as admin.py for the admin).
        navigation.autodiscover()
