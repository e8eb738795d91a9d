from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "youjie.people"
    label = "people"
    verbose_name = "人员与企业"

    def ready(self) -> None:
        from youjie.core.panels import register_panel
        from youjie.people import scopes  # noqa: F401  (registers the scope rules)
        from youjie.people.dossier import register_dossier_section
        from youjie.people.panels import people_panel
        from youjie.people.sections import enterprises_section

        register_panel(people_panel)
        register_dossier_section(enterprises_section)
