"""The fee forms: the public calculator's (read from the query string, so that a result is a
link), and those of fee notices, payments, refunds, relief and reconciliation."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from youjie.core.errors import ValidationFailed
from youjie.core.widgets import ChineseDateInput, ChineseFileInput
from youjie.courtcases.choices import PartyRole
from youjie.courtcases.models import CaseParty, CourtCase
from youjie.fees.calculator import (
    MAX_AMOUNT_CHARS,
    FeeEstimate,
    estimate,
    parse_amount,
)
from youjie.fees.choices import (
    AdministrativeSubject,
    FeeKind,
    NoticeFilter,
    PayerKind,
    Procedure,
    RefundReason,
    ReliefKind,
    Settlement,
)
from youjie.fees.models import NAME_MAX, TEXT_MAX
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


# --- fee notices and payment (码上缴费) --------------------------------------------------------

PROOF_ACCEPT = ".pdf,.jpg,.jpeg,.png"
MONEY_HELP = "以元为单位，最多两位小数"


class NoticeFilterForm(forms.Form):
    state = forms.ChoiceField(
        label="状态", choices=[("", "全部"), *NoticeFilter.choices], required=False
    )
    q = forms.CharField(
        label="查找",
        max_length=60,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "通知书编号、案号或交费人"}),
    )


class CaseLookupForm(forms.Form):
    case_number = forms.CharField(
        label="案号",
        max_length=40,
        widget=forms.TextInput(attrs={"placeholder": "如：（2026）内0206民初100号"}),
    )


class NoticeIssueForm(forms.Form):
    """A fee notice for a court case: the calculator's input and the payer. Submitted without
    ``confirm`` it is a preview (the lines and their articles); with it, the notice is issued."""

    party = forms.ModelChoiceField(
        label="交费当事人",
        queryset=CaseParty.objects.none(),
        required=False,
        empty_label="（另行填写）",
    )
    payer_name = forms.CharField(
        label="交费人（非本案列明当事人时填写）", max_length=NAME_MAX, required=False
    )
    payer_role = forms.ChoiceField(
        label="诉讼地位", choices=[("", "—"), *PartyRole.choices], required=False
    )
    payer_kind = forms.ChoiceField(
        label="交费人类型", choices=PayerKind.choices, required=False, initial=PayerKind.PERSON
    )
    payer_phone = forms.CharField(label="交费人手机（接收缴费短信）", max_length=20, required=False)
    fee_kind = forms.ChoiceField(label="费用类型", choices=FeeKind.choices)
    amount = forms.CharField(
        label="计费金额（元）", max_length=MAX_AMOUNT_CHARS, required=False, help_text=AMOUNT_HELP
    )
    procedure = forms.ChoiceField(
        label="审理程序", choices=Procedure.choices, initial=Procedure.ORDINARY
    )
    administrative_subject = forms.ChoiceField(
        label="行政案件类别",
        choices=AdministrativeSubject.choices,
        required=False,
        initial=AdministrativeSubject.OTHER,
    )
    confirm = forms.BooleanField(label="核对无误，开具缴费通知书", required=False)

    def __init__(self, *args: Any, court_case: CourtCase, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parties = self.fields["party"]
        assert isinstance(parties, forms.ModelChoiceField)
        parties.queryset = CaseParty.objects.filter(court_case=court_case).order_by("id")
        self.amount_value: Decimal | None = None

    def clean_amount(self) -> str:
        text = str(self.cleaned_data.get("amount") or "")
        try:
            self.amount_value = parse_amount(text)
        except ValidationFailed as error:
            raise forms.ValidationError(error.message) from error
        return text


class CounterPaymentForm(forms.Form):
    # Amounts are text checked by the service (``clean_amount``: yuan, at most two decimals).
    amount = forms.CharField(label="缴费金额（元）", max_length=20, help_text=MONEY_HELP)
    receipt_number = forms.CharField(label="收据号（财政票据号）", max_length=40)
    paid_on = forms.DateField(label="缴费日期", widget=ChineseDateInput())
    note = forms.CharField(label="备注", max_length=500, required=False)


class RefundForm(forms.Form):
    amount = forms.CharField(label="退费金额（元）", max_length=20, help_text=MONEY_HELP)
    reason = forms.ChoiceField(label="退费原因", choices=RefundReason.choices)
    effective_on = forms.DateField(
        label="法律文书生效日期",
        widget=ChineseDateInput(),
        help_text="退费应自法律文书生效之日起15日内办理（第五十三条）",
    )
    note = forms.CharField(label="说明", max_length=500, required=False)
    bank_reference = forms.CharField(
        label="转账凭证号（窗口缴费的退费填写）", max_length=64, required=False
    )


class CancelForm(forms.Form):
    reason = forms.CharField(label="撤销理由", max_length=500)


class ReliefDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="决定", choices=[("grant", "准予"), ("refuse", "不予准许")], widget=forms.RadioSelect
    )
    reasons = forms.CharField(
        label="理由（不予准许的须书面说明）",
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    percent = forms.IntegerField(
        label="准予减交比例（%）", min_value=30, max_value=99, required=False
    )
    until = forms.DateField(label="准予缓交至", required=False, widget=ChineseDateInput())


class ReliefApplyForm(forms.Form):
    """The public application for 缓交, 减交 or 免交 (Art. 44–48), with proof of hardship."""

    kind = forms.ChoiceField(label="申请事项", choices=ReliefKind.choices, widget=forms.RadioSelect)
    applicant_name = forms.CharField(label="申请人", max_length=NAME_MAX)
    applicant_kind = forms.ChoiceField(
        label="申请人类型", choices=PayerKind.choices, widget=forms.RadioSelect
    )
    reasons = forms.CharField(
        label="申请理由（经济困难的情况）",
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    requested_percent = forms.IntegerField(
        label="申请减交比例（%，不低于30）", min_value=30, max_value=99, required=False
    )
    requested_until = forms.DateField(label="申请缓交至", required=False, widget=ChineseDateInput())
    proof1 = forms.FileField(
        label="证明材料（PDF、JPG 或 PNG）",
        widget=ChineseFileInput(attrs={"accept": PROOF_ACCEPT}),
    )
    proof2 = forms.FileField(
        label="其他材料（可选）",
        required=False,
        widget=ChineseFileInput(attrs={"accept": PROOF_ACCEPT}),
    )
    proof3 = forms.FileField(
        label="其他材料（可选）",
        required=False,
        widget=ChineseFileInput(attrs={"accept": PROOF_ACCEPT}),
    )


class ReconciliationForm(forms.Form):
    statement_date = forms.DateField(label="账单日期", widget=ChineseDateInput())
    statement = forms.FileField(
        label="交易账单（微信支付 CSV）",
        widget=ChineseFileInput(attrs={"accept": ".csv,.txt"}),
    )
