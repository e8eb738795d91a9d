"""The desk's section of a person's dossier (一人一档): their requests, within the viewer's scope.

Registered by importing this module (``youjie.desk.panels`` does, from ``DeskConfig.ready``).
"""

from __future__ import annotations

from django.db.models import Count, Sum
from django.urls import reverse
from django.utils import timezone

from youjie.core.viewers import Viewer
from youjie.desk.models import ServiceRequest
from youjie.desk.permissions import is_desk_staff
from youjie.orgs.scoping import scope_queryset
from youjie.people.dossier import DossierRow, DossierSection, register_dossier_section
from youjie.people.models import Person
from youjie.workdays.calendar import SHANGHAI

SECTION_TITLE = "诉事速办诉求"
ROWS_SHOWN = 20


def desk_requests_section(user: Viewer, person: Person) -> DossierSection | None:
    """The person's requests the viewer may see, newest first, with the total of repeats."""
    visible = scope_queryset(ServiceRequest.objects.filter(requester=person), user)
    totals = visible.order_by().aggregate(count=Count("id"), repeats=Sum("repeat_count"))
    if not totals["count"]:
        # Desk staff see that there is nothing; others (office officers …) get no section.
        return (
            DossierSection(title=SECTION_TITLE, order=30, empty_text="暂无诉求")
            if is_desk_staff(user)
            else None
        )
    requests = list(visible.select_related("matter_type").order_by("-id")[:ROWS_SHOWN])
    summary = f"共 {totals['count']} 件，重复诉求累计 {totals['repeats'] or 0} 次"
    if totals["count"] > ROWS_SHOWN:
        summary += f"（列出最近 {ROWS_SHOWN} 件）"
    rows = [DossierRow(label=summary)]
    for service_request in requests:
        day = timezone.localtime(service_request.created_at, SHANGHAI)
        status = service_request.get_status_display()
        detail = f"{service_request.matter_type.name} · {status} · {day:%Y-%m-%d}"
        if service_request.repeat_count:
            detail += f" · 重复 {service_request.repeat_count} 次"
        rows.append(
            DossierRow(
                label=f"{service_request.number} {service_request.title}",
                url=reverse("desk:detail", args=[service_request.pk]),
                detail=detail,
            )
        )
    return DossierSection(title=SECTION_TITLE, rows=rows, order=30)


register_dossier_section(desk_requests_section)
