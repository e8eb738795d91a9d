"""Forms of the desk's staff pages. They check shapes, choices and lengths; the rules (deadlines,
transitions, who may act) live in the services, whose field errors the views put back here."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from itertools import groupby
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import QuerySet
from django.forms.models import ModelChoiceIterator
from django.utils import timezone

from youjie.core.widgets import ChineseDateInput, ChineseFileInput
from youjie.desk.choices import (
    Channel,
    RequestStatus,
    ReturnVisitAction,
    ReturnVisitResult,
)
from youjie.desk.models import (
    CONTENT_MAX,
    TITLE_MAX,
    ClockChange,
    MatterType,
    ReplyTemplate,
    ServiceRequest,
)
from youjie.desk.selectors import QUERY_MAX
from youjie.desk.services import IntakeData, NewPerson
from youjie.orgs.choices import LineKind
from youjie.orgs.models import Line, OrgUnit, User
from youjie.people.services import ADDRESS_MAX_LENGTH
from youjie.people.validators import normalize_mobile, validate_resident_id
from youjie.workdays.calendar import SHANGHAI

REASON_MAX = 1000
NOTE_MAX = 2000
DECISION_NOTE_MAX = 500
NUMBER_PATTERN = r"^[Ss][Ss]\d{8}-\d{5}$"
# Channels a member of staff registers by hand; portal, WeChat and API arrive by themselves.
STAFF_CHANNELS = (
    Channel.PHONE,
    Channel.WALK_IN,
    Channel.LETTER,
    Channel.WORK_PHONE,
    Channel.DEPUTIES_LINE,
)


def _too_long(limit: int) -> dict[str, str]:
    return {"max_length": f"不能超过{limit}字（当前%(show_value)d字）"}


def _textarea(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def day_start(day: date) -> datetime:
    """00:00 of ``day`` in Asia/Shanghai: date filters count the court's own calendar day."""
    return datetime.combine(day, time.min, tzinfo=SHANGHAI)


# The dates a list filter accepts: the desk's records are all of this century, and the bounds
# keep ``day_start(day + 1 day)`` and its conversion to UTC inside datetime's range (year 1 and
# year 9999 overflowed into a 500).
FILTER_DATE_EARLIEST = date(2000, 1, 1)
FILTER_DATE_LATEST = date(2099, 12, 31)
_FILTER_DATE_RANGE = f"日期应在{FILTER_DATE_EARLIEST:%Y}年至{FILTER_DATE_LATEST:%Y}年之间"


def _filter_date(label: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        widget=ChineseDateInput(),
        validators=[
            MinValueValidator(FILTER_DATE_EARLIEST, message=_FILTER_DATE_RANGE),
            MaxValueValidator(FILTER_DATE_LATEST, message=_FILTER_DATE_RANGE),
        ],
    )


class ShanghaiDateTimeField(forms.DateTimeField):
    """A ``datetime-local`` value read as Asia/Shanghai wall time, whatever zone is active."""

    input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def to_python(self, value: Any) -> datetime | None:
        with timezone.override(SHANGHAI):
            return super().to_python(value)


def local_input_value(moment: datetime) -> str:
    return timezone.localtime(moment, SHANGHAI).strftime("%Y-%m-%dT%H:%M")


# --- lists ----------------------------------------------------------------------------------


class DivisionFilterForm(forms.Form):
    division = forms.ModelChoiceField(
        label="庭室",
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label="（本人所在庭室）",
    )

    def __init__(self, *args: Any, divisions: QuerySet[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["division"].queryset = divisions  # type: ignore[attr-defined]


def _matter_type_choices() -> list[tuple[str, str]]:
    return [("", "全部")] + [
        (code, name)
        for code, name in MatterType.objects.order_by("sort_order", "code").values_list(
            "code", "name"
        )
    ]


class SearchForm(forms.Form):
    q = forms.CharField(
        label="关键词或编号",
        max_length=QUERY_MAX,
        required=False,
        error_messages={"max_length": f"检索词不能超过{QUERY_MAX}字"},
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": "如：保全、离婚，或诉求编号"}
        ),
    )
    status = forms.ChoiceField(
        label="状态", choices=[("", "全部"), *RequestStatus.choices], required=False
    )
    matter_type = forms.ChoiceField(label="事项类型", choices=(), required=False)
    channel = forms.ChoiceField(
        label="渠道", choices=[("", "全部"), *Channel.choices], required=False
    )
    date_from = _filter_date("登记日期自")
    date_to = _filter_date("至")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["matter_type"].choices = _matter_type_choices()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "结束日期不能早于开始日期")
        return cleaned

    def filters(self) -> dict[str, Any]:
        """Keyword arguments for ``selectors.search`` (dates as Shanghai day bounds)."""
        data = self.cleaned_data
        start: date | None = data.get("date_from")
        end: date | None = data.get("date_to")
        return {
            "query": data.get("q", ""),
            "status": data.get("status", ""),
            "matter_type": data.get("matter_type", ""),
            "channel": data.get("channel", ""),
            "date_from": day_start(start) if start else None,
            "date_to": day_start(end + timedelta(days=1)) if end else None,
        }


class PeriodForm(forms.Form):
    """A reporting period in whole Shanghai days, at most two years long."""

    date_from = _filter_date("自")
    date_to = _filter_date("至")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        today = timezone.localtime(timezone.now(), SHANGHAI).date()
        start = cleaned.get("date_from") or today.replace(day=1)
        end = cleaned.get("date_to") or today
        if start > end:
            self.add_error("date_to", "结束日期不能早于开始日期")
        elif (end - start).days > 731:
            self.add_error("date_from", "统计期间不能超过两年")
        cleaned["date_from"], cleaned["date_to"] = start, end
        return cleaned


# --- intake ---------------------------------------------------------------------------------


class LookupForm(forms.Form):
    requester_mobile = forms.CharField(max_length=32, required=False)
    id_number = forms.CharField(max_length=32, required=False)


class LineChoiceIterator(ModelChoiceIterator):
    """The lines grouped by kind (固定电话, 法官工作手机, 代表委员专线): a court has dozens,
    and one flat list of them was hard to read. The queryset comes ordered by kind."""

    def __iter__(self) -> Iterator[Any]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for kind, lines in groupby(self.queryset, key=lambda line: line.kind):
            yield (str(LineKind(kind).label), [self.choice(line) for line in lines])


class LineChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    iterator = LineChoiceIterator


class IntakeForm(forms.Form):
    """Reception's fast form for calls, walk-ins and letters (DESIGN flow 2)."""

    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    channel = forms.ChoiceField(
        label="渠道", choices=[(c.value, c.label) for c in STAFF_CHANNELS], initial=Channel.PHONE
    )
    line = LineChoiceField(
        label="来电线路", queryset=Line.objects.none(), required=False, empty_label="（无）"
    )
    requester_mobile = forms.CharField(
        label="手机号码",
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off", "inputmode": "tel"}),
    )
    id_number = forms.CharField(
        label="身份证号（可选）",
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    requester_name = forms.CharField(
        label="诉求人姓名", max_length=50, error_messages=_too_long(50)
    )
    requester_id = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    matter_type = forms.ModelChoiceField(
        label="事项类型",
        queryset=MatterType.objects.none(),
        to_field_name="code",
        empty_label="请选择",
        error_messages={"invalid_choice": "未知或已停用的事项类型"},
    )
    title = forms.CharField(label="标题", max_length=TITLE_MAX, error_messages=_too_long(TITLE_MAX))
    content = forms.CharField(
        label="诉求内容",
        max_length=CONTENT_MAX,
        widget=_textarea(5),
        error_messages=_too_long(CONTENT_MAX),
    )
    related_case_number = forms.CharField(
        label="关联案号（可选）",
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "（2026）内0206民初123号"}),
    )
    answer_on_the_spot = forms.BooleanField(label="当场答复", required=False)
    answer = forms.CharField(
        label="答复内容",
        max_length=CONTENT_MAX,
        required=False,
        widget=_textarea(3),
        error_messages=_too_long(CONTENT_MAX),
    )
    send_checklist = forms.BooleanField(label="发送一次告知清单（短信）", required=False)
    attachment = forms.FileField(
        label="附件（来信扫描件等，PDF、JPG、PNG，可选）",
        required=False,
        widget=ChineseFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    auto_route = forms.BooleanField(
        label="自动分派（按案号、线路或事项类型）", required=False, initial=True
    )
    # Offered by the caller lookup when the phone or ID number matches nobody the receptionist
    # may see (issue 12, item 13): the person is registered with the requester's name, mobile
    # and ID number from this form, and the address below.
    register_person = forms.BooleanField(label="同时登记人员档案", required=False)
    person_address = forms.CharField(
        label="住址（可选）",
        max_length=ADDRESS_MAX_LENGTH,
        required=False,
        error_messages=_too_long(ADDRESS_MAX_LENGTH),
    )

    def __init__(
        self, *args: Any, lines: QuerySet[Line], user: User | None = None, **kwargs: Any
    ) -> None:
        kwargs.setdefault("label_suffix", "")  # no ASCII colon after the Chinese labels
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = lines  # type: ignore[attr-defined]
        if user is not None and not self.is_bound:
            # The receptionist's own line first: the one they answer most calls on.
            own = lines.filter(owner_user=user).values_list("pk", flat=True).first()
            if own is not None:
                self.initial.setdefault("line", own)
        self.fields["matter_type"].queryset = MatterType.objects.filter(is_active=True)  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial.setdefault("submission_key", uuid.uuid4().hex)

    def clean_requester_mobile(self) -> str:
        value: str = self.cleaned_data.get("requester_mobile", "").strip()
        if not value:
            return ""
        try:
            return normalize_mobile(value)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from None

    def clean_id_number(self) -> str:
        value: str = self.cleaned_data.get("id_number", "").strip()
        if not value:
            return ""
        try:
            return validate_resident_id(value)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("answer_on_the_spot") and not (cleaned.get("answer") or "").strip():
            self.add_error("answer", "勾选当场答复时必须填写答复内容")
        if (
            cleaned.get("send_checklist")
            and not cleaned.get("requester_mobile")
            and "requester_mobile" not in self.errors
        ):
            self.add_error("requester_mobile", "发送一次告知清单需要手机号码")
        if cleaned.get("register_person") and cleaned.get("requester_id") is not None:
            self.add_error(None, "已选择关联的人员档案，不能同时登记新人员档案")
        return cleaned

    def new_person(self) -> NewPerson | None:
        """What registers the requester as a new person, when the receptionist asked for it."""
        data = self.cleaned_data
        if not data.get("register_person"):
            return None
        return NewPerson(
            id_number=data.get("id_number", ""), address=data.get("person_address", "")
        )

    def intake_data(self) -> IntakeData:
        data = self.cleaned_data
        line: Line | None = data.get("line")
        return IntakeData(
            channel=data["channel"],
            matter_type_code=data["matter_type"].code,
            title=data["title"],
            content=data["content"],
            requester_name=data["requester_name"],
            requester_mobile=data.get("requester_mobile", ""),
            requester_id=data.get("requester_id"),
            line_number=line.number if line is not None else "",
            related_case_number=data.get("related_case_number", ""),
            # Answered at the counter: it stays with reception, nothing to route.
            route=bool(data.get("auto_route")) and not data.get("answer_on_the_spot"),
        )

    def fingerprint_body(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("submission_key", None)
        data["line"] = data["line"].pk if data.get("line") else None
        data["matter_type"] = data["matter_type"].code if data.get("matter_type") else ""
        upload = data.pop("attachment", None)
        data["attachment"] = [upload.name, upload.size] if upload else None
        return data


# --- actions on one request -----------------------------------------------------------------


class ActionForm(forms.Form):
    """Every action form carries the status the page showed, so a stale form is refused."""

    expected_status = forms.ChoiceField(
        choices=RequestStatus.choices,
        widget=forms.HiddenInput,
        error_messages={
            "required": "页面已过期，请刷新后重试",
            "invalid_choice": "页面已过期，请刷新后重试",
        },
    )

    def __init__(self, *args: Any, service_request: ServiceRequest, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("expected_status", service_request.status)
        super().__init__(*args, **kwargs)
        self.service_request = service_request


def _reason_field(label: str = "理由", required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=REASON_MAX,
        required=required,
        widget=_textarea(2),
        error_messages={"required": "请填写理由", **_too_long(REASON_MAX)},
    )


class RouteForm(ActionForm):
    division = forms.ModelChoiceField(
        label="承办庭室", queryset=OrgUnit.objects.none(), required=False, empty_label="（不指定）"
    )
    user = forms.ModelChoiceField(
        label="承办人", queryset=User.objects.none(), required=False, empty_label="（不指定）"
    )
    reason = _reason_field("理由（转办时必填）", required=False)

    def __init__(
        self, *args: Any, divisions: QuerySet[OrgUnit], users: QuerySet[User], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["division"].queryset = divisions  # type: ignore[attr-defined]
        self.fields["user"].queryset = users  # type: ignore[attr-defined]
        self.fields["user"].label_from_instance = _user_label  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("division") and not cleaned.get("user") and not self.errors:
            self.add_error("division", "请选择承办庭室或承办人")
        return cleaned


def _user_label(user: User) -> str:
    unit = user.org_unit
    return (
        f"{user.get_full_name()}（{unit.short_name or unit.name}）"
        if unit
        else user.get_full_name()
    )


class EmptyActionForm(ActionForm):
    """签收, 发送一次告知: nothing but the expected status."""


class ReasonForm(ActionForm):
    reason = _reason_field()


class OptionalReasonForm(ActionForm):
    reason = _reason_field("说明（可选）", required=False)


def fill_reply_template(template: ReplyTemplate, service_request: ServiceRequest) -> str:
    """Replace the placeholders {姓名} {编号} {事项} (plain replacement: no format injection)."""
    return (
        template.body.replace("{姓名}", service_request.requester_name)
        .replace("{编号}", service_request.number)
        .replace("{事项}", service_request.matter_type.name)
    )


class ReplyForm(ActionForm):
    template = forms.ModelChoiceField(
        label="答复模板",
        queryset=ReplyTemplate.objects.none(),
        required=False,
        empty_label="（不使用模板）",
    )
    body = forms.CharField(
        label="答复内容",
        max_length=CONTENT_MAX,
        required=False,
        widget=_textarea(5),
        error_messages=_too_long(CONTENT_MAX),
    )
    # Shown when the requester is not a verified party of the linked case (issue 12, item 3);
    # the service decides whether they are needed.
    confirm_unverified = forms.BooleanField(
        label="诉求人未核实为本案当事人，我确认仍向其答复", required=False
    )
    unverified_reason = forms.CharField(
        label="答复理由",
        max_length=200,
        required=False,
        error_messages=_too_long(200),
    )

    def __init__(self, *args: Any, templates: QuerySet[ReplyTemplate], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        body = (cleaned.get("body") or "").strip()
        template: ReplyTemplate | None = cleaned.get("template")
        if not body and template is not None:
            # Without JavaScript the chosen template is filled in here.
            body = fill_reply_template(template, self.service_request)
        if not body and "body" not in self.errors:
            self.add_error("body", "答复内容不能为空")
        elif len(body) > CONTENT_MAX:
            self.add_error("body", f"不能超过{CONTENT_MAX}字")
        cleaned["body"] = body
        return cleaned


class InterimReplyForm(ActionForm):
    body = forms.CharField(
        label="阶段性回复内容",
        max_length=CONTENT_MAX,
        widget=_textarea(3),
        error_messages=_too_long(CONTENT_MAX),
    )


class ClockChangeForm(ActionForm):
    kind = forms.ChoiceField(label="申请类型", choices=ClockChange.Kind.choices)
    reason = _reason_field()
    extra_workdays = forms.IntegerField(
        label="延长工作日（延期时填写）", required=False, min_value=1, max_value=60
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("kind") == ClockChange.Kind.EXTENSION and not cleaned.get("extra_workdays"):
            self.add_error("extra_workdays", "延期须填写延长的工作日数（1至60）")
        return cleaned


class ClockDecisionForm(ActionForm):
    change = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    decision = forms.ChoiceField(
        label="审批意见", choices=[("approve", "批准"), ("reject", "驳回")]
    )
    note = forms.CharField(
        label="审批说明",
        max_length=DECISION_NOTE_MAX,
        required=False,
        error_messages=_too_long(DECISION_NOTE_MAX),
    )


class SuperviseForm(ActionForm):
    reason = _reason_field("督办事由")
    new_deadline = ShanghaiDateTimeField(
        label="督办期限（北京时间）", error_messages={"invalid": "请输入有效的日期和时间"}
    )


class MergeForm(ActionForm):
    into = forms.RegexField(
        label="并入诉求编号",
        regex=NUMBER_PATTERN,
        max_length=20,
        error_messages={"invalid": "编号格式应为 SS20260101-00001"},
        widget=forms.TextInput(attrs={"placeholder": "SS20260101-00001"}),
    )
    reason = _reason_field()

    def clean_into(self) -> str:
        return str(self.cleaned_data["into"]).upper()


# --- return visits and matter types ---------------------------------------------------------


class ReturnVisitForm(forms.Form):
    result = forms.ChoiceField(label="回访结果", choices=ReturnVisitResult.choices)
    action = forms.ChoiceField(
        label="后续处理", choices=ReturnVisitAction.choices, initial=ReturnVisitAction.NONE
    )
    satisfaction = forms.TypedChoiceField(
        label="回访满意度",
        choices=[("", "未评价"), *[(str(n), f"{n}分") for n in range(5, 0, -1)]],
        coerce=int,
        empty_value=None,
        required=False,
    )
    note = forms.CharField(
        label="回访记录",
        max_length=NOTE_MAX,
        required=False,
        widget=_textarea(2),
        error_messages=_too_long(NOTE_MAX),
    )


class ChecklistForm(forms.Form):
    materials = forms.CharField(
        label="所需材料", max_length=4000, widget=_textarea(6), error_messages=_too_long(4000)
    )
    steps = forms.CharField(
        label="办理流程", max_length=4000, widget=_textarea(6), error_messages=_too_long(4000)
    )
    legal_basis = forms.CharField(
        label="法律依据",
        max_length=2000,
        required=False,
        widget=_textarea(3),
        error_messages=_too_long(2000),
    )
    fees = forms.CharField(
        label="收费标准",
        max_length=1000,
        required=False,
        widget=_textarea(3),
        error_messages=_too_long(1000),
    )
    time_limit_note = forms.CharField(
        label="办理时限说明", max_length=200, required=False, error_messages=_too_long(200)
    )


# --- 案件查询: the party check before a case's details are told (services.case_query) -------


class CaseQueryCheckForm(forms.Form):
    """Step 1: whom to check — the caller's phone (blank: the request's) and, for a lawyer, the
    licence number. What is on file decides (the services)."""

    mobile = forms.CharField(
        label="来电人手机号码",
        max_length=20,
        required=False,
        help_text="不填则使用诉求登记的号码；验证码将发送到该号码",
        error_messages=_too_long(20),
    )
    identity = forms.ChoiceField(
        label="来电人身份",
        choices=[("party", "当事人本人"), ("lawyer", "代理律师")],
        initial="party",
        widget=forms.RadioSelect,
        error_messages={"required": "请选择来电人身份", "invalid_choice": "请选择来电人身份"},
    )
    lawyer_licence = forms.CharField(
        label="律师执业证号",
        max_length=17,
        required=False,
        help_text="代理律师填写，17位数字",
        error_messages=_too_long(17),
    )

    def clean_mobile(self) -> str:
        value = str(self.cleaned_data.get("mobile") or "").strip()
        if not value:
            return ""
        try:
            return normalize_mobile(value)
        except ValidationError as exc:
            raise ValidationError("手机号码无效") from exc

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        licence = str(cleaned.get("lawyer_licence") or "").strip()
        if cleaned.get("identity") == "lawyer" and not (
            licence.isascii() and licence.isdigit() and len(licence) == 17
        ):
            self.add_error("lawyer_licence", "代理律师请填写17位律师执业证号")
        return cleaned


class CaseQueryCodeForm(forms.Form):
    """Step 2: the code the caller reads back from their SMS."""

    code = forms.RegexField(
        label="短信验证码",
        regex=r"^\d{6}$",
        max_length=6,
        error_messages={
            "required": "请填写来电人读出的6位验证码",
            "invalid": "验证码为6位数字",
            "max_length": "验证码为6位数字",
        },
    )
