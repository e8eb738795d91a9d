from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "youjie.exports"
    label = "exports"
    verbose_name = "清单导出"

    def ready(self) -> None:
        # The settings checks; every installed app's exports.py registers its lists (as
        # core finds navigation.py).
        from youjie.exports import checks, registry  # noqa: F401

        registry.autodiscover()
