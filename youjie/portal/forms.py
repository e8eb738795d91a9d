"""Public forms. Each checks shapes and sizes, and the form guard (signed render time and
honeypot, see ``formguard``); the desk services apply the business rules."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from youjie.courtcases import parse_case_number
from youjie.desk.models import MatterType
from youjie.desk.services import IntakeData
from youjie.people.validators import normalize_mobile
from youjie.portal.formguard import (
    HONEYPOT_FIELD,
    REJECTED_MESSAGE,
    TOKEN_FIELD,
    GuardRejected,
    form_guard_check,
)
from youjie.portal.selectors import (
    LICENCE_PATTERN,
    SATISFACTION_LABELS,
    case_key_normalise,
    public_matter_types,
)

PORTAL_CONTENT_MAX = 2000
NUMBER_PATTERN = re.compile(r"^SS\d{8}-\d{5}$")
CODE_PATTERN = re.compile(r"^\d{6}$")

SATISFACTION_CHOICES = [(str(value), label) for value, label in SATISFACTION_LABELS.items()]


def request_number_normalise(raw: str) -> str:
    """SS20261128-00001 as people type it (full-width, spaces, lower case, a dash or an
    underscore); "" when it is not a request number."""
    folded = unicodedata.normalize("NFKC", raw[:60])
    number = re.sub(r"\s+", "", folded).upper().replace("—", "-").replace("_", "-")
    return number if NUMBER_PATTERN.match(number) else ""


def _required(label: str) -> dict[str, str]:
    return {"required": f"请填写{label}"}


class GuardedForm(forms.Form):
    """Adds the form guard. ``rejected`` is True when the guard, not a field, refused it."""

    # The token and the honeypot are read from the raw data, not declared as fields: the
    # template renders a fresh token on every render (views._render_form).
    form_name = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.rejected = False
        self.rejected_reason = ""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        try:
            form_guard_check(
                form_name=self.form_name,
                token=str(self.data.get(TOKEN_FIELD, "")),
                honeypot=str(self.data.get(HONEYPOT_FIELD, "")),
            )
        except GuardRejected as exc:
            self.rejected = True
            self.rejected_reason = exc.reason
            raise ValidationError(REJECTED_MESSAGE, code="guard") from exc
        return cleaned


class MobileField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", "手机号码")
        kwargs.setdefault("max_length", 32)
        kwargs.setdefault("error_messages", _required("手机号码"))
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
        )
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        raw = super().clean(value)
        return normalize_mobile(raw) if raw else ""


class MatterTypeField(forms.ModelChoiceField[MatterType]):
    def label_from_instance(self, obj: MatterType) -> str:
        return obj.name


class SubmitForm(GuardedForm):
    form_name = "submit"

    name = forms.CharField(
        label="姓名",
        max_length=50,
        error_messages=_required("姓名"),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    mobile = MobileField(help_text="用于接收受理编号、答复和查询办理进度")
    matter_type = MatterTypeField(
        label="事项类型",
        queryset=MatterType.objects.none(),
        to_field_name="code",
        empty_label="请选择",
        error_messages={"required": "请选择事项类型", "invalid_choice": "请选择列表中的事项类型"},
    )
    title = forms.CharField(
        label="标题",
        max_length=100,
        error_messages=_required("标题"),
        widget=forms.TextInput(attrs={"placeholder": "一句话说明您的诉求"}),
    )
    content = forms.CharField(
        label="具体内容",
        max_length=PORTAL_CONTENT_MAX,
        error_messages=_required("具体内容"),
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": PORTAL_CONTENT_MAX}),
        help_text=f"不超过{PORTAL_CONTENT_MAX}字；请勿填写身份证号等与诉求无关的个人信息",
    )
    case_number = forms.CharField(
        label="相关案号（选填）",
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "如（2026）内0206民初123号"}),
    )

    def clean_case_number(self) -> str:
        """A malformed number is flagged here; a well-formed but unknown one is accepted and
        kept in the content for staff (the desk service does not block citizens on it)."""
        value = str(self.cleaned_data.get("case_number", "")).strip()
        if value:
            parse_case_number(value)
        return value

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["matter_type"]
        assert isinstance(field, MatterTypeField)
        field.queryset = public_matter_types()

    def intake_data(self, *, court_code: str) -> IntakeData:
        data = self.cleaned_data
        return IntakeData(
            channel="portal",
            matter_type_code=data["matter_type"].code,
            title=data["title"],
            content=data["content"],
            requester_name=data["name"],
            requester_mobile=data["mobile"],
            related_case_number=data["case_number"].strip(),
            court_code=court_code,
            route=True,
        )

    # The desk's field names → this form's.
    SERVICE_FIELDS = {
        "requester_name": "name",
        "requester_mobile": "mobile",
        "matter_type": "matter_type",
        "title": "title",
        "content": "content",
        "related_case_number": "case_number",
    }


class TrackForm(GuardedForm):
    form_name = "track"

    number = forms.CharField(
        label="诉求编号",
        max_length=30,
        error_messages=_required("诉求编号"),
        widget=forms.TextInput(
            attrs={"placeholder": "如 SS20261128-00001", "autocapitalize": "characters"}
        ),
    )
    mobile = MobileField(help_text="提交诉求时填写的手机号码")

    def clean_number(self) -> str:
        number = request_number_normalise(self.cleaned_data["number"])
        if not number:
            raise ValidationError("诉求编号格式应如 SS20261128-00001", code="number_format")
        return number


class CodeForm(GuardedForm):
    form_name = "track_code"

    code = forms.CharField(
        label="短信验证码",
        max_length=12,
        error_messages=_required("短信验证码"),
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "maxlength": 6}
        ),
    )

    def clean_code(self) -> str:
        code = re.sub(r"\s+", "", unicodedata.normalize("NFKC", self.cleaned_data["code"]))
        if not CODE_PATTERN.match(code):
            raise ValidationError("验证码为6位数字", code="code_format")
        return code


class FeedbackForm(GuardedForm):
    form_name = "feedback"

    satisfaction = forms.TypedChoiceField(
        label="满意度",
        choices=SATISFACTION_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择满意度", "invalid_choice": "请选择满意度"},
    )
    comment = forms.CharField(
        label="意见和建议（选填）",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 1000}),
    )
    disputed = forms.BooleanField(label="对答复有异议，希望继续办理", required=False)


class WithdrawForm(GuardedForm):
    form_name = "withdraw"

    reason = forms.CharField(
        label="撤回原因",
        max_length=500,
        error_messages=_required("撤回原因"),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 500}),
    )


# --- Case progress (网上查询) -------------------------------------------------------------------

IDENTITY_PARTY = "party"
IDENTITY_LAWYER = "lawyer"


class CaseQueryForm(GuardedForm):
    """Step 1 of a party's case query: the case number (or filing number), the mobile on file
    and, for a lawyer, the licence number on file."""

    form_name = "case_query"

    number = forms.CharField(
        label="案号或立案申请编号",
        max_length=60,
        error_messages=_required("案号或立案申请编号"),
        widget=forms.TextInput(
            attrs={"placeholder": "如（2026）内0206民初123号 或 网立2026-000123"}
        ),
    )
    mobile = MobileField(help_text="当事人登记的手机号码，或提交立案申请时填写的手机号码")
    identity = forms.ChoiceField(
        label="查询人身份",
        choices=[(IDENTITY_PARTY, "当事人本人"), (IDENTITY_LAWYER, "代理律师")],
        initial=IDENTITY_PARTY,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择查询人身份", "invalid_choice": "请选择查询人身份"},
    )
    lawyer_licence = forms.CharField(
        label="律师执业证号（代理律师填写）",
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def clean_number(self) -> str:
        key = case_key_normalise(self.cleaned_data["number"])
        if not key:
            raise ValidationError(
                "请输入案号（如（2026）内0206民初123号）或立案申请编号（如网立2026-000123）",
                code="number_format",
            )
        return key

    def clean_lawyer_licence(self) -> str:
        raw = str(self.cleaned_data.get("lawyer_licence") or "")
        licence = re.sub(r"\s+", "", unicodedata.normalize("NFKC", raw))
        if licence and not LICENCE_PATTERN.match(licence):
            raise ValidationError("律师执业证号应为17位数字", code="licence_format")
        return licence

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        lawyer = cleaned.get("identity") == IDENTITY_LAWYER
        if lawyer and not cleaned.get("lawyer_licence") and "lawyer_licence" not in self.errors:
            self.add_error("lawyer_licence", "代理律师请填写律师执业证号")
        return cleaned

    def licence_given(self) -> str | None:
        """The licence a lawyer gave; None for a party (whose check has no licence)."""
        if self.cleaned_data.get("identity") != IDENTITY_LAWYER:
            return None
        return str(self.cleaned_data["lawyer_licence"])


class CaseCodeForm(CodeForm):
    form_name = "case_code"
