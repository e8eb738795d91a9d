from django.apps import AppConfig


class InboundConfig(AppConfig):
    name = "youjie.inbound"
    label = "inbound"
    verbose_name = "来电与微信接入"

    def ready(self) -> None:
        from youjie.inbound import checks, scopes  # noqa: F401  (scope rules, system checks)
