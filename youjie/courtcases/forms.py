"""Forms for the case list filters and the import upload."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet

from youjie.core.widgets import ChineseFileInput
from youjie.courtcases.choices import CaseStage
from youjie.courtcases.imports import ALLOWED_EXTENSIONS
from youjie.courtcases.numbers import KNOWN_TYPE_CODES
from youjie.orgs.models import OrgUnit


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
        }


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
