"""Admin of the petitions app: the label definitions (configuration) and the campaigns, read-only.

A campaign's status and its matters change only through ``youjie.petitions.services`` (one
transition map, one event per change), so campaigns are shown, not edited, here. Matters hold
petitioners' demands (personal data) and are not shown to administrators.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from youjie.core.admin import BoundedDateHierarchyMixin
from youjie.petitions.models import AidWageBase, Campaign, CampaignMatter, PetitionLabel


class ReadOnlyAdminMixin:
    """View only: no add, change or delete (the services own these records)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PetitionLabel)
class PetitionLabelAdmin(admin.ModelAdmin[PetitionLabel]):
    list_display = ("name", "code", "is_active", "sort_order")
    list_filter = ("is_active",)
    search_fields = ("name", "code")
    ordering = ("sort_order", "code")
    fields = ("code", "name", "definition", "is_active", "sort_order")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # Pages, filters and the API name labels by code.
        return ("code",) if obj is not None else ()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Matters keep their labels; a label no longer used is switched off instead.
        return False


class CampaignMatterInline(ReadOnlyAdminMixin, admin.TabularInline[CampaignMatter, Campaign]):
    model = CampaignMatter
    fields = ("matter", "added_on", "status", "follow_up_due_on", "confirmed_on", "reopened_on")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False
    verbose_name = "纳入事项（只读）"
    verbose_name_plural = "纳入事项（只读）"


@admin.register(Campaign)
class CampaignAdmin(BoundedDateHierarchyMixin, ReadOnlyAdminMixin, admin.ModelAdmin[Campaign]):
    list_display = ("name", "kind", "issuing_office", "starts_on", "ends_on", "status")
    list_filter = ("kind", "status")
    list_select_related = ("issuing_office",)
    search_fields = ("name",)
    date_hierarchy = "starts_on"
    fields = (
        "name",
        "kind",
        "issuing_office",
        "starts_on",
        "ends_on",
        "goals",
        "follow_up_days",
        "status",
        "created_by",
        "created_at",
    )
    readonly_fields = fields
    inlines = [CampaignMatterInline]


# P2: the wage base of the 国家司法救助 cap (configuration; DOMAIN.md §8). An aid keeps the
# base and cap it was applied under, so a correction here changes no aid already applied for.
@admin.register(AidWageBase)
class AidWageBaseAdmin(admin.ModelAdmin[AidWageBase]):
    list_display = ("year", "monthly_wage", "source")
    ordering = ("-year",)
    search_fields = ("source",)
    fields = ("year", "monthly_wage", "source")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A published figure is corrected, not removed: the latest published one is the base.
        return False
