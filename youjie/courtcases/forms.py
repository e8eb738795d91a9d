"""Forms for the case list filters and the import upload."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import QuerySet

from youjie.core.widgets import ChineseDateInput, ChineseFileInput
from youjie.courtcases.choices import CaseStage, SecondInstanceResult
from youjie.courtcases.imports import ALLOWED_EXTENSIONS
from youjie.courtcases.numbers import KNOWN_TYPE_CODES
from youjie.courtcases.selectors import (
    DRILL_EARLIEST,
    DRILL_LATEST,
    MAX_ID,
    REVERSED_OR_REMANDED,
    CaseDrillDown,
)
from youjie.orgs.models import OrgUnit


def _date_field(label: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        widget=ChineseDateInput(),
        validators=[
            MinValueValidator(DRILL_EARLIEST, "日期不能早于 %(limit_value)s"),
            MaxValueValidator(DRILL_LATEST, "日期不能晚于 %(limit_value)s"),
        ],
        error_messages={"invalid": "日期格式应为 YYYY-MM-DD"},
    )


class CaseFilterForm(forms.Form):
    q = forms.CharField(
        label="案号/案由",
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "如 民初123 或 借款合同"}),
    )
    type_code = forms.ChoiceField(
        label="类型",
        required=False,
        choices=[("", "全部")] + [(code, code) for code in KNOWN_TYPE_CODES],
    )
    stage = forms.ChoiceField(
        label="阶段", required=False, choices=[("", "全部"), *CaseStage.choices]
    )
    year = forms.IntegerField(label="年度", required=False, min_value=1990, max_value=2100)
    # The drill-down from the court figures (youjie.analytics): each figure links to the list
    # of the cases it counts, with these filters (CaseDrillDown says what each one means).
    division = forms.IntegerField(
        label="承办庭室", required=False, min_value=1, max_value=MAX_ID, widget=forms.HiddenInput
    )
    judge = forms.IntegerField(
        label="承办法官", required=False, min_value=1, max_value=MAX_ID, widget=forms.HiddenInput
    )
    filed_from = _date_field("立案日期自")
    filed_to = _date_field("立案日期至")
    closed_from = _date_field("结案日期自")
    closed_to = _date_field("结案日期至")
    open_on = _date_field("当日未结（含当日结案）")
    first_instance = forms.BooleanField(label="仅一审案件", required=False)
    appealed = forms.BooleanField(label="仅已上诉", required=False)
    petitioned = forms.BooleanField(label="仅申请再审或申诉", required=False)
    result = forms.ChoiceField(
        label="二审结果",
        required=False,
        choices=[
            ("", "全部"),
            *SecondInstanceResult.choices,
            (REVERSED_OR_REMANDED, "改判或发回重审"),
        ],
    )
    over_limit = forms.BooleanField(label="仅超审限结案", required=False)
    over_limit_on = _date_field("当日超审限未结")
    litigation_only = forms.BooleanField(label="不含诉前案件", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def filters(self) -> dict[str, Any]:
        """The valid filters; an invalid field is ignored rather than failing the page."""
        self.is_valid()  # cleaned_data then holds exactly the fields that are valid
        data = self.cleaned_data
        return {
            "query": data.get("q") or "",
            "type_code": data.get("type_code") or "",
            "stage": data.get("stage") or "",
            "year": data.get("year"),
            "drill": self.drill_down(),
        }

    def drill_down(self) -> CaseDrillDown | None:
        """The drill-down filters that are set and valid, or None when there are none."""
        data = getattr(self, "cleaned_data", {})
        drill = CaseDrillDown(
            division_id=data.get("division"),
            judge_id=data.get("judge"),
            filed_from=data.get("filed_from"),
            filed_to=data.get("filed_to"),
            closed_from=data.get("closed_from"),
            closed_to=data.get("closed_to"),
            open_on=data.get("open_on"),
            first_instance=bool(data.get("first_instance")),
            appealed=bool(data.get("appealed")),
            petitioned=bool(data.get("petitioned")),
            result=data.get("result") or "",
            over_limit=bool(data.get("over_limit")),
            over_limit_on=data.get("over_limit_on"),
            litigation_only=bool(data.get("litigation_only")),
        )
        return drill if drill.is_set() else None


class CaseImportUploadForm(forms.Form):
    court = forms.ModelChoiceField(label="法院", queryset=OrgUnit.objects.none(), empty_label=None)
    file = forms.FileField(
        label="案件清单文件（.xlsx 或 .csv）",
        widget=ChineseFileInput(attrs={"accept": ",".join(ALLOWED_EXTENSIONS)}),
    )

    def __init__(self, *args: Any, courts: QuerySet[OrgUnit], **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        court_field = self.fields["court"]
        assert isinstance(court_field, forms.ModelChoiceField)
        court_field.queryset = courts

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = int(settings.YOUJIE_MAX_UPLOAD_BYTES)
        if upload.size > limit:
            raise forms.ValidationError(f"文件过大：不能超过 {limit // (1024 * 1024)} MB")
        return upload


class CaseImportRunForm(forms.Form):
    import_valid_rows = forms.BooleanField(required=False)
