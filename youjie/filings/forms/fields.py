"""What the filing forms share: field builders with Chinese messages, the parties formset and
the filing's own fields (the public page and the counter use the same ones). The forms check
shapes and lengths; the rules (identity numbers, amounts, required materials) live in
``services.submission``, whose field errors the views put back beside these fields."""

from __future__ import annotations

from typing import Any

from django import forms

from youjie.core.widgets import ChineseFileInput
from youjie.filings.choices import (
    FilingCaseKind,
    FilingPartyRole,
    FilingProcedure,
    MaterialKind,
    PartyKind,
    SubmitterKind,
)
from youjie.filings.services import MaterialInput, PartyInput
from youjie.orgs.models import OrgUnit

EVIDENCE_LINES_MAX = 30
EVIDENCE_LIST_MAX = 4000
CURRENCY_MESSAGE = "只接受人民币（CNY）金额；外币请按起诉日汇率折算为人民币填写"


def too_long(limit: int) -> dict[str, str]:
    return {"max_length": f"不能超过{limit}字（当前%(show_value)d字）"}


def text_field(
    label: str, limit: int, *, required: bool = True, rows: int = 0, **kwargs: Any
) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    return forms.CharField(
        label=label,
        max_length=limit,
        required=required,
        widget=kwargs.pop("widget", widget),
        error_messages={"required": f"请填写{label}", **too_long(limit)},
        **kwargs,
    )


def choice_field(
    label: str, choices: Any, *, required: bool = True, **kwargs: Any
) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        required=required,
        error_messages={"required": f"请选择{label}", "invalid_choice": f"{label}无效"},
        **kwargs,
    )


def file_field(label: str, *, required: bool = False, help_text: str = "") -> forms.FileField:
    return forms.FileField(
        label=label,
        required=required,
        max_length=200,
        help_text=help_text,
        widget=ChineseFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
        error_messages={
            "required": f"请上传{label}",
            "empty": "文件为空",
            "invalid": "上传的不是文件",
            "max_length": "文件名过长（不超过200字）",
            "missing": "未收到文件",
        },
    )


class CourtChoiceField(forms.ModelChoiceField[OrgUnit]):
    def label_from_instance(self, obj: OrgUnit) -> str:
        return obj.name


def court_field(label: str, help_text: str = "") -> CourtChoiceField:
    from youjie.filings.selectors import courts

    return CourtChoiceField(
        label=label,
        queryset=courts(),
        to_field_name="code",
        empty_label="请选择",
        help_text=help_text,
        error_messages={"required": f"请选择{label}", "invalid_choice": f"请选择列表中的{label}"},
    )


class PartyForm(forms.Form):
    role = choice_field("诉讼地位", [("", "请选择"), *FilingPartyRole.choices])
    kind = choice_field("类型", PartyKind.choices, initial=PartyKind.PERSON)
    name = text_field("姓名/名称", 200)
    id_number = text_field(
        "身份证号/统一社会信用代码", 40, required=False, help_text="原告（申请人）必填"
    )
    phone = text_field(
        "手机号码", 32, required=False, widget=forms.TextInput(attrs={"type": "tel"})
    )
    address = text_field("住所/送达地址", 200, required=False)
    agent_name = text_field("委托代理人", 100, required=False)
    agent_licence_number = text_field("代理律师执业证号", 30, required=False)

    def party_input(self) -> PartyInput:
        data = self.cleaned_data
        return PartyInput(
            role=data["role"],
            kind=data["kind"],
            name=data["name"],
            id_number=data.get("id_number") or "",
            phone=data.get("phone") or "",
            address=data.get("address") or "",
            agent_name=data.get("agent_name") or "",
            agent_licence_number=data.get("agent_licence_number") or "",
        )


class BasePartyFormSet(forms.BaseFormSet[PartyForm]):
    default_error_messages = {
        "missing_management_form": "当事人信息不完整，请刷新页面后重新填写",
        "too_few_forms": "请至少填写原告（申请人）和被告（被申请人）各一名",
        "too_many_forms": "当事人最多20个",
    }

    def filled_forms(self) -> list[PartyForm]:
        """The forms holding a party (a blank extra form is none); the service's
        ``parties-N-…`` errors refer to the N-th of these."""
        return [form for form in self.forms if form.has_changed() and form.cleaned_data]

    def party_inputs(self) -> list[PartyInput]:
        return [form.party_input() for form in self.filled_forms()]


PartyFormSet = forms.formset_factory(
    PartyForm,
    formset=BasePartyFormSet,
    extra=1,
    min_num=2,
    max_num=20,
    absolute_max=20,
    validate_min=True,
    validate_max=True,
)

PARTIES_PREFIX = "parties"


def party_formset(data: Any = None) -> BasePartyFormSet:
    initial = [
        {"role": FilingPartyRole.PLAINTIFF, "kind": PartyKind.PERSON},
        {"role": FilingPartyRole.DEFENDANT, "kind": PartyKind.PERSON},
    ]
    formset = PartyFormSet(data, prefix=PARTIES_PREFIX, initial=initial)
    assert isinstance(formset, BasePartyFormSet)
    return formset


# The uploads of a filing: (field name, material kind, title).
UPLOADS: tuple[tuple[str, str, str], ...] = (
    ("complaint_file", MaterialKind.COMPLAINT, "起诉状（申请书）"),
    ("identity_file", MaterialKind.IDENTITY, "身份证明"),
    ("evidence_file_1", MaterialKind.EVIDENCE, "证据材料一"),
    ("evidence_file_2", MaterialKind.EVIDENCE, "证据材料二"),
    ("evidence_file_3", MaterialKind.EVIDENCE, "证据材料三"),
    ("authorisation_file", MaterialKind.AUTHORISATION, "授权委托书"),
    ("licence_file", MaterialKind.LAWYER_LICENCE, "律师执业证"),
)


class FilingFieldsForm(forms.Form):
    """The filing itself: courts, case, claims, amount, facts, evidence list, the submitter,
    the files. The public page adds the form guard; the counter fixes the receiving court."""

    competent_court = court_field("管辖法院", "对案件有管辖权的法院")
    case_kind = choice_field("案件类型", FilingCaseKind.choices)
    procedure = choice_field(
        "适用程序（意向）", FilingProcedure.choices, initial=FilingProcedure.ORDINARY
    )
    cause = text_field("案由", 100, help_text="如：民间借贷纠纷、买卖合同纠纷")
    claims = text_field("诉讼请求", 4000, rows=4)
    amount = text_field(
        "标的额（元）",
        40,
        required=False,
        help_text="以人民币计算，最多两位小数；非财产案件可不填",
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    currency = forms.ChoiceField(
        label="币种",
        choices=[("CNY", "人民币（CNY）")],
        initial="CNY",
        error_messages={"required": CURRENCY_MESSAGE, "invalid_choice": CURRENCY_MESSAGE},
    )
    facts_and_reasons = text_field("事实与理由", 20000, rows=6)
    evidence_list = text_field(
        "证据清单", EVIDENCE_LIST_MAX, required=False, rows=3, help_text="每行一项证据名称"
    )
    mediation_consent = forms.BooleanField(
        label="同意先行诉前调解",
        required=False,
        help_text=(
            "诉前调解不收费，调解期限一般为30日（人民法院在线调解规则第二十四条）；"
            "调解不成的，自动转入立案审查，无需重新提交。"
        ),
    )
    submitter_kind = choice_field("提交人身份", SubmitterKind.choices, initial=SubmitterKind.PARTY)
    submitter_name = text_field("提交人姓名", 50)
    submitter_phone = text_field(
        "提交人手机号码",
        32,
        help_text="用于接收收件回执、补正通知和受理通知",
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
    )
    lawyer_licence_number = text_field("律师执业证号", 30, required=False, help_text="律师必填")
    law_firm = text_field("律师事务所", 100, required=False, help_text="律师必填")
    complaint_file = file_field("起诉状（申请书）", required=True, help_text="PDF、JPG 或 PNG")
    identity_file = file_field("身份证明")
    evidence_file_1 = file_field("证据材料一")
    evidence_file_2 = file_field("证据材料二")
    evidence_file_3 = file_field("证据材料三")
    authorisation_file = file_field("授权委托书", help_text="律师代为立案必须上传")
    licence_file = file_field("律师执业证")

    def clean_evidence_list(self) -> list[str]:
        lines = [
            " ".join(line.split())
            for line in str(self.cleaned_data.get("evidence_list") or "").splitlines()
        ]
        items = [line for line in lines if line]
        if len(items) > EVIDENCE_LINES_MAX:
            raise forms.ValidationError(f"证据清单最多{EVIDENCE_LINES_MAX}项")
        if any(len(item) > 200 for item in items):
            raise forms.ValidationError("每项证据名称不能超过200字")
        return items

    def material_inputs(self) -> tuple[list[MaterialInput], dict[str, str]]:
        """The materials in order, and which form field each service error key belongs to."""
        materials: list[MaterialInput] = []
        names: dict[str, str] = {}
        for field_name, kind, title in UPLOADS:
            upload = self.cleaned_data.get(field_name)
            if upload:
                names[f"materials-{len(materials)}-file"] = field_name
                names[f"materials-{len(materials)}-title"] = field_name
                materials.append(MaterialInput(kind=kind, title=title, file=upload))
        for item in self.cleaned_data.get("evidence_list") or []:
            names[f"materials-{len(materials)}-title"] = "evidence_list"
            materials.append(MaterialInput(kind=MaterialKind.EVIDENCE, title=item))
        names.update({"complaint": "complaint_file", "authorisation": "authorisation_file"})
        return materials, names
