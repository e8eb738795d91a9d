from django.apps import AppConfig


class MediationConfig(AppConfig):
    name = "youjie.mediation"
    label = "mediation"
    verbose_name = "诉前调解"
