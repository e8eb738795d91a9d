"""The public calculator's form: read from the query string, so that a result is a link."""

from __future__ import annotations

from typing import Any

from django import forms

from youjie.core.errors import ValidationFailed
from youjie.fees.calculator import (
    MAX_AMOUNT_CHARS,
    FeeEstimate,
    estimate,
    parse_amount,
)
from youjie.fees.choices import AdministrativeSubject, FeeKind, Procedure, Settlement
from youjie.fees.policy import FeesPolicy

AMOUNT_HELP = (
    "以元为单位，最多两位小数，如 1000000 或 1,000,000.50。"
    "财产案件、支付令、破产填写请求或财产金额；离婚填写分割的财产总额，人格权填写赔偿金额，知识产权、执行、保全没有金额的请留空。"
)


class FeeEstimateForm(forms.Form):
    kind = forms.ChoiceField(label="费用类型", choices=FeeKind.choices)
    amount = forms.CharField(
        label="金额（元）", max_length=MAX_AMOUNT_CHARS, required=False, help_text=AMOUNT_HELP
    )
    procedure = forms.ChoiceField(
        label="审理程序",
        choices=Procedure.choices,
        required=False,
        initial=Procedure.ORDINARY,
        widget=forms.RadioSelect,
    )
    settled = forms.ChoiceField(
        label="结案方式",
        choices=[("", "判决或尚未结案"), *Settlement.choices],
        required=False,
        help_text="以调解方式结案或者申请撤诉的，案件受理费减半（第十五条）。",
    )
    administrative_subject = forms.ChoiceField(
        label="行政案件类别",
        choices=AdministrativeSubject.choices,
        required=False,
        initial=AdministrativeSubject.OTHER,
        help_text="仅行政案件需要选择。",
    )

    def __init__(self, *args: Any, policy: FeesPolicy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.policy = policy
        self.result: FeeEstimate | None = None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        try:
            self.result = estimate(
                kind=cleaned["kind"],
                amount=parse_amount(cleaned.get("amount")),
                procedure=cleaned.get("procedure") or Procedure.ORDINARY,
                settled=cleaned.get("settled") or None,
                administrative_subject=(
                    cleaned.get("administrative_subject") or AdministrativeSubject.OTHER
                ),
                rounding=self.policy.rounding,
                per_case_standards=self.policy.per_case_standards,
            )
        except ValidationFailed as error:
            for name, messages in (error.fields or {"": [error.message]}).items():
                for message in messages:
                    self.add_error(name if name in self.fields else None, message)
        return cleaned
