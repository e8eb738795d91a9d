"""Read-only admin views of what the phone system and WeChat sent (no personal data shown)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from youjie.inbound.models import CallEvent, WeChatMessage


class _ReadOnly(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CallEvent)
class CallEventAdmin(_ReadOnly):
    list_display = (
        "started_at",
        "line",
        "caller_masked",
        "direction",
        "answered",
        "service_request",
    )
    list_filter = ("direction", "answered")
    list_select_related = ("line", "service_request")
    fields = (
        "line",
        "call_id",
        "direction",
        "caller_masked",
        "started_at",
        "answered",
        "duration_seconds",
        "recording_ref",
        "service_request",
        "created_by",
        "created_at",
    )
    search_fields = ("call_id",)


@admin.register(WeChatMessage)
class WeChatMessageAdmin(_ReadOnly):
    list_display = ("msg_id", "service_request", "created_at")
    list_select_related = ("service_request",)
    fields = ("msg_id", "service_request", "created_at")
    search_fields = ("msg_id",)
