"""Administrator-entered holiday schedules that override the bundled chinesecalendar data."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from youjie.core.models import TimeStampedModel
from youjie.workdays.choices import DayKind

# Years an administrator may enter. Wide enough for old cases and far-future deadlines.
YEAR_MIN = 2000
YEAR_MAX = 2100


class CalendarYear(TimeStampedModel):
    """One year's schedule as published by the State Council General Office.

    When a row exists for a year, that year is "administrator-entered": its listed holidays are
    days off, its listed workdays are working days, and every other date follows the Mon–Fri
    week. The bundled package is ignored for that year. The year is the primary key so that the
    timeline of a year survives deleting and re-entering it.
    """

    year = models.PositiveSmallIntegerField("年份", primary_key=True)
    source = models.CharField(
        "依据", max_length=200, blank=True, help_text="如：国办发明电〔2026〕X号"
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "年度节假日安排"
        verbose_name_plural = "年度节假日安排"
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year__gte=YEAR_MIN, year__lte=YEAR_MAX),
                name="workdays_calendaryear_year_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}年"


class CalendarDay(models.Model):
    """A date that differs from the Mon–Fri rule: a day off or a make-up working day (调休)."""

    calendar_year = models.ForeignKey(
        CalendarYear, verbose_name="年度", on_delete=models.CASCADE, related_name="days"
    )
    date = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=16, choices=DayKind.choices)
    name = models.CharField("名称", max_length=50, blank=True, help_text="如：国庆节")

    class Meta:
        verbose_name = "节假日/调休日"
        verbose_name_plural = "节假日/调休日"
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=DayKind.values), name="workdays_calendarday_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.get_kind_display()} {self.name}".rstrip()
