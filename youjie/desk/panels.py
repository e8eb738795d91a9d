"""Home panels and the dossier section of the desk."""

from __future__ import annotations

from django.urls import reverse

from youjie.core.panels import Panel, register_panel
from youjie.core.viewers import Viewer
from youjie.desk import dossier  # noqa: F401  (registers the 一人一档 section)
from youjie.desk.permissions import is_desk_staff


@register_panel
def desk_panel(user: Viewer) -> Panel | None:
    if not is_desk_staff(user):
        return None
    from youjie.desk.selectors import my_queue, overdue_list

    mine = my_queue(user=user).count()
    overdue = overdue_list(user=user).count()
    return Panel(
        title="诉事速办",
        url=reverse("desk:my_queue"),
        text=f"我的待办 {mine} 件，超期 {overdue} 件",
        order=10,
    )
