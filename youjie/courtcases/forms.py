"""Forms for the case list filters, the import upload, and hearings."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import QuerySet
from django.utils import timezone

from youjie.core.widgets import ChineseDateInput, ChineseFileInput
from youjie.courtcases.choices import (
    Attendance,
    CaseStage,
    HearingKind,
    ParticipantRole,
    SecondInstanceResult,
)
from youjie.courtcases.hearings import ParticipantInput, clean_hearing_link
from youjie.courtcases.imports import ALLOWED_EXTENSIONS
from youjie.courtcases.models import (
    COURTROOM_MAX,
    DURATION_MAX_MINUTES,
    DURATION_MIN_MINUTES,
    HEARING_LINK_MAX,
    HEARING_REASON_MAX,
    CaseParty,
    CourtCase,
    HearingParticipant,
)
from youjie.courtcases.numbers import KNOWN_TYPE_CODES
from youjie.courtcases.selectors import (
    DRILL_EARLIEST,
    DRILL_LATEST,
    MAX_ID,
    REVERSED_OR_REMANDED,
    UPCOMING_DAYS_DEFAULT,
    CaseDrillDown,
)
from youjie.orgs.models import OrgUnit
from youjie.workdays.calendar import SHANGHAI


def _date_field(label: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        widget=ChineseDateInput(),
        validators=[
            MinValueValidator(DRILL_EARLIEST, "日期不能早于 %(limit_value)s"),
            MaxValueValidator(DRILL_LATEST, "日期不能晚于 %(limit_value)s"),
        ],
        error_messages={"invalid": "日期格式应为 YYYY-MM-DD"},
    )


class CaseFilterForm(forms.Form):
    q = forms.CharField(
        label="案号/案由",
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "如 民初123 或 借款合同"}),
    )
    type_code = forms.ChoiceField(
        label="类型",
        required=False,
        choices=[("", "全部")] + [(code, code) for code in KNOWN_TYPE_CODES],
    )
    stage = forms.ChoiceField(
        label="阶段", required=False, choices=[("", "全部"), *CaseStage.choices]
    )
    year = forms.IntegerField(label="年度", required=False, min_value=1990, max_value=2100)
    # The drill-down from the court figures (youjie.analytics): each figure links to the list
    # of the cases it counts, with these filters (CaseDrillDown says what each one means).
    division = forms.IntegerField(
        label="承办庭室", required=False, min_value=1, max_value=MAX_ID, widget=forms.HiddenInput
    )
    judge = forms.IntegerField(
        label="承办法官", required=False, min_value=1, max_value=MAX_ID, widget=forms.HiddenInput
    )
    filed_from = _date_field("立案日期自")
    filed_to = _date_field("立案日期至")
    closed_from = _date_field("结案日期自")
    closed_to = _date_field("结案日期至")
    open_on = _date_field("当日未结（含当日结案）")
    first_instance = forms.BooleanField(label="仅一审案件", required=False)
    appealed = forms.BooleanField(label="仅已上诉", required=False)
    petitioned = forms.BooleanField(label="仅申请再审或申诉", required=False)
    result = forms.ChoiceField(
        label="二审结果",
        required=False,
        choices=[
            ("", "全部"),
            *SecondInstanceResult.choices,
            (REVERSED_OR_REMANDED, "改判或发回重审"),
        ],
    )
    over_limit = forms.BooleanField(label="仅超审限结案", required=False)
    over_limit_on = _date_field("当日超审限未结")
    litigation_only = forms.BooleanField(label="不含诉前案件", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def filters(self) -> dict[str, Any]:
        """The valid filters; an invalid field is ignored rather than failing the page."""
        self.is_valid()  # cleaned_data then holds exactly the fields that are valid
        data = self.cleaned_data
        return {
            "query": data.get("q") or "",
            "type_code": data.get("type_code") or "",
            "stage": data.get("stage") or "",
            "year": data.get("year"),
            "drill": self.drill_down(),
        }

    def drill_down(self) -> CaseDrillDown | None:
        """The drill-down filters that are set and valid, or None when there are none."""
        data = getattr(self, "cleaned_data", {})
        drill = CaseDrillDown(
            division_id=data.get("division"),
            judge_id=data.get("judge"),
            filed_from=data.get("filed_from"),
            filed_to=data.get("filed_to"),
            closed_from=data.get("closed_from"),
            closed_to=data.get("closed_to"),
            open_on=data.get("open_on"),
            first_instance=bool(data.get("first_instance")),
            appealed=bool(data.get("appealed")),
            petitioned=bool(data.get("petitioned")),
            result=data.get("result") or "",
            over_limit=bool(data.get("over_limit")),
            over_limit_on=data.get("over_limit_on"),
            litigation_only=bool(data.get("litigation_only")),
        )
        return drill if drill.is_set() else None


class CaseImportUploadForm(forms.Form):
    court = forms.ModelChoiceField(label="法院", queryset=OrgUnit.objects.none(), empty_label=None)
    file = forms.FileField(
        label="案件清单文件（.xlsx 或 .csv）",
        widget=ChineseFileInput(attrs={"accept": ",".join(ALLOWED_EXTENSIONS)}),
    )

    def __init__(self, *args: Any, courts: QuerySet[OrgUnit], **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        court_field = self.fields["court"]
        assert isinstance(court_field, forms.ModelChoiceField)
        court_field.queryset = courts

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = int(settings.YOUJIE_MAX_UPLOAD_BYTES)
        if upload.size > limit:
            raise forms.ValidationError(f"文件过大：不能超过 {limit // (1024 * 1024)} MB")
        return upload


class CaseImportRunForm(forms.Form):
    import_valid_rows = forms.BooleanField(required=False)


# --- hearings ---------------------------------------------------------------------------------

OTHER_PARTICIPANTS_TEXT_MAX = 2000
# How staff write a participant's role on a line of "其他参加人".
ROLE_WORDS: dict[str, str] = {
    "代理人": ParticipantRole.AGENT,
    "诉讼代理人": ParticipantRole.AGENT,
    "委托代理人": ParticipantRole.AGENT,
    "律师": ParticipantRole.AGENT,
    "证人": ParticipantRole.WITNESS,
    "其他": ParticipantRole.OTHER,
    "其他诉讼参与人": ParticipantRole.OTHER,
    "翻译人员": ParticipantRole.OTHER,
    "鉴定人": ParticipantRole.OTHER,
}
_LINE_SEPARATORS = re.compile(r"[\s,，、;；]+")


class ShanghaiDateTimeField(forms.DateTimeField):
    """A ``datetime-local`` value read as Asia/Shanghai wall time, whatever zone is active."""

    input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def to_python(self, value: Any) -> datetime | None:
        with timezone.override(SHANGHAI):
            return super().to_python(value)


def _reason_field(label: str, *, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=HEARING_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": HEARING_REASON_MAX}),
        error_messages={
            "required": f"请填写{label}",
            "max_length": f"{label}不能超过{HEARING_REASON_MAX}字",
        },
    )


def parse_other_participants(text: str) -> list[ParticipantInput]:
    """One participant a line: 身份 姓名 [手机号], e.g. "代理人 王律师 13900001111"."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        parts = [part for part in _LINE_SEPARATORS.split(line.strip()) if part]
        if not parts:
            continue
        if len(parts) not in (2, 3):
            raise ValidationError(f"第{number}行应为“身份 姓名 手机号（可不填）”")
        role = ROLE_WORDS.get(parts[0])
        if role is None:
            raise ValidationError(f"第{number}行的身份应为代理人、证人或其他")
        found.append(
            ParticipantInput(role=role, name=parts[1], mobile=parts[2] if len(parts) == 3 else "")
        )
    return found


class PartyChoiceField(forms.ModelMultipleChoiceField[CaseParty]):
    def label_from_instance(self, obj: CaseParty) -> str:
        return f"{obj.get_role_display()} {obj.name}"

    def clean(self, value: Any) -> Any:
        # An id past the database's integer range would fail the lookup itself (a 500).
        for pk in value if isinstance(value, list | tuple) else []:
            text = str(pk)
            if not (text.isascii() and text.isdigit() and 0 < int(text) <= MAX_ID):
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().clean(value)


class HearingScheduleForm(forms.Form):
    hearing_kind = forms.ChoiceField(
        label="开庭方式",
        choices=HearingKind.choices,
        initial=HearingKind.IN_PERSON,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择开庭方式", "invalid_choice": "请选择开庭方式"},
    )
    hearing_at = ShanghaiDateTimeField(
        label="开庭时间（北京时间）",
        error_messages={"required": "请填写开庭时间", "invalid": "请输入有效的日期和时间"},
    )
    duration_minutes = forms.IntegerField(
        label="预计时长（分钟）",
        initial=60,
        min_value=DURATION_MIN_MINUTES,
        max_value=DURATION_MAX_MINUTES,
        error_messages={
            "required": "请填写预计时长",
            "invalid": "预计时长应为整数分钟",
            "min_value": f"预计时长不能少于{DURATION_MIN_MINUTES}分钟",
            "max_value": f"预计时长不能超过{DURATION_MAX_MINUTES}分钟",
        },
    )
    hearing_link = forms.CharField(
        label="在线庭审链接（在线庭审必填）",
        required=False,
        max_length=HEARING_LINK_MAX,
        widget=forms.TextInput(attrs={"placeholder": "https://", "inputmode": "url"}),
        error_messages={"max_length": f"链接不能超过{HEARING_LINK_MAX}个字符"},
    )
    courtroom = forms.CharField(
        label="法庭（现场开庭必填）",
        required=False,
        max_length=COURTROOM_MAX,
        widget=forms.TextInput(attrs={"placeholder": "如 第一审判庭"}),
        error_messages={"max_length": f"法庭名称不能超过{COURTROOM_MAX}字"},
    )
    party_ids = PartyChoiceField(
        label="参加庭审的当事人",
        queryset=CaseParty.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "所选当事人不属于本案",
            "invalid_pk_value": "所选当事人不属于本案",
            "list": "所选当事人不属于本案",
        },
    )
    other_participants = forms.CharField(
        label="其他参加人（每行一人：身份 姓名 手机号）",
        required=False,
        max_length=OTHER_PARTICIPANTS_TEXT_MAX,
        widget=forms.Textarea(
            attrs={
                "rows": 3,
                "maxlength": OTHER_PARTICIPANTS_TEXT_MAX,
                "placeholder": "代理人 王律师 13900001111\n证人 刘某",
            }
        ),
        error_messages={"max_length": f"其他参加人不能超过{OTHER_PARTICIPANTS_TEXT_MAX}字"},
    )

    def __init__(self, *args: Any, court_case: CourtCase, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        kwargs.setdefault("auto_id", "hearing_%s")
        super().__init__(*args, **kwargs)
        parties = self.fields["party_ids"]
        assert isinstance(parties, forms.ModelMultipleChoiceField)
        parties.queryset = CaseParty.objects.filter(court_case=court_case).order_by("id")
        if not self.is_bound:
            self.initial.setdefault("party_ids", [party.pk for party in parties.queryset])

    def clean_other_participants(self) -> list[ParticipantInput]:
        text = str(self.cleaned_data.get("other_participants") or "")
        if "\x00" in text:
            raise ValidationError("其他参加人含有无效字符")
        return parse_other_participants(text)

    def clean_hearing_link(self) -> str:
        return str(self.cleaned_data.get("hearing_link") or "").strip()

    def clean_courtroom(self) -> str:
        courtroom = str(self.cleaned_data.get("courtroom") or "").strip()
        if "\x00" in courtroom:
            raise ValidationError("法庭名称含有无效字符")
        return courtroom

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kind = cleaned.get("hearing_kind")
        if kind == HearingKind.ONLINE and "hearing_link" in cleaned:
            _link, problem = clean_hearing_link(cleaned["hearing_link"])
            if problem:
                self.add_error("hearing_link", problem)
        missing_room = kind == HearingKind.IN_PERSON and not cleaned.get("courtroom")
        if missing_room and "courtroom" not in self.errors:
            self.add_error("courtroom", "现场开庭请填写法庭名称")
        return cleaned


class HearingPostponeForm(forms.Form):
    reason = _reason_field("延期理由")
    new_hearing_at = ShanghaiDateTimeField(
        label="新的开庭时间（可暂不确定）",
        required=False,
        error_messages={"invalid": "请输入有效的日期和时间"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean_reason(self) -> str:
        reason = str(self.cleaned_data.get("reason") or "").strip()
        if "\x00" in reason:
            raise ValidationError("延期理由含有无效字符")
        return reason


class HearingCancelForm(forms.Form):
    reason = _reason_field("取消理由")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean_reason(self) -> str:
        reason = str(self.cleaned_data.get("reason") or "").strip()
        if "\x00" in reason:
            raise ValidationError("取消理由含有无效字符")
        return reason


class HearingAttendanceForm(forms.Form):
    """One choice per participant of the hearing (``attendance_<participant id>``)."""

    def __init__(
        self, *args: Any, participants: Sequence[HearingParticipant], **kwargs: Any
    ) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for participant in participants:
            self.fields[f"attendance_{participant.pk}"] = forms.ChoiceField(
                label=f"{participant.get_role_display()} {participant.name}",
                choices=Attendance.choices,
                initial=participant.attendance or Attendance.PRESENT,
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"请选择{participant.name}的到庭情况",
                    "invalid_choice": f"请选择{participant.name}的到庭情况",
                },
            )

    def attendance(self) -> dict[int, str]:
        return {
            int(name.removeprefix("attendance_")): str(value)
            for name, value in self.cleaned_data.items()
            if name.startswith("attendance_")
        }


HEARING_DAYS_CHOICES = [("7", "7日内"), ("30", "30日内"), ("90", "90日内"), ("366", "一年内")]


class HearingFilterForm(forms.Form):
    days = forms.ChoiceField(label="时间范围", choices=HEARING_DAYS_CHOICES, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def day_count(self) -> int:
        if self.is_valid() and self.cleaned_data.get("days"):
            return int(self.cleaned_data["days"])
        return UPCOMING_DAYS_DEFAULT
