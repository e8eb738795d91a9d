"""Forms of the mediation pages. They check shapes, choices, lengths and date ranges; the rules
(who may act, states, deadlines, links) live in the services, whose field errors the views put
back here. Every text has a limit and every date a range."""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime, time
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from youjie.core.widgets import ChineseDateInput
from youjie.mediation import selectors
from youjie.mediation.choices import (
    ConfirmationStatus,
    MediationMode,
    MediationStatus,
    SessionKind,
)
from youjie.mediation.models import (
    NAME_MAX,
    PLACE_MAX,
    REASON_MAX,
    TEXT_MAX,
    URL_MAX,
)
from youjie.orgs.models import OrgUnit, User
from youjie.workdays.calendar import SHANGHAI

DATE_EARLIEST = date(2000, 1, 1)
DATE_LATEST = date(2099, 12, 31)
DATE_RANGE_MESSAGE = f"日期应在{DATE_EARLIEST:%Y}年至{DATE_LATEST:%Y}年之间"
STALE_MESSAGE = "页面已过期，请刷新后重试"
SEARCH_MAX = 100
CASE_NUMBER_MAX = 60
TIME_PATTERN = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def text_field(
    label: str, limit: int, *, required: bool = True, rows: int = 0, **kwargs: Any
) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    return forms.CharField(
        label=label,
        max_length=limit,
        required=required,
        widget=widget,
        error_messages={
            "required": f"请填写{label}",
            "max_length": f"不能超过{limit}字（当前%(show_value)d字）",
        },
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


def _model_choice_errors(label: str) -> dict[str, str]:
    return {
        "required": f"请选择{label}",
        "invalid_choice": f"所选{label}不存在",
        "invalid_pk_value": f"所选{label}不存在",
    }


class UserChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        unit = obj.org_unit.name if obj.org_unit_id and obj.org_unit else "未分配机构"
        return f"{obj.get_full_name()}（{unit}）"


class OrgUnitChoiceField(forms.ModelChoiceField[OrgUnit]):
    def label_from_instance(self, obj: OrgUnit) -> str:
        return obj.name


# --- lists ------------------------------------------------------------------------------------


class MediationFilterForm(forms.Form):
    status = choice_field("状态", [("open", "未结束"), *MediationStatus.choices], required=False)
    overdue = forms.BooleanField(label="只看超期", required=False)
    mine = forms.BooleanField(label="只看我调解的", required=False)
    q = text_field("案号、申请编号或案由", SEARCH_MAX, required=False)


# --- delegation -------------------------------------------------------------------------------


class SubmissionKeyForm(forms.Form):
    """A form with a hidden key made when the page is drawn: a second submission of the same
    page creates nothing twice (``services.run_once``)."""

    submission_key = forms.CharField(
        widget=forms.HiddenInput,
        max_length=64,
        error_messages={"required": STALE_MESSAGE, "max_length": STALE_MESSAGE},
    )

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
        return {key: str(value) for key, value in data.items()}


class DelegateForm(SubmissionKeyForm):
    """委派调解: to a mediation organisation and its mediator, or kept by the court."""

    mode = choice_field("调解方式", MediationMode.choices)
    organisation = OrgUnitChoiceField(
        label="调解组织",
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label="（法官+调解不选）",
        error_messages=_model_choice_errors("调解组织"),
    )
    mediator = UserChoiceField(
        label="调解员",
        queryset=User.objects.none(),
        error_messages=_model_choice_errors("调解员"),
    )
    note = text_field("委派说明", REASON_MAX, required=False, rows=2)

    def __init__(self, *args: Any, court: OrgUnit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisation = self.fields["organisation"]
        mediator = self.fields["mediator"]
        assert isinstance(organisation, forms.ModelChoiceField)
        assert isinstance(mediator, forms.ModelChoiceField)
        organisation.queryset = selectors.mediation_organisations(court)
        mediator.queryset = selectors.mediator_choices(court)


# --- actions on a mediation -------------------------------------------------------------------


class ActionForm(forms.Form):
    """Every action carries the status the page was drawn in: a stale page is refused."""

    expected_status = forms.ChoiceField(
        choices=MediationStatus.choices,
        widget=forms.HiddenInput,
        error_messages={"required": STALE_MESSAGE, "invalid_choice": STALE_MESSAGE},
    )


class AcceptForm(ActionForm):
    pass


class StrictCheckboxInput(forms.CheckboxInput):
    """A checkbox that is ticked only by what a browser sends for it ("on") or an explicit
    true: Django's reads any other non-empty text ("   ") as ticked."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> bool:
        value = data.get(name)
        return isinstance(value, str) and value.strip().lower() in ("on", "true", "1")


class ExtendForm(ActionForm):
    new_due_on = date_field("延长至")
    reason = text_field("延长理由", REASON_MAX, rows=2)
    all_parties_agreed = forms.BooleanField(
        label="各方当事人均已同意延长",
        widget=StrictCheckboxInput,
        error_messages={"required": "延长调解期限须经各方当事人同意"},
    )


class ScheduleForm(ActionForm):
    submission_key = forms.CharField(
        widget=forms.HiddenInput,
        max_length=64,
        required=False,
        error_messages={"max_length": STALE_MESSAGE},
    )
    kind = choice_field("调解方式", SessionKind.choices)
    day = date_field("调解日期")
    at = forms.CharField(
        label="时间",
        max_length=5,
        widget=forms.TextInput(attrs={"placeholder": "如 14:30", "inputmode": "numeric"}),
        error_messages={"required": "请填写时间", "max_length": "时间格式应为 时:分，如 14:30"},
    )
    video_url = text_field(
        "视频会议链接", URL_MAX, required=False, help_text="在线调解填写，须以 https:// 开头"
    )
    place = text_field("调解地点", PLACE_MAX, required=False, help_text="现场调解填写")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission_key", uuid.uuid4().hex)

    def clean_at(self) -> time:
        text = str(self.cleaned_data.get("at") or "").strip()
        found = TIME_PATTERN.match(text)
        if not found:
            raise forms.ValidationError("时间格式应为 时:分，如 14:30")
        return time(int(found.group(1)), int(found.group(2)))

    def scheduled_at(self) -> datetime | None:
        day, at = self.cleaned_data.get("day"), self.cleaned_data.get("at")
        if day is None or at is None:
            return None
        return datetime.combine(day, at, tzinfo=SHANGHAI)


class SessionRecordForm(ActionForm):
    session = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        max_value=2**63 - 1,
        error_messages={
            "required": "请选择调解会议",
            "invalid": "调解会议不存在",
            "min_value": "调解会议不存在",
            "max_value": "调解会议不存在",
        },
    )
    held = choice_field("是否进行", [("held", "已进行"), ("not_held", "未进行")])
    notes = text_field(
        "调解情况", TEXT_MAX, rows=3, help_text="已进行的写明调解经过，未进行的写明原因"
    )


class AgreeForm(ActionForm):
    agreement = text_field("调解协议内容", TEXT_MAX, rows=4)
    agreed_on = date_field("协议生效日期", required=True)


class FailForm(ActionForm):
    reason = text_field("调解不成原因", REASON_MAX, rows=2)


class WithdrawForm(ActionForm):
    reason = text_field("撤回原因", REASON_MAX, rows=2)


class ConfirmationApplyForm(ActionForm):
    applicants = text_field("申请人", PLACE_MAX, help_text="双方当事人共同申请，写明姓名或名称")
    applied_on = date_field("申请日期")


class ConfirmationAcceptForm(ActionForm):
    accepted_on = date_field("受理日期")


class ConfirmationExtendForm(ActionForm):
    approved_by = text_field("批准的院长", NAME_MAX)
    reason = text_field("延长理由", REASON_MAX, rows=2)


DECISION_CHOICES: list[tuple[str, str]] = [
    (ConfirmationStatus.CONFIRMED.value, "裁定确认调解协议有效"),
    (ConfirmationStatus.REFUSED.value, "裁定驳回申请"),
    (ConfirmationStatus.NOT_ACCEPTED.value, "不予受理"),
]


class ConfirmationDecideForm(ActionForm):
    result = choice_field("决定", DECISION_CHOICES)
    decided_on = date_field("决定日期")
    reason = text_field(
        "理由", REASON_MAX, required=False, rows=2, help_text="驳回或不予受理须写明理由"
    )


class CloseDocumentForm(ActionForm):
    case_number = text_field("调解书案号", CASE_NUMBER_MAX, help_text="如（2026）内0206民初123号")
    issued_on = date_field("出具日期")
    summary = text_field("调解书内容摘要", TEXT_MAX, required=False, rows=3)
