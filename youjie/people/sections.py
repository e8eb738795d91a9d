"""The people app's own dossier section: enterprises for which the person is the contact."""

from __future__ import annotations

from django.urls import reverse

from youjie.core.viewers import Viewer
from youjie.people.dossier import DossierRow, DossierSection
from youjie.people.models import Person
from youjie.people.selectors import visible_enterprises


def enterprises_section(user: Viewer, person: Person) -> DossierSection | None:
    enterprises = list(visible_enterprises(user=user).filter(contact_person=person)[:50])
    if not enterprises:
        return None
    rows = [
        DossierRow(
            label=enterprise.name,
            url=reverse("people:enterprise_detail", args=[enterprise.pk]),
            detail=f"统一社会信用代码 {enterprise.uscc}",
        )
        for enterprise in enterprises
    ]
    return DossierSection(title="联系的企业", rows=rows, order=90)
