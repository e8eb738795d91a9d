"""What courtcases contributes to other apps' pages: the home card and the dossier section."""

from __future__ import annotations

from django.urls import reverse

from youjie.core.panels import Panel
from youjie.core.viewers import Viewer
from youjie.courtcases.permissions import can_import_cases
from youjie.courtcases.selectors import court_cases_for_person
from youjie.orgs.choices import Role
from youjie.orgs.models import User
from youjie.people.dossier import DossierRow, DossierSection
from youjie.people.models import Person

DOSSIER_LIMIT = 50

# Roles whose work involves court cases (see DESIGN.md "Who sees what").
CASE_ROLES = (
    Role.RECEPTIONIST, Role.JUDGE, Role.CLERK, Role.DIVISION_HEAD, Role.COURT_LEADER,
    Role.OFFICE_OFFICER,
)  # fmt: skip


def court_cases_panel(user: Viewer) -> Panel | None:
    if not isinstance(user, User) or user.is_service_account:
        return None
    importer = can_import_cases(user)
    if not (user.is_superuser or importer or user.has_role(*CASE_ROLES)):
        return None
    text = "按案号、案由查询本人权限范围内的法院案件。"
    if importer:
        text += "可上传法院案件系统导出的案件清单，先校验后导入。"
    return Panel(title="法院案件", url=reverse("courtcases:list"), text=text, order=40)


def court_cases_dossier_section(user: Viewer, person: Person) -> DossierSection | None:
    """The person's court cases that ``user`` may see (一人一档)."""
    cases = list(court_cases_for_person(user=user, person=person)[:DOSSIER_LIMIT])
    rows = [
        DossierRow(
            label=case.case_number,
            url=reverse("courtcases:detail", args=[case.pk]),
            detail=" · ".join(filter(None, [case.cause, case.get_stage_display()])),
        )
        for case in cases
    ]
    return DossierSection(title="法院案件", rows=rows, order=20)
