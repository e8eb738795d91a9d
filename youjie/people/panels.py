"""The home-page card of the people app (registered in PeopleConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from youjie.core.panels import Panel


def people_panel(user: Any) -> Panel | None:
    if not getattr(user, "is_authenticated", False) or getattr(user, "is_service_account", False):
        return None
    return Panel(
        title="人员查询",
        url=reverse("people:search"),
        text="按姓名、身份证号或手机号查找人员，查看一人一档；登记新人员或企业。",
        order=30,
    )
