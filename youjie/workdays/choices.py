from __future__ import annotations

from django.db import models


class DayKind(models.TextChoices):
    """An administrator-entered exception to the Mon–Fri working week."""

    HOLIDAY = "holiday", "休息日/法定节假日"
    WORKDAY = "workday", "调休上班日"


class YearStatus(models.TextChoices):
    """Where a year's holiday schedule comes from, in order of precedence."""

    ADMIN = "admin", "管理员录入"
    PACKAGE = "package", "内置日历"
    WEEKENDS_ONLY = "weekends_only", "仅按周末"


class DeadlineUnit(models.TextChoices):
    WORKDAYS = "workdays", "工作日"
    CALENDAR_DAYS = "calendar_days", "自然日"


class DateClass(models.TextChoices):
    """How one date is classified, for month grids and the API."""

    WORKDAY = "workday", "工作日"
    WEEKEND = "weekend", "周末"
    HOLIDAY = "holiday", "节假日"
    MAKEUP_WORKDAY = "makeup_workday", "调休上班"
