from typing import Any

from django.apps import AppConfig
from django.core import checks
from django.db.models.signals import post_migrate


def _write_key_canary(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    from youjie.core.keycheck import key_canary_ensure

    key_canary_ensure(using=using)


class CoreConfig(AppConfig):
    name = "youjie.core"
    label = "core"
    verbose_name = "核心"

    def ready(self) -> None:
        from youjie.core import keycheck, navigation

        # Every installed app's navigation.py registers its links (as admin.py for the admin).
        navigation.autodiscover()
        # Do the configured keys read this database? (issue 12, item 10; youjie.core.keycheck)
        checks.register(keycheck.keys_check, checks.Tags.database)
        post_migrate.connect(_write_key_canary, sender=self, dispatch_uid="core.key_canary")
