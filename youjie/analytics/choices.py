"""Enumerated columns of the analytics app."""

from __future__ import annotations

from django.db import models


class ScreenKind(models.TextChoices):
    """The big screens (数据大屏): the court hall's and the city (or county) office's."""

    COURT = "court", "法院诉讼服务大厅"
    OFFICE = "office", "专项办"


class FigureGrain(models.TextChoices):
    """The grains the court figures' counts are kept at (``models.CourtFigureDay``): by judge and
    day (read when a judge is chosen), by day, and by month (a period's whole months are read
    from the month rows, only the months its bounds cut through from the day rows)."""

    JUDGE = "judge", "按法官、日"
    DAY = "day", "按日"
    MONTH = "month", "按月"
