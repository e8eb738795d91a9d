"""The home-page panel of the working-day calendar."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from youjie.core.panels import Panel
from youjie.core.viewers import Viewer
from youjie.workdays.calendar import year_status
from youjie.workdays.choices import YearStatus
from youjie.workdays.permissions import can_edit_calendar


def calendar_panel(user: Viewer) -> Panel | None:
    if not user.is_authenticated:
        return None
    text = "查询工作日，按工作日或自然日计算期限。"
    if can_edit_calendar(user):
        next_year = timezone.localdate().year + 1
        if year_status(next_year) == YearStatus.WEEKENDS_ONLY:
            text = f"{next_year}年节假日安排尚未录入，请在国务院办公厅通知发布后录入。"
    return Panel(title="工作日历", url=reverse("workdays:index"), text=text, order=900)
