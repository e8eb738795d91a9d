"""Forms of the calendar pages: the administrator's year schedule and the deadline calculator."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from youjie.workdays.calendar import MAX_DAYS
from youjie.workdays.choices import DeadlineUnit
from youjie.workdays.parsing import MAX_CHARS, MAX_LINES, overlapping_dates, parse_notice_dates

# Dates the calculator accepts; far enough for any real deadline, and no date overflow.
CALCULATOR_FIRST_YEAR = 1900
CALCULATOR_LAST_YEAR = 2100

_DATES_HELP = (
    f"每行一个日期或日期范围，可加名称，例如：2027-10-01至2027-10-07 国庆节、"
    f"10月1日至7日 国庆节、2027-01-01 元旦。最多{MAX_LINES}行、{MAX_CHARS}字。"
)


class CalendarYearForm(forms.Form):
    source = forms.CharField(
        label="依据",
        max_length=200,
        required=False,
        help_text="国务院办公厅通知的文号或标题，如：国办发明电〔2026〕X号",
    )
    holidays = forms.CharField(
        label="放假日期",
        max_length=MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_DATES_HELP + " 包括与节日连休的周六、周日。",
    )
    workdays = forms.CharField(
        label="调休上班日期",
        max_length=MAX_CHARS,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_DATES_HELP + " 即需要上班的周六、周日。",
    )

    def __init__(self, *args: Any, year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.year = year

    def _parse(self, field_name: str) -> list[tuple[date, str]]:
        text: str = self.cleaned_data.get(field_name) or ""
        return parse_notice_dates(text, self.year)

    def clean_holidays(self) -> list[tuple[date, str]]:
        parsed = self._parse("holidays")
        if not parsed:
            raise ValidationError("请至少填写一个放假日期")
        return parsed

    def clean_workdays(self) -> list[tuple[date, str]]:
        return self._parse("workdays")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        holidays = cleaned.get("holidays")
        workdays = cleaned.get("workdays")
        if isinstance(holidays, list) and isinstance(workdays, list):
            overlap = overlapping_dates(holidays, workdays)
            if overlap:
                listed = "、".join(day.isoformat() for day in overlap)
                self.add_error("workdays", f"以下日期同时出现在放假和调休上班中：{listed}")
        return cleaned


class DeadlineCalculatorForm(forms.Form):
    start = forms.DateField(
        label="起算日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    days = forms.IntegerField(label="期间", min_value=0, max_value=MAX_DAYS)
    unit = forms.ChoiceField(label="单位", choices=DeadlineUnit.choices)

    def clean_start(self) -> date:
        start: date = self.cleaned_data["start"]
        if not CALCULATOR_FIRST_YEAR <= start.year <= CALCULATOR_LAST_YEAR:
            raise ValidationError(
                f"日期应在{CALCULATOR_FIRST_YEAR}年至{CALCULATOR_LAST_YEAR}年之间"
            )
        return start
