"""The period form of the desk figures: a preset (本月/本季度/本年) or a date range."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from youjie.analytics.periods import (
    EARLIEST,
    LATEST,
    MAX_PERIOD_DAYS,
    PRESETS,
    Period,
    preset_period,
)
from youjie.core.widgets import ChineseDateInput


class PeriodForm(forms.Form):
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
