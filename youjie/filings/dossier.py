"""The filings section of a person's dossier (一人一档): the filings naming them as a party,
within the viewer's scope. Registered by importing this module (``panels`` does, from
``FilingsConfig.ready``)."""

from __future__ import annotations

from django.urls import reverse

from youjie.core.viewers import Viewer
from youjie.people.dossier import DossierRow, DossierSection, register_dossier_section
from youjie.people.models import Person

SECTION_TITLE = "立案申请"
ROWS_SHOWN = 20


def filings_section(user: Viewer, person: Person) -> DossierSection | None:
    from youjie.filings.permissions import may_see_filings
    from youjie.filings.selectors import visible_filings

    filings = (
        visible_filings(user=user)
        .filter(parties__person=person)
        .select_related("competent_court", "court_case")
        .distinct()
        .order_by("-id")[:ROWS_SHOWN]
    )
    rows = []
    for filing in filings:
        detail = f"{filing.competent_court.name} · {filing.get_status_display()}"
        if filing.court_case is not None:
            detail += f" · {filing.court_case.case_number}"
        rows.append(
            DossierRow(
                label=f"{filing.number} {filing.cause}",
                url=reverse("filings:detail", args=[filing.pk]),
                detail=detail,
            )
        )
    if rows:
        return DossierSection(title=SECTION_TITLE, rows=rows, order=25)
    if not may_see_filings(user):
        return None
    return DossierSection(title=SECTION_TITLE, order=25, empty_text="暂无立案申请")


register_dossier_section(filings_section)
