from django.apps import AppConfig


class CourtcasesConfig(AppConfig):
    name = "youjie.courtcases"
    label = "courtcases"
    verbose_name = "法院案件"

    def ready(self) -> None:
        from youjie.core.panels import register_panel
        from youjie.courtcases import scopes  # noqa: F401  (registers the scope rules)
        from youjie.courtcases.panels import court_cases_dossier_section, court_cases_panel
        from youjie.people.dossier import register_dossier_section

        register_panel(court_cases_panel)
        register_dossier_section(court_cases_dossier_section)
