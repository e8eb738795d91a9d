from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "youjie.core"
    label = "core"
    verbose_name = "核心"
