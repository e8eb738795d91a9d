"""The home-page card of the people app (registered in PeopleConfig.ready)."""

from __future__ import annotations

from django.urls import reverse

from youjie.core.panels import Panel
from youjie.core.viewers import Viewer
from youjie.orgs.models import User


def people_panel(user: Viewer) -> Panel | None:
    if not isinstance(user, User) or user.is_service_account:
        return None
    return Panel(
        title="人员查询",
        url=reverse("people:search"),
        text="按姓名、身份证号或手机号查找人员，查看一人一档；登记新人员或企业。",
        order=30,
    )
