"""The figures kept current by the background engine (issue 15 item 3).

Court figures (审判质效) for any period are sums over ``CourtFigureDay``: for each court,
division, judge, case type and day, the counts that the period figures add up (新收 by filing
day, 结案 and its parts by closing day, …) and the running terms 旧存 and 期末超审限未结 need
(the cases that stopped being open on a day, the days a case passed its time limit and left
it). ``CourtFigureCase`` remembers, per court case, the values its counts were last taken
from, so that a refresh takes a changed case's old counts out and its new ones in, however its
dates, division or court changed (``services.court_figures_refresh``). The arithmetic is
``court_contributions``; the reading ``court_selectors.court_figures``.

(The big screens' figures per viewer are ``core.models.FigureSnapshot`` rows.)
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from youjie.analytics.choices import FigureGrain

COURT_FIGURES = "court_figures"  # the FigureRefresh row of the court figures' day table
DESK_FIGURES = "desk_figures"  # the FigureRefresh row of the desk figures' day table


class CourtFigureDay(models.Model):
    """The counts of one (court, division, judge, case type) on one day, at three grains: by
    judge and day; by day (``judge`` empty: the same counts summed over the judges); by month
    (``day`` the month's first day: summed over its days). A period's figures read the month
    rows of its whole months and the day rows of the months its bounds cut through — a few
    thousand rows for three years of a court's cases — or, when a judge is chosen, that judge's
    day rows.

    ``filed_after`` is empty except on the rows of cases whose closing date lies before their
    filing date (the import refuses such rows; the admin does not): their 结案 counts on
    ``day`` only in periods ending on or after ``filed_after``, as the definition "closed within
    the period and filed by its end" says.
    """

    court = models.ForeignKey(
        "orgs.OrgUnit", verbose_name="法院", on_delete=models.CASCADE, related_name="+"
    )
    division = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name="承办庭室",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    judge = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="承办法官",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    grain = models.CharField("粒度", max_length=8, choices=FigureGrain.choices)
    type_code = models.CharField("类型代字", max_length=16)
    day = models.DateField("日期")
    filed_after = models.DateField("立案日期（晚于结案日期时）", null=True, blank=True)
    new = models.IntegerField("新收", default=0)
    ended = models.IntegerField("不再未结（结案，或立案晚于结案时立案）", default=0)
    closed = models.IntegerField("结案", default=0)
    first_instance_closed = models.IntegerField("一审结案", default=0)
    appealed = models.IntegerField("上诉", default=0)
    petitioned = models.IntegerField("申请再审或申诉", default=0)
    appealed_or_petitioned = models.IntegerField("上诉或申请再审、申诉", default=0)
    reversed_or_remanded = models.IntegerField("改判、发回重审", default=0)
    days_to_close = models.BigIntegerField("审理天数之和", default=0)
    over_limit_closed = models.IntegerField("超审限结案", default=0)
    over_limit_from = models.IntegerField("自当日起超审限未结", default=0)
    over_limit_until = models.IntegerField("当日结案而不再超审限未结", default=0)

    class Meta:
        verbose_name = "审判质效日汇总"
        verbose_name_plural = "审判质效日汇总"
        indexes = [
            models.Index(fields=["court", "grain", "day"], name="analytics_courtday_grain"),
            models.Index(
                fields=["court", "grain", "judge", "day"], name="analytics_courtday_judge"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(grain__in=FigureGrain.values),
                name="analytics_courtday_grain_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.court_id} {self.grain} {self.type_code} {self.day}"


class CourtFigureCase(models.Model):
    """The values of one court case that its counts in CourtFigureDay were taken from.

    No foreign keys: a case removed in the admin leaves its row here until the next refresh
    takes its counts out."""

    case_id = models.BigIntegerField("案件编号", primary_key=True)
    court_id = models.BigIntegerField("法院编号")
    division_id = models.BigIntegerField("承办庭室编号", null=True)
    judge_id = models.BigIntegerField("承办法官编号", null=True)
    type_code = models.CharField("类型代字", max_length=16)
    filed_on = models.DateField("立案日期", null=True)
    closed_on = models.DateField("结案日期", null=True)
    appealed = models.BooleanField("已上诉", default=False)
    petitioned = models.BooleanField("已申诉/信访", default=False)
    second_instance_result = models.CharField("二审结果", max_length=16, blank=True, default="")

    class Meta:
        verbose_name = "审判质效汇总依据"
        verbose_name_plural = "审判质效汇总依据"

    def __str__(self) -> str:
        return str(self.case_id)


class DeskFigureDay(models.Model):
    """The desk figures' counts of one assignee, channel or matter type (``dimension`` and
    ``key``) within one court and division, on one local day (``grain`` day) or summed over a
    month (``grain`` month, ``day`` its first day).

    Each count is what the requests contribute on that day as ``desk_contributions`` defines it
    (received on the day of registration, a first response on time on the day it was given, a
    late one on the day its deadline fell once passed, …), so that a period's figures are sums
    over its days: ``selectors.desk_figures`` reads the month rows of the period's whole months
    and the day rows of the rest. A division's counts (and the total) are the sums of its
    channel rows."""

    court = models.ForeignKey(
        "orgs.OrgUnit", verbose_name="法院", on_delete=models.CASCADE, related_name="+"
    )
    division = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name="庭室",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    dimension = models.CharField("分组", max_length=16)  # assignee, channel, matter_type
    key = models.CharField("分组值", max_length=32, blank=True)  # the id or code ("" for none)
    grain = models.CharField("粒度", max_length=8, choices=FigureGrain.choices)
    day = models.DateField("日期")
    received = models.IntegerField("受理", default=0)
    response_on_time = models.IntegerField("按时回音", default=0)
    response_decided = models.IntegerField("回音已判定", default=0)
    completion_on_time = models.IntegerField("按期办结", default=0)
    completion_decided = models.IntegerField("办结已判定", default=0)
    rated = models.IntegerField("评价数", default=0)
    satisfaction_sum = models.IntegerField("满意度分数之和", default=0)
    satisfied = models.IntegerField("满意（4、5分）", default=0)
    visits_resolved = models.IntegerField("回访：问题已解决", default=0)
    visits_unresolved = models.IntegerField("回访：问题未解决", default=0)
    visits_unreachable = models.IntegerField("回访：无法联系", default=0)

    class Meta:
        verbose_name = "诉事速办统计日汇总"
        verbose_name_plural = "诉事速办统计日汇总"
        indexes = [
            models.Index(fields=["court", "grain", "day"], name="analytics_deskday_court"),
            models.Index(fields=["division", "grain", "day"], name="analytics_deskday_division"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(grain__in=[FigureGrain.DAY, FigureGrain.MONTH]),
                name="analytics_deskday_grain_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(dimension__in=["assignee", "channel", "matter_type"]),
                name="analytics_deskday_dimension_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.court_id} {self.grain} {self.day} {self.dimension}={self.key}"


class DeskFigureRequest(models.Model):
    """What one desk request last contributed to ``DeskFigureDay``: its group and its counts
    by day (``[[day ordinal, column index, amount], …]``), so that a refresh takes a changed
    request's old counts out exactly. No foreign keys (derived data)."""

    request_id = models.BigIntegerField("诉求编号", primary_key=True)
    court_id = models.BigIntegerField("法院编号")
    division_id = models.BigIntegerField("庭室编号", null=True)
    assignee_id = models.BigIntegerField("承办人编号", null=True)
    channel = models.CharField("渠道", max_length=16)
    matter_type_id = models.BigIntegerField("事项类型编号", null=True)
    counts = models.JSONField("按日计数", default=list)

    class Meta:
        verbose_name = "诉事速办统计汇总依据"
        verbose_name_plural = "诉事速办统计汇总依据"

    def __str__(self) -> str:
        return str(self.request_id)


class FigureRefresh(models.Model):
    """When a set of figures was last brought up to date (one row per set: "court_figures")."""

    name = models.CharField("名称", max_length=32, unique=True)
    refreshed_at = models.DateTimeField("数据截至", null=True, blank=True)
    # Cases changed at or after this moment are read again at the next refresh (a margin before
    # the last refresh: a batch committed after it had been read, with an earlier timestamp).
    watermark = models.DateTimeField("下次读取自", null=True, blank=True)
    # The desk figures also read again the requests of the timeline events after this id.
    event_id = models.BigIntegerField("已读事件编号", default=0)
    rebuilt_at = models.DateTimeField("最近全量重建", null=True, blank=True)
    cases_changed = models.PositiveIntegerField("最近一次处理的案件数", default=0)

    class Meta:
        verbose_name = "统计汇总状态"
        verbose_name_plural = "统计汇总状态"

    def __str__(self) -> str:
        return self.name
