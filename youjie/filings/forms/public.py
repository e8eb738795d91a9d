"""The public pages' forms (no login), behind the portal's form guard: a signed render time,
a honeypot, a token accepted once — a reloaded or double-clicked submission is refused."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError

from youjie.filings.choices import MaterialKind
from youjie.filings.codes import SUPPLEMENT_CODE_DIGITS
from youjie.filings.forms.fields import FilingFieldsForm, court_field, file_field, text_field
from youjie.filings.services import MaterialInput
from youjie.people.validators import normalize_mobile
from youjie.portal.forms import GuardedForm

CODE_PATTERN = re.compile(rf"^\d{{{SUPPLEMENT_CODE_DIGITS}}}$")


class ApplyForm(GuardedForm, FilingFieldsForm):
    """网上立案: the filing, with the court the materials are handed to (the receiving court:
    it may be another court than the competent one, 跨域立案)."""

    form_name = "filing_apply"
    field_order = ["receiving_court", "competent_court"]

    receiving_court = court_field("收件法院", "您就近递交材料的法院；可与管辖法院不同（跨域立案）")


class SupplementForm(GuardedForm):
    """补正: the submitter's phone and the code from the notice, then the materials."""

    form_name = "filing_supplement"

    mobile = text_field(
        "提交人手机号码", 32, widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"})
    )
    code = text_field(
        "补正码",
        20,
        help_text="补正通知短信中的8位数字",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
    note = text_field("补正说明", 500, required=False, rows=3)
    file_1 = file_field("补正材料一", required=True, help_text="PDF、JPG 或 PNG")
    file_2 = file_field("补正材料二")
    file_3 = file_field("补正材料三")

    def clean_mobile(self) -> str:
        try:
            return normalize_mobile(str(self.cleaned_data.get("mobile") or ""))
        except ValidationError as exc:
            raise forms.ValidationError("手机号码格式不正确") from exc

    def clean_code(self) -> str:
        code = "".join(str(self.cleaned_data.get("code") or "").split())
        if not CODE_PATTERN.match(code):
            raise forms.ValidationError(f"补正码应为{SUPPLEMENT_CODE_DIGITS}位数字")
        return code

    def material_inputs(self) -> tuple[list[MaterialInput], dict[str, str]]:
        materials: list[MaterialInput] = []
        names: dict[str, str] = {}
        for number, name in enumerate(("file_1", "file_2", "file_3"), start=1):
            upload = self.cleaned_data.get(name)
            if upload:
                names[f"materials-{len(materials)}-file"] = name
                materials.append(
                    MaterialInput(kind=MaterialKind.OTHER, title=f"补正材料{number}", file=upload)
                )
        names["materials"] = "file_1"
        return materials, names
