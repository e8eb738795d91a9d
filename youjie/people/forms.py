"""Forms for the people pages. They check shapes and lengths only; the identity rules live in
``validators`` and are applied by the services, whose field errors the views put back here."""

from __future__ import annotations

from typing import Any

from django import forms

from youjie.orgs.models import Region
from youjie.people.selectors import QUERY_MAX_LENGTH


class RegionChoiceField(forms.ModelChoiceField[Region]):
    def label_from_instance(self, obj: Region) -> str:
        return f"{obj.name}（{obj.code}）"


def _region_field() -> RegionChoiceField:
    return RegionChoiceField(
        label="所在区划",
        queryset=Region.objects.order_by("code"),
        required=False,
        empty_label="（未指定）",
    )


class SearchForm(forms.Form):
    q = forms.CharField(
        label="姓名 / 身份证号 / 手机号",
        max_length=QUERY_MAX_LENGTH,
        required=False,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": "输入姓名、身份证号或手机号", "autofocus": True}
        ),
    )


class PersonForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    id_number = forms.CharField(
        label="身份证号",
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    mobile = forms.CharField(
        label="手机号码",
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    address = forms.CharField(label="住址", max_length=200, required=False)
    region = _region_field()
    is_deputy = forms.BooleanField(label="人大代表", required=False)
    is_cppcc_member = forms.BooleanField(label="政协委员", required=False)
    is_hardship = forms.BooleanField(label="生活困难", required=False)
    hardship_note = forms.CharField(label="困难情况", max_length=200, required=False)
    allow_same_phone = forms.BooleanField(label="确认为不同人员，仍然新建", required=False)

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            key: data[key]
            for key in (
                "name",
                "id_number",
                "mobile",
                "address",
                "region",
                "is_deputy",
                "is_cppcc_member",
                "is_hardship",
                "hardship_note",
                "allow_same_phone",
            )
        }


class EnterpriseForm(forms.Form):
    name = forms.CharField(label="企业名称", max_length=200)
    uscc = forms.CharField(
        label="统一社会信用代码",
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    legal_representative = forms.CharField(label="法定代表人", max_length=50, required=False)
    region = _region_field()

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {key: data[key] for key in ("name", "uscc", "legal_representative", "region")}
