"""Admin of the mediation app: the mediations with their sessions, read-only.

A mediation's status, its sessions and its judicial confirmation change only through
``youjie.mediation.services`` (one transition map per entity, an event per change, the filing
moved with it), so they are shown, not edited, here.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from youjie.mediation.models import Mediation, MediationSession


class ReadOnlyAdminMixin:
    """View only: no add, change or delete (the services own these records)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class SessionInline(ReadOnlyAdminMixin, admin.TabularInline[MediationSession, Mediation]):
    model = MediationSession
    fields = ("kind", "scheduled_at", "video_url", "place", "status", "reminded_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name = "调解会议（只读）"
    verbose_name_plural = "调解会议（只读）"


@admin.register(Mediation)
class MediationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[Mediation]):
    list_display = ("number", "filing", "court", "mode", "mediator", "status", "due_on")
    list_filter = ("status", "mode", "court")
    search_fields = ("number", "filing__number")
    ordering = ("-id",)
    list_select_related = ("filing", "court", "mediator")
    fields = (
        "number",
        "filing",
        "court",
        "mode",
        "organisation",
        "mediator",
        "status",
        "applied_on",
        "assigned_at",
        "assigned_by",
        "accepted_at",
        "due_on",
        "original_due_on",
        "agreed_on",
        "failure_reason",
        "ended_at",
    )
    readonly_fields = fields
    inlines = (SessionInline,)
