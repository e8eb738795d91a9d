"""The staff pages' forms: the queue filters, the counter filing, the action forms of the
filing page (each carries the status the page showed: a stale form is refused) and the
request to show a party's full personal data."""

from __future__ import annotations

from typing import Any

from django import forms

from youjie.filings.choices import FilingCaseKind, FilingProcedure, FilingStatus
from youjie.filings.forms.fields import FilingFieldsForm, choice_field, text_field
from youjie.filings.models import Filing
from youjie.filings.selectors import QUEUES, divisions_of, judges_of
from youjie.filings.services import fee_notice_possible
from youjie.orgs.models import OrgUnit, User

STALE_MESSAGE = "该立案申请已被他人处理，页面内容已过期，请刷新后重试"
ITEMS_MAX = 4000


class FilingFilterForm(forms.Form):
    queue = choice_field("队列", list(QUEUES.items()), required=False)
    q = text_field("搜索", 50, required=False, help_text="编号、当事人、提交人或案由")
    case_kind = choice_field("案件类型", [("", "全部"), *FilingCaseKind.choices], required=False)
    cross_domain = choice_field(
        "跨域立案", [("", "全部"), ("yes", "仅跨域"), ("no", "仅本院")], required=False
    )

    def filters(self) -> dict[str, Any]:
        data = self.cleaned_data
        cross = {"yes": True, "no": False}.get(data.get("cross_domain") or "")
        return {
            "queue": data.get("queue") or "",
            "search": data.get("q") or "",
            "case_kind": data.get("case_kind") or "",
            "cross_domain": cross,
        }


class CounterForm(FilingFieldsForm):
    """窗口立案: staff file on behalf of a walk-in at their own court (the receiving court)."""


class ActionForm(forms.Form):
    expected_status = forms.ChoiceField(
        choices=FilingStatus.choices,
        widget=forms.HiddenInput,
        error_messages={"required": STALE_MESSAGE, "invalid_choice": STALE_MESSAGE},
    )

    def __init__(self, *args: Any, filing: Filing, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("expected_status", filing.status)
        super().__init__(*args, **kwargs)
        self.filing = filing


class ForwardForm(ActionForm):
    note = text_field("核对意见", 500, required=False, rows=2, help_text="身份、材料形式核对情况")


class SupplementRequestForm(ActionForm):
    items = text_field(
        "补正事项",
        ITEMS_MAX,
        rows=4,
        help_text="每行一项，一次列明需要补正的全部内容（一次告知）",
    )

    def clean_items(self) -> list[str]:
        return [line.strip() for line in str(self.cleaned_data["items"]).splitlines()]


class DivisionChoiceField(forms.ModelChoiceField[OrgUnit]):
    def label_from_instance(self, obj: OrgUnit) -> str:
        return obj.name


class JudgeChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        unit = obj.org_unit.name if obj.org_unit else ""
        return f"{obj.get_full_name()}（{unit}）"


class AcceptForm(ActionForm):
    division = DivisionChoiceField(
        label="承办庭室",
        queryset=OrgUnit.objects.none(),
        empty_label="请选择",
        error_messages={"required": "请选择承办庭室", "invalid_choice": "所选庭室不存在"},
    )
    judge = JudgeChoiceField(
        label="承办法官（可选）",
        queryset=User.objects.none(),
        required=False,
        empty_label="暂不指定",
        error_messages={"invalid_choice": "所选法官不存在"},
    )
    procedure = choice_field("适用程序", FilingProcedure.choices)
    fast_track = forms.BooleanField(label="繁简分流：速裁", required=False)
    cause = text_field("案由", 100)
    issue_fee_notice = forms.BooleanField(
        label="受理后开具缴费通知书",
        required=False,
        help_text="按标的额计算案件受理费，立案同时开具并短信发送给提交人（7日内缴纳）",
    )

    def __init__(self, *args: Any, filing: Filing, **kwargs: Any) -> None:
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("procedure", filing.procedure)
        initial.setdefault("cause", filing.cause)
        # Checked when the fee can be worked out from the filing (a claim amount).
        initial.setdefault("issue_fee_notice", fee_notice_possible(filing))
        super().__init__(*args, filing=filing, **kwargs)
        court = filing.competent_court
        division_field = self.fields["division"]
        judge_field = self.fields["judge"]
        assert isinstance(division_field, DivisionChoiceField)
        assert isinstance(judge_field, JudgeChoiceField)
        division_field.queryset = divisions_of(court)
        judge_field.queryset = judges_of(court)


class RefuseForm(ActionForm):
    reason = text_field(
        "不予受理的理由", 4000, rows=4, help_text="写明不符合起诉条件的具体理由，将载入裁定书"
    )


class WithdrawForm(ActionForm):
    reason = text_field("撤回情况", 500, rows=2, help_text="如：提交人于某日递交书面撤回申请")


class RevealForm(forms.Form):
    party = forms.IntegerField(
        label="当事人",
        required=False,
        min_value=1,
        max_value=2**63 - 1,
        error_messages={
            "invalid": "当事人无效",
            "min_value": "当事人无效",
            "max_value": "当事人无效",
        },
    )
    field = choice_field(
        "信息",
        [
            ("id_number", "证件号码"),
            ("phone", "联系电话"),
            ("address", "住所"),
            ("submitter_phone", "提交人手机"),
        ],
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("field") not in (None, "submitter_phone") and not cleaned.get("party"):
            raise forms.ValidationError("请选择当事人")
        return cleaned
