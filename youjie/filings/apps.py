from django.apps import AppConfig


class FilingsConfig(AppConfig):
    name = "youjie.filings"
    label = "filings"
    verbose_name = "网上立案"
