"""Admin of the filings app: read-only. A filing changes only through
``youjie.filings.services`` (one transition map, one event per change); parties are shown with
their masked identity numbers and phones only — never the encrypted columns."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from youjie.filings.models import Filing, FilingMaterial, FilingParty


class ReadOnlyAdminMixin:
    """View only: no add, change or delete (the services own these records)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class FilingPartyInline(ReadOnlyAdminMixin, admin.TabularInline[FilingParty, Filing]):
    model = FilingParty
    fields = ("role", "kind", "name", "id_number_masked", "phone_masked", "agent_name")
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = "当事人（脱敏，只读）"


class FilingMaterialInline(ReadOnlyAdminMixin, admin.TabularInline[FilingMaterial, Filing]):
    model = FilingMaterial
    fields = ("kind", "title", "original_name", "size", "sha256", "supplement_round")
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = "材料（只读）"


@admin.register(Filing)
class FilingAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[Filing]):
    list_display = (
        "number",
        "status",
        "receiving_court",
        "competent_court",
        "cross_domain",
        "cause",
        "submitted_at",
        "decision_due",
    )
    list_filter = ("status", "cross_domain", "case_kind", "channel")
    search_fields = ("number", "cause")
    list_select_related = ("receiving_court", "competent_court")
    fields = (
        "number",
        "status",
        "channel",
        "receiving_court",
        "competent_court",
        "cross_domain",
        "case_kind",
        "procedure",
        "cause",
        "amount",
        "submitter_kind",
        "submitter_name",
        "submitter_phone_masked",
        "mediation_consent",
        "submitted_at",
        "forwarded_at",
        "competent_received_at",
        "decision_due",
        "supplement_items",
        "supplement_round",
        "decided_at",
        "fast_track",
        "court_case",
    )
    readonly_fields = fields
    inlines = (FilingPartyInline, FilingMaterialInline)
