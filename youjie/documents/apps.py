from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "youjie.documents"
    label = "documents"
    verbose_name = "公文"
