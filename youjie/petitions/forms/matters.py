"""Forms of the matter pages: the list's filters, registering a matter (and escalating a desk
request to one), and the actions on a matter (edit, assign, extend, evidence, resolve, return
visit, terminate, confirm or reopen a follow-up).
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms

from youjie.core.widgets import ChineseFileInput
from youjie.orgs.models import OrgUnit, Region, User
from youjie.petitions import selectors
from youjie.petitions.choices import (
    EvidenceKind,
    FollowUpStatus,
    MatterCategory,
    MatterOrigin,
    MatterStatus,
    OutcomeType,
    ReturnVisitMethod,
)
from youjie.petitions.forms.common import (
    CASE_NUMBERS_MAX,
    PERSON_NAME_MAX,
    SEARCH_MAX,
    STALE_MESSAGE,
    BoundedMultipleChoiceField,
    UserChoiceField,
    UsersChoiceField,
    _model_choice_errors,
    _too_long,
    choice_field,
    date_field,
    text_field,
)
from youjie.petitions.models import (
    HISTORY_MAX,
    NAME_MAX,
    REASON_MAX,
    TEXT_MAX,
    TITLE_MAX,
    CampaignMatter,
    PetitionLabel,
    PetitionMatter,
)
from youjie.petitions.services.outcomes import DESCRIPTION_MAX

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
