"""The outbox in the admin: read-only, masked recipients, administrators and superusers only."""

from __future__ import annotations

from typing import Any, TypeGuard

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from youjie.core.admin import BoundedDateHierarchyMixin
from youjie.core.errors import ApplicationError
from youjie.core.viewers import StaffUser, Viewer
from youjie.notifications.choices import NotificationStatus
from youjie.notifications.models import Notification
from youjie.notifications.services import notification_resend


def may_manage_notifications(user: Viewer) -> TypeGuard[StaffUser]:
    if not (user.is_active and user.is_staff) or not isinstance(user, StaffUser):
        return False
    return user.is_superuser or user.has_role("administrator")


@admin.register(Notification)
class NotificationAdmin(BoundedDateHierarchyMixin, admin.ModelAdmin[Notification]):
    list_display = (
        "id",
        "channel",
        "recipient_masked",
        "subject",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "created_at",
    )
    list_filter = ("status", "channel")
    search_fields = ("message_key", "dedupe_key", "recipient_masked", "subject_id")
    date_hierarchy = "created_at"
    exclude = ("recipient_encrypted",)
    readonly_fields = (
        "channel",
        "recipient_masked",
        "subject",
        "body",
        "template_key",
        "status",
        "attempts",
        "max_attempts",
        "next_attempt_at",
        "lease_until",
        "last_error",
        "provider_message_id",
        "message_key",
        "dedupe_key",
        "subject_type",
        "subject_id",
        "created_at",
        "sent_at",
    )
    actions = ["resend"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return may_manage_notifications(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may_manage_notifications(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # rows come from notification_enqueue only

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # the outbox is the record of what was sent

    @admin.action(description="重新发送（仅限“放弃”状态）")
    def resend(self, request: HttpRequest, queryset: QuerySet[Notification]) -> None:
        user = request.user
        if not may_manage_notifications(user):
            return
        resent, skipped = 0, 0
        for notification in queryset.order_by("id"):
            if notification.status != NotificationStatus.DEAD:
                skipped += 1
                continue
            try:
                notification_resend(notification=notification, actor=user)
            except ApplicationError:
                skipped += 1
            else:
                resent += 1
        if resent:
            self.message_user(request, f"已重新排队发送 {resent} 条通知", messages.SUCCESS)
        if skipped:
            self.message_user(
                request, f"{skipped} 条通知不是“放弃”状态，未重新发送", messages.WARNING
            )
