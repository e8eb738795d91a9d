from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "youjie.portal"
    label = "portal"
    verbose_name = "群众服务门户"
