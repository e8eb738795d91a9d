"""The period forms of the figures: the desk's (本月/本季度/本年 or a date range) and the court
figures' (本年至今/上一季度 or a date range, with division, judge and case type)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django import forms

from youjie.analytics.periods import (
    COURT_PRESETS,
    EARLIEST,
    LATEST,
    MAX_PERIOD_DAYS,
    PRESETS,
    Period,
    PeriodRefused,
    court_period,
    court_preset_period,
    preset_period,
)
from youjie.core.widgets import ChineseDateInput
from youjie.courtcases.numbers import KNOWN_TYPE_CODES


class PeriodChecks(forms.Form):
    """The desk's and the offices' period: a preset (本月, 本季度, 本年) or two dates, at most
    three years within the calendar's range; ``period()`` once the form is valid. The form sets
    ``self.today``."""

    today: date

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        preset = cleaned.get("preset") or ""
        if preset:
            cleaned["period"] = preset_period(preset, self.today)
            return cleaned
        start, end = cleaned.get("start"), cleaned.get("end")
        if start is None or end is None:
            raise forms.ValidationError("请同时填写开始日期和结束日期，或选择本月、本季度、本年")
        if start > end:
            raise forms.ValidationError("开始日期不能晚于结束日期")
        if start < EARLIEST or end > LATEST:
            raise forms.ValidationError(f"日期应在 {EARLIEST:%Y} 年至 {LATEST:%Y} 年之间")
        period = Period(start=start, end=end)
        if period.days > MAX_PERIOD_DAYS:
            raise forms.ValidationError("统计区间不能超过三年")
        cleaned["period"] = period
        return cleaned

    def period(self) -> Period:
        period: Period = self.cleaned_data["period"]
        return period


class PeriodForm(PeriodChecks):
    preset = forms.ChoiceField(
        label="快捷选择", required=False, choices=[("", "自定义"), *PRESETS.items()]
    )
    start = forms.DateField(
        label="开始日期",
        required=False,
        widget=ChineseDateInput(),
        error_messages={"invalid": "日期格式应为 YYYY-MM-DD"},
    )
    end = forms.DateField(
        label="结束日期",
        required=False,
        widget=ChineseDateInput(),
        error_messages={"invalid": "日期格式应为 YYYY-MM-DD"},
    )

    def __init__(self, data: Any = None, *, today: date) -> None:
        # No parameters at all: this month so far.
        if not data or not any(data.get(name) for name in ("preset", "start", "end")):
            data = {"preset": "month"}
        super().__init__(data)
        self.today = today


class CourtFiguresForm(forms.Form):
    """The court figures' filters: a period (本年至今, 上一季度 or custom, at most five years),
    and optionally a division, a judge and a case type among those the viewer may see."""

    preset = forms.ChoiceField(
        label="期间", required=False, choices=[("", "自定义"), *COURT_PRESETS.items()]
    )
    start = forms.DateField(
        label="开始日期",
        required=False,
        widget=ChineseDateInput(),
        error_messages={"invalid": "日期格式应为 YYYY-MM-DD"},
    )
    end = forms.DateField(
        label="结束日期",
        required=False,
        widget=ChineseDateInput(),
        error_messages={"invalid": "日期格式应为 YYYY-MM-DD"},
    )
    division = forms.TypedChoiceField(
        label="承办庭室", required=False, coerce=int, empty_value=None
    )
    judge = forms.TypedChoiceField(label="承办法官", required=False, coerce=int, empty_value=None)
    type = forms.ChoiceField(
        label="案件类型",
        required=False,
        choices=[("", "全部（不含诉前）"), *((code, code) for code in KNOWN_TYPE_CODES)],
    )

    def __init__(
        self,
        data: Any = None,
        *,
        today: date,
        divisions: Sequence[tuple[int, str]] = (),
        judges: Sequence[tuple[int, str]] = (),
    ) -> None:
        # No period at all: this year so far (the other filters kept).
        if not data or not any(data.get(name) for name in ("preset", "start", "end")):
            data = data.copy() if data else {}
            data["preset"] = "year"
        super().__init__(data)
        self.today = today
        division_field = self.fields["division"]
        judge_field = self.fields["judge"]
        assert isinstance(division_field, forms.ChoiceField)
        assert isinstance(judge_field, forms.ChoiceField)
        division_field.choices = [("", "全部"), *((str(pk), name) for pk, name in divisions)]
        judge_field.choices = [("", "全部"), *((str(pk), name) for pk, name in judges)]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        preset = cleaned.get("preset") or ""
        if preset:
            cleaned["period"] = court_preset_period(preset, self.today)
            return cleaned
        start, end = cleaned.get("start"), cleaned.get("end")
        if start is None or end is None:
            raise forms.ValidationError("请同时填写开始日期和结束日期，或选择本年至今、上一季度")
        try:
            cleaned["period"] = court_period(start, end)
        except PeriodRefused as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from exc
        return cleaned

    def period(self) -> Period:
        period: Period = self.cleaned_data["period"]
        return period


class CampaignFiguresForm(PeriodChecks):
    """The offices' dashboard: a campaign among those the viewer may see (the one taking on the
    most matters by default), and the period whose figures stand beside last year's (本年 by
    default; 本月, 本季度 or dates, at most three years)."""

    campaign = forms.TypedChoiceField(
        label="专项行动",
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "专项行动无效"},
    )
    preset = forms.ChoiceField(
        label="期间", required=False, choices=[("", "自定义"), *PRESETS.items()]
    )
    start = forms.DateField(
        label="开始日期",
        required=False,
        widget=ChineseDateInput(),
        error_messages={"invalid": "日期格式应为 YYYY-MM-DD"},
    )
    end = forms.DateField(
        label="结束日期",
        required=False,
        widget=ChineseDateInput(),
        error_messages={"invalid": "日期格式应为 YYYY-MM-DD"},
    )

    def __init__(
        self, data: Any = None, *, today: date, campaigns: Sequence[tuple[int, str]] = ()
    ) -> None:
        if not data or not any(data.get(name) for name in ("preset", "start", "end")):
            data = data.copy() if data else {}
            data["preset"] = "year"
        super().__init__(data)
        self.today = today
        field = self.fields["campaign"]
        assert isinstance(field, forms.ChoiceField)
        named = [(str(pk), name) for pk, name in campaigns]
        field.choices = [("", "默认（进行中的主要专项行动）"), *named]
