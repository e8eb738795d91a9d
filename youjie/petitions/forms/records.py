"""Forms of the work on a matter (P2): work records with their files, coordination requests and
their replies, aid (apply, special approval, approve, refuse, funds arrived, paid) with money
as ``Decimal`` to the 分, and the filters of their lists.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms

from youjie.core.widgets import ChineseFileInput
from youjie.courtcases.models import CourtCase
from youjie.orgs.models import OrgUnit, User
from youjie.people.models import Person
from youjie.petitions import selectors
from youjie.petitions.choices import (
    AidKind,
    AidStatus,
    CoordinationStatus,
    PetitionerAttitude,
    WorkRecordKind,
)
from youjie.petitions.forms.common import (
    BoundedMultipleChoiceField,
    UserChoiceField,
    UsersChoiceField,
    _model_choice_errors,
    _too_long,
    choice_field,
    date_field,
    text_field,
)
from youjie.petitions.models import PLACE_MAX, TEXT_MAX, PetitionMatter
from youjie.petitions.services.coordination import default_workdays as default_coordination_workdays

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
