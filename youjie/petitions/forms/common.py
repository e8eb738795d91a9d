"""Helpers shared by the petitions forms: the accepted date range, size limits, the builders of
limited text, date and choice fields, and the bounded user choice fields (an id past the
database's range is refused, never a 500).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

from youjie.core.widgets import ChineseDateInput
from youjie.orgs.models import User

# The dates a form accepts: petition records are of this century; the bounds keep every date
# arithmetic (deadlines, calendar lookups) inside datetime's range.
DATE_EARLIEST = date(2000, 1, 1)
DATE_LATEST = date(2099, 12, 31)
DATE_RANGE_MESSAGE = f"日期应在{DATE_EARLIEST:%Y}年至{DATE_LATEST:%Y}年之间"
SEARCH_MAX = 100
NUMBERS_MAX = 20_000  # the textarea of matter numbers to add to a campaign (500 lines)
CASE_NUMBERS_MAX = 2_000
PERSON_NAME_MAX = 50
STALE_MESSAGE = "页面已过期，请刷新后重试"


def _too_long(limit: int) -> dict[str, str]:
    return {"max_length": f"不能超过{limit}字（当前%(show_value)d字）"}


def text_field(
    label: str, limit: int, *, required: bool = True, rows: int = 0, **kwargs: Any
) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    return forms.CharField(
        label=label,
        max_length=limit,
        required=required,
        widget=widget,
        error_messages={"required": f"请填写{label}", **_too_long(limit)},
        **kwargs,
    )


def date_field(label: str, *, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=ChineseDateInput(),
        validators=[
            MinValueValidator(DATE_EARLIEST, message=DATE_RANGE_MESSAGE),
            MaxValueValidator(DATE_LATEST, message=DATE_RANGE_MESSAGE),
        ],
        error_messages={"required": f"请填写{label}", "invalid": "日期格式应为 年-月-日"},
    )


def choice_field(label: str, choices: Any, *, required: bool = True) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices if required else [("", "全部"), *choices],
        required=required,
        error_messages={"required": f"请选择{label}", "invalid_choice": f"{label}无效"},
    )


ID_MAX = 2**63 - 1  # beyond it SQLite cannot even compare (an OverflowError, a 500)


class BoundedMultipleChoiceField(forms.ModelMultipleChoiceField[Any]):
    """A multiple choice of rows by id that refuses an id no database column can hold before
    it reaches the ``IN (…)`` query (Django guards single lookups, not ``__in``)."""

    def clean(self, value: Any) -> Any:
        for item in value if isinstance(value, list | tuple) else []:
            text = str(item).strip()
            digits = text.lstrip("-")
            if len(digits) > 19 or not (digits.isascii() and digits.isdigit()):
                valid = False
            else:
                valid = int(digits) <= ID_MAX
            if not valid:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": text[:20]},
                )
        return super().clean(value)


class UserChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        unit = obj.org_unit.name if obj.org_unit_id and obj.org_unit else "未分配机构"
        return f"{obj.get_full_name()}（{unit}）"


class UsersChoiceField(BoundedMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        unit = obj.org_unit.name if obj.org_unit_id and obj.org_unit else "未分配机构"
        return f"{obj.get_full_name()}（{unit}）"


def _model_choice_errors(label: str) -> dict[str, str]:
    return {
        "required": f"请选择{label}",
        "invalid_choice": f"所选{label}不存在",
        "invalid_pk_value": f"所选{label}不存在",
        "invalid_list": f"{label}格式不正确",
    }
