"""Forms of supervision (P3): supervision letters (draft, send, reply), meetings (create, minute
a matter, set and complete a task, confirm held), generating a three-day review and a daily
bulletin, and the filters of their lists.
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.db import models

from youjie.orgs.models import OrgUnit, User
from youjie.petitions import selectors
from youjie.petitions.choices import LetterStatus, MeetingKind, MeetingStatus
from youjie.petitions.forms.common import (
    SEARCH_MAX,
    STALE_MESSAGE,
    UserChoiceField,
    _model_choice_errors,
    choice_field,
    date_field,
    text_field,
)
from youjie.petitions.models import REASON_MAX, TEXT_MAX, TITLE_MAX

LETTER_NUMBERS_MAX = 2_000  # the textarea of matter numbers a letter names (50 lines)
LETTER_MATTERS_MAX = 50
MATTER_NUMBER_MAX = 40


def _matter_numbers(text: str, *, limit: int) -> list[str]:
    lines = list(dict.fromkeys(line.strip() for line in text.splitlines() if line.strip()))
    if not lines:
        raise forms.ValidationError("请填写事项编号")
    if len(lines) > limit:
        raise forms.ValidationError(f"最多填写{limit}个事项编号")
    if any(len(line) > MATTER_NUMBER_MAX for line in lines):
        raise forms.ValidationError("事项编号过长，请每行填写一个编号，如 信访〔2026〕3号")
    return lines


class OrgUnitChoiceField(forms.ModelChoiceField[OrgUnit]):
    def label_from_instance(self, obj: OrgUnit) -> str:
        return obj.name


class SubmissionKeyForm(forms.Form):
    """A form with a hidden key made when the page is drawn: a second submission of the same
    page creates nothing twice (``services.run_once``)."""

    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission_key", uuid.uuid4().hex)

    def fingerprint_body(self) -> dict[str, Any]:
        data = {
            key: (value.pk if isinstance(value, models.Model) else value)
            for key, value in self.cleaned_data.items()
        }
        data.pop("submission_key", None)
        return data


class LetterFilterForm(forms.Form):
    status = choice_field("状态", LetterStatus.choices, required=False)
    overdue = forms.BooleanField(label="只看逾期未答复", required=False)
    q = text_field("发文字号或标题", SEARCH_MAX, required=False)


class LetterCreateForm(SubmissionKeyForm):
    """A 督办函 drafted by the user's office: recipient, matters by number, requirements,
    deadline; sent at once or kept as a draft."""

    recipient_unit = OrgUnitChoiceField(
        label="受函单位",
        queryset=OrgUnit.objects.none(),
        error_messages=_model_choice_errors("受函单位"),
    )
    numbers = text_field(
        "督办事项编号（每行一个）",
        LETTER_NUMBERS_MAX,
        rows=4,
        help_text=f"如 信访〔2026〕3号，最多{LETTER_MATTERS_MAX}件",
    )
    title = text_field(
        "标题", TITLE_MAX, required=False, help_text="不填则按事项自动生成：关于督促办理……的函"
    )
    requirements = text_field("督办要求", TEXT_MAX, rows=5)
    due_on = date_field("答复期限")
    send_now = forms.BooleanField(label="保存后立即发出（编发文字号、生成督办函）", required=False)

    def __init__(self, *args: Any, office: OrgUnit | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["recipient_unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            selectors.letter_recipient_choices(office) if office else OrgUnit.objects.none()
        )

    def clean_numbers(self) -> list[str]:
        return _matter_numbers(self.cleaned_data.get("numbers") or "", limit=LETTER_MATTERS_MAX)


class LetterSendForm(forms.Form):
    """Send a draft: carries the status the page showed (a letter sent meanwhile is stale)."""

    expected_status = forms.ChoiceField(
        choices=LetterStatus.choices,
        widget=forms.HiddenInput,
        error_messages={"required": STALE_MESSAGE, "invalid_choice": STALE_MESSAGE},
    )


class LetterReplyForm(forms.Form):
    reply_text = text_field("答复内容", TEXT_MAX, rows=5)
    replied_on = date_field("答复日期", required=False)


class MeetingFilterForm(forms.Form):
    kind = choice_field("会议类型", MeetingKind.choices, required=False)


def _owner_field(label: str, *, required: bool) -> UserChoiceField:
    return UserChoiceField(
        label=label,
        queryset=User.objects.none(),
        required=required,
        error_messages=_model_choice_errors(label),
    )


class MeetingCreateForm(SubmissionKeyForm):
    """A leaders' dispatch meeting (调度会) of the user's office."""

    title = text_field("会议名称", TITLE_MAX)
    held_on = date_field("会议日期")
    chair = _owner_field("主持人", required=False)
    attendees = text_field("参会人员", REASON_MAX, required=False, rows=2)
    summary = text_field("会议纪要", TEXT_MAX, required=False, rows=3)

    def __init__(self, *args: Any, office: OrgUnit | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["chair"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = selectors.task_owner_choices(office) if office else User.objects.none()


class MeetingMinuteForm(forms.Form):
    """逐案解剖: the meeting's minute on one matter."""

    number = text_field("事项编号", MATTER_NUMBER_MAX, help_text="如 信访〔2026〕3号")
    minute = text_field("研究意见", TEXT_MAX, rows=3)


class MeetingTaskForm(forms.Form):
    """A decision as a task: matter, what, owner, deadline."""

    number = text_field("事项编号", MATTER_NUMBER_MAX, help_text="如 信访〔2026〕3号")
    description = text_field("任务内容", REASON_MAX, rows=2)
    owner = _owner_field("责任人", required=True)
    due_on = date_field("完成期限")

    def __init__(self, *args: Any, office: OrgUnit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["owner"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = selectors.task_owner_choices(office)


class MeetingHoldForm(forms.Form):
    expected_status = forms.ChoiceField(
        choices=MeetingStatus.choices,
        widget=forms.HiddenInput,
        error_messages={"required": STALE_MESSAGE, "invalid_choice": STALE_MESSAGE},
    )
    attendees = text_field("参会人员", REASON_MAX, required=False, rows=2)
    summary = text_field("会议纪要", TEXT_MAX, required=False, rows=3)


class MeetingTaskDoneForm(forms.Form):
    note = text_field("落实情况", REASON_MAX, rows=2)
    done_on = date_field("完成日期", required=False)


class ReviewGenerateForm(forms.Form):
    """Generate today's 三日一研究 agenda now (the periodic task does it at the set time)."""

    day = date_field("会议日期", required=False)


class BulletinGenerateForm(forms.Form):
    """Issue the bulletin of a day now (today by default; never a future day)."""

    day = date_field("通报日期", required=False)
