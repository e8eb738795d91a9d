"""Forms of the petitions pages (信访化解). They check shapes, choices, lengths and date ranges;
the rules (who may act, transitions, evidence, deadlines) live in the services, whose field
errors the views put back here. Every text has a limit and every date a range.

P2 and P3 add their forms below their own headings (work records, coordination, aid; letters,
meetings, bulletins).
"""

from __future__ import annotations

import re
import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from youjie.core.widgets import ChineseDateInput, ChineseFileInput
from youjie.courtcases.models import CourtCase
from youjie.orgs.models import OrgUnit, Region, User
from youjie.people.models import Person
from youjie.petitions import selectors
from youjie.petitions.choices import (
    AidKind,
    AidStatus,
    CampaignKind,
    CampaignStatus,
    CoordinationStatus,
    EvidenceKind,
    FollowUpStatus,
    LetterStatus,
    MatterCategory,
    MatterOrigin,
    MatterStatus,
    MeetingKind,
    MeetingStatus,
    OutcomeType,
    PetitionerAttitude,
    ReturnVisitMethod,
    WorkRecordKind,
)
from youjie.petitions.models import (
    HISTORY_MAX,
    NAME_MAX,
    PLACE_MAX,
    REASON_MAX,
    TEXT_MAX,
    TITLE_MAX,
    Campaign,
    CampaignMatter,
    PetitionLabel,
    PetitionMatter,
)
from youjie.petitions.services.campaigns import MAX_FOLLOW_UP_DAYS
from youjie.petitions.services.coordination import default_workdays as default_coordination_workdays
from youjie.petitions.services.outcomes import DESCRIPTION_MAX

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


# --- the matter list ----------------------------------------------------------------------------


class MatterFilterForm(forms.Form):
    """The list's filters (query string): each also narrows the export."""

    q = forms.CharField(
        label="编号或名称",
        max_length=SEARCH_MAX,
        required=False,
        error_messages=_too_long(SEARCH_MAX),
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "如：信访〔2026〕3号"}),
    )
    status = choice_field(
        "状态",
        [*selectors.STATUS_GROUP_LABELS.items(), *MatterStatus.choices],
        required=False,
    )
    region = forms.ChoiceField(
        label="属地", required=False, error_messages={"invalid_choice": "属地无效"}
    )
    unit = forms.ModelChoiceField(
        label="责任单位",
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label="全部",
        error_messages=_model_choice_errors("责任单位"),
    )
    label = forms.ChoiceField(
        label="标签", required=False, error_messages={"invalid_choice": "标签无效"}
    )
    campaign = forms.ChoiceField(
        label="专项行动", required=False, error_messages={"invalid_choice": "专项行动无效"}
    )
    lead = UserChoiceField(
        label="包案领导",
        queryset=User.objects.none(),
        required=False,
        empty_label="全部",
        error_messages=_model_choice_errors("包案领导"),
    )
    overdue = forms.BooleanField(label="仅看超期", required=False)
    not_met = forms.BooleanField(label="仅看尚未见面（每案必见）", required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["region"].choices = [  # type: ignore[attr-defined]
            ("", "全部"),
            *selectors.region_choices(user=user).values_list("code", "name"),
        ]
        fields["unit"].queryset = selectors.responsible_unit_choices()  # type: ignore[attr-defined]
        fields["label"].choices = [  # type: ignore[attr-defined]
            ("", "全部"),
            *PetitionLabel.objects.order_by("sort_order", "code").values_list("code", "name"),
        ]
        fields["campaign"].choices = [  # type: ignore[attr-defined]
            ("", "全部"),
            *(
                (str(pk), name)
                for pk, name in selectors.campaign_list(user=user).values_list("pk", "name")
            ),
        ]
        fields["lead"].queryset = selectors.lead_official_choices()  # type: ignore[attr-defined]

    def filters(self) -> dict[str, Any]:
        """The cleaned filters as ``selectors.matter_list`` keywords."""
        data = self.cleaned_data
        return {
            "search": (data.get("q") or "").strip(),
            "status": data.get("status") or "",
            "region_code": data.get("region") or "",
            "responsible_unit_id": data["unit"].pk if data.get("unit") else None,
            "label_code": data.get("label") or "",
            "campaign_id": int(data["campaign"]) if data.get("campaign") else None,
            "lead_official_id": data["lead"].pk if data.get("lead") else None,
            "overdue": bool(data.get("overdue")),
            "not_met": bool(data.get("not_met")),
        }


# --- registering a matter -------------------------------------------------------------------


class MatterCreateForm(forms.Form):
    """An office registers a matter of its region, naming an existing person (by the number of
    their dossier) or registering the petitioner with it."""

    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    title = text_field("事项名称", TITLE_MAX)
    region = forms.ModelChoiceField(
        label="属地",
        queryset=Region.objects.none(),
        error_messages=_model_choice_errors("属地"),
    )
    category = choice_field("类别", MatterCategory.choices)
    origin = choice_field("来源", MatterOrigin.choices)
    received_on = date_field("收到日期")
    accepted_on = date_field("受理日期", required=False)
    core_demand = text_field("核心诉求", TEXT_MAX, rows=3)
    root_cause = text_field("症结", TEXT_MAX, required=False, rows=2)
    prior_handling = text_field("既往处理情况", HISTORY_MAX, required=False, rows=3)
    labels = BoundedMultipleChoiceField(
        label="标签",
        queryset=PetitionLabel.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages=_model_choice_errors("标签"),
    )
    statutory_clocks = forms.BooleanField(
        label="适用《信访工作条例》时限",
        required=False,
        initial=True,
        help_text="诉讼权利救济类事项按政法机关有关规定办理的（条例第二十三条第四款），不勾选",
    )
    person = forms.IntegerField(
        label="已建档信访人（档案编号）",
        required=False,
        min_value=1,
        max_value=2**62,
        error_messages={
            "invalid": "档案编号应为数字",
            "min_value": "档案编号无效",
            "max_value": "档案编号无效",
        },
    )
    petitioner_name = text_field("信访人姓名", PERSON_NAME_MAX, required=False)
    petitioner_id_number = text_field("身份证号", 18, required=False)
    petitioner_mobile = text_field("手机号码", 32, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = selectors.region_choices(user=user)  # type: ignore[attr-defined]
        self.fields["labels"].queryset = selectors.labels_active()  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial.setdefault("submission_key", uuid.uuid4().hex)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        named = data.get("person") or (data.get("petitioner_name") or "").strip()
        if not named and "person" not in self.errors and "petitioner_name" not in self.errors:
            self.add_error("petitioner_name", "请填写信访人姓名，或填写已建档信访人的档案编号")
        return data

    def fingerprint_body(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("submission_key", None)
        data["region"] = data["region"].pk if data.get("region") else None
        data["labels"] = sorted(label.code for label in data.get("labels") or [])
        return data


class EscalationForm(forms.Form):
    """A desk request the user may act on becomes a matter (转自诉事速办)."""

    category = choice_field("类别", MatterCategory.choices)
    region = forms.ModelChoiceField(
        label="属地",
        queryset=Region.objects.none(),
        required=False,
        empty_label="（诉求人所在区划，或法院所在区划）",
        error_messages=_model_choice_errors("属地"),
    )
    title = text_field("事项名称", TITLE_MAX)
    core_demand = text_field("核心诉求", TEXT_MAX, rows=3)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = (  # type: ignore[attr-defined]
            Region.objects.filter(org_units__kind="office").distinct().order_by("code")
        )


# --- actions on a matter ----------------------------------------------------------------------


class ActionForm(forms.Form):
    """Every action form carries the status the page showed, so a stale form is refused."""

    expected_status = forms.ChoiceField(
        choices=MatterStatus.choices,
        widget=forms.HiddenInput,
        error_messages={"required": STALE_MESSAGE, "invalid_choice": STALE_MESSAGE},
    )

    def __init__(self, *args: Any, matter: PetitionMatter, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("expected_status", matter.status)
        super().__init__(*args, **kwargs)
        self.matter = matter


class MatterEditForm(ActionForm):
    title = text_field("事项名称", TITLE_MAX)
    category = choice_field("类别", MatterCategory.choices)
    core_demand = text_field("核心诉求", TEXT_MAX, rows=3)
    root_cause = text_field("症结", TEXT_MAX, required=False, rows=2)
    prior_handling = text_field("既往处理情况", HISTORY_MAX, required=False, rows=3)
    labels = BoundedMultipleChoiceField(
        label="标签",
        queryset=PetitionLabel.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages=_model_choice_errors("标签"),
    )
    accepted_on = date_field("受理日期", required=False)
    notified_on = date_field("书面告知日期", required=False)
    court_case_numbers = text_field(
        "关联案件案号（每行一个）", CASE_NUMBERS_MAX, required=False, rows=2
    )

    def __init__(self, *args: Any, matter: PetitionMatter, **kwargs: Any) -> None:
        initial = kwargs.setdefault("initial", {})
        for name in ("title", "category", "core_demand", "root_cause", "prior_handling"):
            initial.setdefault(name, getattr(matter, name))
        initial.setdefault("accepted_on", matter.accepted_on)
        initial.setdefault("notified_on", matter.notified_on)
        if matter.pk:
            initial.setdefault("labels", list(matter.labels.values_list("pk", flat=True)))
            initial.setdefault(
                "court_case_numbers",
                "\n".join(matter.court_cases.order_by("id").values_list("case_number", flat=True)),
            )
        super().__init__(*args, matter=matter, **kwargs)
        # Labels already on the matter stay offered after they are switched off.
        self.fields["labels"].queryset = PetitionLabel.objects.filter(  # type: ignore[attr-defined]
            pk__in=selectors.labels_active().values("pk")
        ) | PetitionLabel.objects.filter(matters=matter.pk)

    def case_numbers(self) -> list[str]:
        text: str = self.cleaned_data.get("court_case_numbers") or ""
        return list(dict.fromkeys(line.strip() for line in text.splitlines() if line.strip()))


class AssignForm(ActionForm):
    """双包案 and 一案一专班: lead official, responsible and handling unit, handler, task force."""

    lead_official = UserChoiceField(
        label="包案领导",
        queryset=User.objects.none(),
        required=False,
        empty_label="（不变）",
        error_messages=_model_choice_errors("包案领导"),
    )
    responsible_unit = forms.ModelChoiceField(
        label="责任单位（指导责任）",
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label="（不变）",
        error_messages=_model_choice_errors("责任单位"),
    )
    handling_unit = forms.ModelChoiceField(
        label="承办单位（直接责任）",
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label="（不变）",
        error_messages=_model_choice_errors("承办单位"),
    )
    handler = UserChoiceField(
        label="承办人",
        queryset=User.objects.none(),
        required=False,
        empty_label="（不变）",
        error_messages=_model_choice_errors("承办人"),
    )
    task_force_head = UserChoiceField(
        label="专班组长",
        queryset=User.objects.none(),
        required=False,
        empty_label="（无）",
        error_messages=_model_choice_errors("专班组长"),
    )
    task_force_members = UsersChoiceField(
        label="专班成员",
        queryset=User.objects.none(),
        required=False,
        error_messages=_model_choice_errors("专班成员"),
    )

    def __init__(self, *args: Any, matter: PetitionMatter, **kwargs: Any) -> None:
        initial = kwargs.setdefault("initial", {})
        if matter.pk:
            members = list(matter.task_force_members.filter(user__isnull=False))
            head = next((m.user_id for m in members if m.role == "head"), None)
            initial.setdefault("task_force_head", head)
            initial.setdefault(
                "task_force_members", [m.user_id for m in members if m.role != "head"]
            )
        super().__init__(*args, matter=matter, **kwargs)
        fields = self.fields
        users = selectors.handler_choices()
        fields["lead_official"].queryset = selectors.lead_official_choices()  # type: ignore[attr-defined]
        fields["responsible_unit"].queryset = selectors.responsible_unit_choices()  # type: ignore[attr-defined]
        fields["handling_unit"].queryset = selectors.handling_unit_choices()  # type: ignore[attr-defined]
        fields["handler"].queryset = users  # type: ignore[attr-defined]
        fields["task_force_head"].queryset = users  # type: ignore[attr-defined]
        fields["task_force_members"].queryset = users  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        head = data.get("task_force_head")
        members = data.get("task_force_members") or []
        if head is not None and head in members:
            self.add_error("task_force_members", "专班组长不必再列为成员")
        return data


class ExtendForm(ActionForm):
    days = forms.IntegerField(
        label="延长天数（日）",
        min_value=1,
        max_value=30,
        error_messages={
            "required": "请填写延长天数",
            "invalid": "延长天数应为整数",
            "min_value": "延长期限应为1至30日（《信访工作条例》第三十四条）",
            "max_value": "延长期限应为1至30日（《信访工作条例》第三十四条）",
        },
    )
    reason = text_field("延期理由", REASON_MAX, rows=2)
    approved_by = text_field("批准人（本机关负责人）", 50)
    told_on = date_field("告知信访人日期")


def _file_field() -> forms.FileField:
    return forms.FileField(
        label="文件（PDF、JPG、PNG）",
        required=False,
        widget=ChineseFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
        max_length=200,
        error_messages={"invalid": "文件无效", "max_length": "文件名过长", "empty": "文件为空"},
    )


class EvidenceForm(ActionForm):
    """One piece of evidence for the current resolution round (协议、救助凭证、承诺书、意见书)."""

    kind = choice_field("材料类型", EvidenceKind.choices)
    description = text_field("材料说明", DESCRIPTION_MAX)
    dated_on = date_field("材料日期")
    file = _file_field()


class ResolveForm(ActionForm):
    """事了 under 三到位一处理, with one more piece of evidence filed with it if need be."""

    outcome_type = choice_field("化解方式（三到位一处理）", OutcomeType.choices)
    summary = text_field("化解情况", TEXT_MAX, rows=3)
    resolved_on = date_field("事了日期")
    evidence_kind = choice_field("随附材料类型", EvidenceKind.choices, required=False)
    evidence_description = text_field("随附材料说明", DESCRIPTION_MAX, required=False)
    evidence_dated_on = date_field("随附材料日期", required=False)
    evidence_file = _file_field()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        given = [
            name
            for name in ("evidence_kind", "evidence_description", "evidence_dated_on")
            if data.get(name)
        ]
        if (given or data.get("evidence_file")) and len(given) < 3:
            for name, label in (
                ("evidence_kind", "材料类型"),
                ("evidence_description", "材料说明"),
                ("evidence_dated_on", "材料日期"),
            ):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, f"随化解登记材料时请填写{label}")
        return data


class ReturnVisitForm(ActionForm):
    """回访 after 事了: confirming 心了 makes the matter 事心双解."""

    visited_on = date_field("回访日期")
    method = choice_field("回访方式", ReturnVisitMethod.choices)
    note = text_field("回访情况", TEXT_MAX, rows=3)
    heart_resolved = forms.BooleanField(label="信访人心结已解开（事心双解）", required=False)


class TerminateForm(ActionForm):
    """依法终结 (DOMAIN.md §2)."""

    terminated_on = date_field("终结日期")
    authority = text_field("终结审核机关", NAME_MAX)
    basis = text_field("终结依据", TEXT_MAX, rows=3)
    handed_over_to = text_field("移交属地（党委、政府、基层组织）", TITLE_MAX)
    handed_over_on = date_field("移交日期")


class FollowUpChoiceField(forms.ModelChoiceField[CampaignMatter]):
    def label_from_instance(self, obj: CampaignMatter) -> str:
        due = f"，{obj.follow_up_due_on:%Y-%m-%d}届满" if obj.follow_up_due_on else ""
        return f"{obj.campaign.name}（{obj.get_status_display()}{due}）"


class FollowUpForm(ActionForm):
    """回头看 in one campaign: confirm the matter stable, or reopen it with the reason."""

    campaign_matter = FollowUpChoiceField(
        label="专项行动",
        queryset=CampaignMatter.objects.none(),
        empty_label=None,
        error_messages=_model_choice_errors("专项行动"),
    )

    def __init__(self, *args: Any, matter: PetitionMatter, **kwargs: Any) -> None:
        super().__init__(*args, matter=matter, **kwargs)
        self.fields["campaign_matter"].queryset = (  # type: ignore[attr-defined]
            CampaignMatter.objects.filter(matter_id=matter.pk, status=FollowUpStatus.PENDING)
            .select_related("campaign")
            .order_by("-campaign__starts_on", "id")
        )


class FollowUpConfirmForm(FollowUpForm):
    note = text_field("说明", REASON_MAX, required=False, rows=2)


class FollowUpReopenForm(FollowUpForm):
    reason = text_field("重新交办原因", REASON_MAX, rows=2)


# --- campaigns --------------------------------------------------------------------------------


class CampaignFilterForm(forms.Form):
    status = choice_field("状态", CampaignStatus.choices, required=False)


class CampaignCreateForm(forms.Form):
    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    name = text_field("名称", NAME_MAX)
    kind = choice_field("类型", CampaignKind.choices)
    starts_on = date_field("开始日期")
    ends_on = date_field("结束日期")
    goals = text_field("工作目标", TEXT_MAX, required=False, rows=3)
    follow_up_days = forms.IntegerField(
        label="回头看期限（日）",
        initial=30,
        min_value=1,
        max_value=MAX_FOLLOW_UP_DAYS,
        error_messages={
            "required": "请填写回头看期限",
            "invalid": "回头看期限应为整数",
            "min_value": f"回头看期限应为1至{MAX_FOLLOW_UP_DAYS}日",
            "max_value": f"回头看期限应为1至{MAX_FOLLOW_UP_DAYS}日",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission_key", uuid.uuid4().hex)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", "结束日期不能早于开始日期")
        return data

    def fingerprint_body(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("submission_key", None)
        return data


class CampaignAddMattersForm(forms.Form):
    """Matters to take on, by number (信访〔2026〕3号), one a line."""

    numbers = text_field("事项编号（每行一个）", NUMBERS_MAX, rows=6)

    def numbers_list(self) -> list[str]:
        text: str = self.cleaned_data.get("numbers") or ""
        return list(dict.fromkeys(line.strip() for line in text.splitlines() if line.strip()))

    def clean_numbers(self) -> str:
        text: str = self.cleaned_data.get("numbers") or ""
        lines = [line for line in text.splitlines() if line.strip()]
        if not lines:
            raise forms.ValidationError("请填写事项编号")
        if len(lines) > 500:
            raise forms.ValidationError("一次最多纳入500件事项")
        if any(len(line.strip()) > 40 for line in lines):
            raise forms.ValidationError("事项编号过长，请每行填写一个编号")
        return text


class CampaignActionForm(forms.Form):
    """Start or close a campaign: carries the status the page showed."""

    expected_status = forms.ChoiceField(
        choices=CampaignStatus.choices,
        widget=forms.HiddenInput,
        error_messages={"required": STALE_MESSAGE, "invalid_choice": STALE_MESSAGE},
    )
    reason = text_field("说明", REASON_MAX, required=False, rows=2)

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("expected_status", campaign.status)
        super().__init__(*args, **kwargs)
        self.campaign = campaign


# --- work records, coordination requests, aid (P2) ---------------------------------------------

WORKDAYS_MAX = 60


class MultipleFileInput(ChineseFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (the work record's attachments); each is checked as one."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class PersonsChoiceField(BoundedMultipleChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return obj.name


class PersonChoiceField(forms.ModelChoiceField[Person]):
    def label_from_instance(self, obj: Person) -> str:
        return obj.name


class DepartmentChoiceField(forms.ModelChoiceField[OrgUnit]):
    def label_from_instance(self, obj: OrgUnit) -> str:
        return obj.name


class CourtCaseChoiceField(forms.ModelChoiceField[CourtCase]):
    def label_from_instance(self, obj: CourtCase) -> str:
        return obj.case_number


MONEY_PATTERN = re.compile(r"[0-9]{1,10}(?:\.[0-9]{1,2})?")


class MoneyField(forms.CharField):
    """An amount in 元 with at most two decimal places, as a Decimal (never a float): typed as
    text, so that "1.005", "1e5", "NaN" and a thousand digits are refused with one message."""

    def __init__(self, *, label: str, required: bool = True) -> None:
        super().__init__(
            label=label,
            required=required,
            max_length=16,
            widget=forms.TextInput(attrs={"inputmode": "decimal", "maxlength": "16"}),
            error_messages={"required": f"请填写{label}", **_too_long(16)},
        )

    def clean(self, value: Any) -> Decimal | None:
        text = str(super().clean(value)).replace(",", "").replace("，", "").strip()
        if not text:
            return None
        if not MONEY_PATTERN.fullmatch(text):
            raise forms.ValidationError(f"{self.label}应为金额，最多保留两位小数", code="invalid")
        amount = Decimal(text)
        if amount <= 0:
            raise forms.ValidationError(f"{self.label}应大于零", code="min_value")
        return amount.quantize(Decimal("0.01"))


def money_field(label: str, *, required: bool = True) -> MoneyField:
    return MoneyField(label=label, required=required)


class WorkRecordForm(forms.Form):
    """A verification (核查) or a meeting with the petitioner, with findings and files."""

    kind = choice_field("工作类型", WorkRecordKind.choices)
    held_on = date_field("日期")
    place = text_field("地点", PLACE_MAX, required=False)
    lead_official_present = forms.BooleanField(
        label="包案领导本人参加", required=False, help_text="每案必见：包案领导与信访人见面"
    )
    participants = UsersChoiceField(
        queryset=User.objects.none(),
        label="参加人员",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages=_model_choice_errors("参加人员"),
    )
    petitioners_met = PersonsChoiceField(
        queryset=Person.objects.none(),
        label="见面的信访人",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages=_model_choice_errors("信访人"),
    )
    findings = text_field("工作情况及核查结论", TEXT_MAX, rows=4)
    law_explanation = text_field("释法说理", TEXT_MAX, required=False, rows=2)
    counselling = text_field("心理疏导", TEXT_MAX, required=False, rows=2)
    attitude = forms.ChoiceField(
        label="信访人态度",
        choices=[("", "（未见面）"), *PetitionerAttitude.choices],
        required=False,
        error_messages={"invalid_choice": "信访人态度无效"},
    )
    attachments = MultipleFileField(
        label="附件（PDF、JPG、PNG，最多5个）",
        required=False,
        widget=MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
        max_length=200,
        error_messages={"invalid": "文件无效", "max_length": "文件名过长", "empty": "文件为空"},
    )

    def __init__(
        self, *args: Any, matter: PetitionMatter, actor: User | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.matter = matter
        participants = self.fields["participants"]
        assert isinstance(participants, UsersChoiceField)
        participants.queryset = selectors.matter_people(matter=matter, also=actor)
        met = self.fields["petitioners_met"]
        assert isinstance(met, PersonsChoiceField)
        met.queryset = selectors.matter_petitioner_persons(matter=matter)


class CoordinationForm(forms.Form):
    """A coordination request to a department (协调联动)."""

    department = DepartmentChoiceField(
        queryset=OrgUnit.objects.none(),
        label="协调部门",
        empty_label="请选择部门",
        error_messages=_model_choice_errors("协调部门"),
    )
    liaison = UserChoiceField(
        queryset=User.objects.none(),
        label="联络员（可不选，通知该部门全部联络员）",
        empty_label="不指定",
        required=False,
        error_messages=_model_choice_errors("联络员"),
    )
    request_text = text_field("协调事项", TEXT_MAX, rows=4)
    workdays = forms.IntegerField(
        label="答复时限（工作日）",
        min_value=1,
        max_value=WORKDAYS_MAX,
        widget=forms.NumberInput(attrs={"min": 1, "max": WORKDAYS_MAX}),
        error_messages={
            "required": "请填写答复时限",
            "invalid": "答复时限应为整数",
            "min_value": f"答复时限应为1至{WORKDAYS_MAX}个工作日",
            "max_value": f"答复时限应为1至{WORKDAYS_MAX}个工作日",
        },
    )

    def __init__(self, *args: Any, matter: PetitionMatter, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("workdays", default_coordination_workdays())
        super().__init__(*args, **kwargs)
        self.matter = matter
        department = self.fields["department"]
        assert isinstance(department, DepartmentChoiceField)
        department.queryset = selectors.department_choices()
        liaison = self.fields["liaison"]
        assert isinstance(liaison, UserChoiceField)
        liaison.queryset = selectors.liaison_choices()


class CoordinationReplyForm(forms.Form):
    reply_text = text_field("答复内容", TEXT_MAX, rows=4)
    replied_on = date_field("答复日期", required=False)


class CoordinationFilterForm(forms.Form):
    status = choice_field("状态", CoordinationStatus.choices, required=False)
    overdue = forms.BooleanField(label="只看逾期", required=False)


class AidApplyForm(forms.Form):
    """An application for aid (国家司法救助 or social assistance) for a petitioner."""

    kind = choice_field("救助类型", AidKind.choices)
    person = PersonChoiceField(
        queryset=Person.objects.none(),
        label="救助对象",
        empty_label="请选择",
        error_messages=_model_choice_errors("救助对象"),
    )
    court_case = CourtCaseChoiceField(
        queryset=CourtCase.objects.none(),
        label="关联案件（国家司法救助必填）",
        empty_label="不关联",
        required=False,
        error_messages=_model_choice_errors("关联案件"),
    )
    amount = money_field("申请金额（元）")
    awardable_amount = money_field("应判赔或判决未执行金额（元）", required=False)
    reason = text_field("申请理由及困难情况", TEXT_MAX, rows=3)
    applied_on = date_field("申请日期")

    def __init__(self, *args: Any, matter: PetitionMatter, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.matter = matter
        person = self.fields["person"]
        assert isinstance(person, PersonChoiceField)
        person.queryset = selectors.matter_petitioner_persons(matter=matter)
        court_case = self.fields["court_case"]
        assert isinstance(court_case, CourtCaseChoiceField)
        court_case.queryset = matter.court_cases.order_by("case_number")


class AidApproveForm(forms.Form):
    approved_amount = money_field("核定金额（元）")
    opinion = text_field("审批意见", TEXT_MAX, rows=2)
    decided_on = date_field("审批日期")


class AidCapExceedForm(forms.Form):
    amount = money_field("特批金额（元）")
    opinion = text_field("特批意见", TEXT_MAX, rows=2)
    decided_on = date_field("审批日期")


class AidRefuseForm(forms.Form):
    opinion = text_field("不予救助理由", TEXT_MAX, rows=2)
    decided_on = date_field("审批日期")


class AidFundsForm(forms.Form):
    funds_arrived_on = date_field("资金到位日期")


class AidPayForm(forms.Form):
    paid_on = date_field("发放日期")
    funds_arrived_on = date_field("资金到位日期（未登记的）", required=False)


class AidFilterForm(forms.Form):
    status = choice_field("状态", AidStatus.choices, required=False)
    kind = choice_field("救助类型", AidKind.choices, required=False)
    overdue = forms.BooleanField(label="只看超过审批或发放期限", required=False)


# --- supervision letters, meetings, the daily bulletin (P3) -------------------------------------

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
