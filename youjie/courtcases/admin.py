from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from youjie.courtcases.models import CaseImport, CaseParty, CourtCase, Hearing, HearingParticipant
from youjie.courtcases.numbers import parse_case_number


class CourtCaseAdminForm(forms.ModelForm[CourtCase]):
    """The number's parts (year, court code, type code, sequence) come from the case number."""

    class Meta:
        model = CourtCase
        fields = (
            "case_number", "court", "division", "judge", "clerk", "cause", "stage", "filed_on",
            "judgment_date", "closed_on", "appealed", "petitioned", "second_instance_result",
            "amount",
        )  # fmt: skip

    def clean_case_number(self) -> str:
        number = parse_case_number(self.cleaned_data["case_number"])
        self.instance.year = number.year
        self.instance.court_code = number.court_code
        self.instance.type_code = number.type_code
        self.instance.sequence = number.sequence
        return number.canonical

    def clean_amount(self) -> Decimal | None:
        amount: Decimal | None = self.cleaned_data.get("amount")
        if amount is not None and amount < 0:  # the import's rule (imports.parse_amount_cell)
            raise ValidationError("标的额应为不小于 0 的数字")
        return amount

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        court = cleaned.get("court")
        code = getattr(self.instance, "court_code", "")
        if court is not None and code and court.court_code and court.court_code != code:
            raise ValidationError(f"案号中的法院代字“{code}”与所选法院（{court.court_code}）不符")
        return cleaned


class CasePartyInline(admin.TabularInline[CaseParty, CourtCase]):
    model = CaseParty
    extra = 0
    fields = ("role", "name", "person", "enterprise")
    raw_id_fields = ("person", "enterprise")


@admin.register(CourtCase)
class CourtCaseAdmin(admin.ModelAdmin[CourtCase]):
    form = CourtCaseAdminForm
    list_display = ("case_number", "court", "cause", "judge", "stage", "filed_on")
    list_filter = ("type_code", "stage", "year")
    search_fields = ("case_number", "cause")
    list_select_related = ("court", "judge")
    raw_id_fields = ("court", "division", "judge", "clerk")
    readonly_fields = ("year", "court_code", "type_code", "sequence", "created_at", "updated_at")
    inlines = [CasePartyInline]
    show_full_result_count = False


@admin.register(CaseImport)
class CaseImportAdmin(admin.ModelAdmin[CaseImport]):
    list_display = (
        "id", "source", "file_name", "court", "status", "total_rows", "valid_rows",
        "created_count", "updated_count", "uploaded_by", "created_at",
    )  # fmt: skip
    list_filter = ("source", "status")
    search_fields = ("file_name",)
    list_select_related = ("court", "uploaded_by")
    exclude = ("rows",)  # up to 50,000 staged rows: never rendered

    def get_queryset(self, request: HttpRequest) -> QuerySet[CaseImport]:
        return super().get_queryset(request).defer("rows")

    def get_readonly_fields(self, request: HttpRequest, obj: CaseImport | None = None) -> Any:
        return [field.name for field in CaseImport._meta.fields if field.name != "rows"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: CaseImport | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: CaseImport | None = None) -> bool:
        return False


class HearingParticipantInline(admin.TabularInline[HearingParticipant, Hearing]):
    """Masked phones only: the encrypted number is never rendered."""

    model = HearingParticipant
    extra = 0
    fields = ("role", "name", "phone_masked", "attendance")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Hearing | None = None) -> bool:
        return False


@admin.register(Hearing)
class HearingAdmin(admin.ModelAdmin[Hearing]):
    """Read-only: hearings change through their services (the transition map, the events and
    the texts to participants), from the case page or the API."""

    list_display = ("court_case", "scheduled_at", "kind", "status", "courtroom")
    list_filter = ("status", "kind")
    search_fields = ("court_case__case_number",)
    list_select_related = ("court_case",)
    inlines = [HearingParticipantInline]
    show_full_result_count = False

    def get_readonly_fields(self, request: HttpRequest, obj: Hearing | None = None) -> Any:
        return [field.name for field in Hearing._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Hearing | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Hearing | None = None) -> bool:
        return False
