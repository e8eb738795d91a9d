from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "youjie.orgs"
    label = "orgs"
    verbose_name = "组织与用户"
