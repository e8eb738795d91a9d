from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "youjie.api"
    label = "api"
    verbose_name = "接口"
