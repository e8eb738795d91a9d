from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "youjie.people"
    label = "people"
    verbose_name = "人员与企业"

    def ready(self) -> None:
        from youjie.people import scopes  # noqa: F401  (registers the scope rules)
