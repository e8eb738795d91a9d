"""The petitions section of a person's dossier (一人一档): the matters naming them as a
petitioner, within the viewer's scope. Registered by importing this module (``panels`` does,
from ``PetitionsConfig.ready``)."""

from __future__ import annotations

from django.urls import reverse

from youjie.core.viewers import Viewer
from youjie.people.dossier import DossierRow, DossierSection, register_dossier_section
from youjie.people.models import Person
from youjie.petitions.models import PetitionMatter

SECTION_TITLE = "信访事项"
ROWS_SHOWN = 20


def _detail(matter: PetitionMatter) -> str:
    detail = f"{matter.region.name} · {matter.get_status_display()}"
    if matter.lead_official is not None:
        detail += f" · 包案领导 {matter.lead_official.get_full_name()}"
    return detail


def petitions_section(user: Viewer, person: Person) -> DossierSection | None:
    from youjie.petitions.permissions import may_see_petitions
    from youjie.petitions.selectors import visible_matters

    matters = (
        visible_matters(user=user)
        .filter(petitioner_links__person=person)
        .select_related("region", "lead_official")
        .order_by("-id")[:ROWS_SHOWN]
    )
    rows = [
        DossierRow(
            label=f"{matter.number} {matter.title}",
            url=reverse("petitions:detail", args=[matter.pk]),
            detail=_detail(matter),
        )
        for matter in matters
    ]
    if rows:
        return DossierSection(title=SECTION_TITLE, rows=rows, order=35)
    # Petitions staff see that there is nothing; others get no section.
    if not may_see_petitions(user):
        return None
    return DossierSection(title=SECTION_TITLE, order=35, empty_text="暂无信访事项")


register_dossier_section(petitions_section)
