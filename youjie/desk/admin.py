"""Admin of the desk: configuration (matter types, reply templates) and read-only records.

A request's status changes only through the desk services (one transition map, one event per
change), so requests, return visits and supervisions are read-only here; checklists are
published on the staff page (``desk:checklist_edit``), which numbers the versions. Requesters'
names, phones and the request text are personal data and are not shown to administrators.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from youjie.desk.models import (
    ChecklistVersion,
    MatterType,
    ReplyTemplate,
    ReturnVisit,
    ServiceRequest,
    Supervision,
)


class ReadOnlyAdminMixin:
    """View only: no add, change or delete (the services own these records)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ChecklistVersionInline(ReadOnlyAdminMixin, admin.StackedInline[ChecklistVersion, MatterType]):
    model = ChecklistVersion
    fields = (
        "version",
        "materials",
        "steps",
        "legal_basis",
        "fees",
        "time_limit_note",
        "published_by",
        "published_at",
    )
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False
    verbose_name = "一次告知清单版本（只读，请在“事项类型”页面发布新版本）"
    verbose_name_plural = "一次告知清单版本（只读，请在“事项类型”页面发布新版本）"


@admin.register(MatterType)
class MatterTypeAdmin(admin.ModelAdmin[MatterType]):
    list_display = (
        "name",
        "code",
        "category",
        "default_division",
        "first_response_limit",
        "first_response_unit",
        "completion_limit",
        "completion_unit",
        "is_public",
        "is_active",
        "sort_order",
    )
    list_filter = ("category", "is_active", "is_public")
    list_select_related = ("default_division",)
    search_fields = ("name", "code")
    ordering = ("sort_order", "code")
    inlines = [ChecklistVersionInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # The code is referenced by the portal, the API and sent checklists' links.
        return ("code",) if obj is not None else ()


@admin.register(ReplyTemplate)
class ReplyTemplateAdmin(admin.ModelAdmin[ReplyTemplate]):
    """Matter type, role and unit each narrow who is offered a template on the request page
    (``selectors.reply_templates_for``); blank means everyone."""

    list_display = ("name", "matter_type", "role", "unit", "is_active", "updated_at")
    list_filter = ("is_active", "matter_type", "role")
    list_select_related = ("matter_type", "unit")
    search_fields = ("name",)
    fields = ("name", "matter_type", "role", "unit", "body", "is_active")


@admin.register(ServiceRequest)
class ServiceRequestAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[ServiceRequest]):
    list_display = (
        "number",
        "matter_type",
        "channel",
        "status",
        "priority",
        "division",
        "assignee",
        "completion_due",
        "created_at",
    )
    list_filter = ("status", "priority", "channel", "matter_type")
    list_select_related = ("matter_type", "division", "assignee")
    search_fields = ("=number",)
    show_full_result_count = False
    list_per_page = 50
    fields = (
        "number",
        "channel",
        "line",
        "matter_type",
        "category",
        "title",
        "related_case",
        "court",
        "division",
        "assignee",
        "first_contact",
        "status",
        "priority",
        "routing_rule",
        "first_response_due",
        "completion_due",
        "first_responded_at",
        "replied_at",
        "closed_at",
        "merged_into",
        "repeat_of",
        "repeat_count",
        "reopened_count",
        "is_supervised",
        "created_by",
        "created_at",
    )
    readonly_fields = fields


@admin.register(ReturnVisit)
class ReturnVisitAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[ReturnVisit]):
    list_display = (
        "service_request",
        "reason",
        "status",
        "result",
        "action",
        "satisfaction",
        "done_at",
    )
    list_filter = ("status", "reason", "result", "action")
    list_select_related = ("service_request",)
    search_fields = ("=service_request__number",)
    fields = (
        "service_request",
        "reason",
        "status",
        "visitor",
        "result",
        "action",
        "satisfaction",
        "created_at",
        "done_at",
    )
    readonly_fields = fields


@admin.register(Supervision)
class SupervisionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[Supervision]):
    list_display = (
        "service_request",
        "supervisor",
        "previous_deadline",
        "new_deadline",
        "created_at",
        "resolved_at",
    )
    list_select_related = ("service_request", "supervisor")
    search_fields = ("=service_request__number",)
    fields = (
        "service_request",
        "supervisor",
        "reason",
        "previous_deadline",
        "new_deadline",
        "created_at",
        "resolved_at",
    )
    readonly_fields = fields
