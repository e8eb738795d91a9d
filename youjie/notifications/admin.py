"""The outbox in the admin: read-only, masked recipients, administrators and superusers only.

Message bodies carry credentials: the requester's feedback link holds the token that lets
anyone rate the request, and a text may carry a one-time code. The admin shows the body with
those parts hidden (``masked_body``), never the stored body itself (issue 12).
"""

from __future__ import annotations

import re
from typing import Any, TypeGuard

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from youjie.core.admin import BoundedDateHierarchyMixin
from youjie.core.errors import ApplicationError
from youjie.core.logging import REDACTED, redact
from youjie.core.viewers import StaffUser, Viewer
from youjie.notifications.choices import NotificationStatus
from youjie.notifications.models import Notification
from youjie.notifications.services import notification_resend

# In a link, a path part or query value that looks like a credential: 16 or more letters,
# digits, "-", "_" (a feedback token is 32). Short words (portal, feedback, track) stay.
_LINK = re.compile(r"https?://[^\s<>\"']+")
_SECRET_IN_LINK = re.compile(r"(?<=[/=])[A-Za-z0-9_\-]{16,}")
# A one-time code in the text: the digits after 验证码 / 校验码 / 动态码.
_CODE = re.compile(r"((?:验证码|校验码|动态码|动态口令)[：:\s是为]*)\d{4,8}")


def masked_body(text: str) -> str:
    """``text`` with the credentials in its links and its one-time codes hidden."""
    text = redact(text)  # /portal/feedback/<token>, as in the logs
    text = _LINK.sub(lambda link: _SECRET_IN_LINK.sub(REDACTED, link.group(0)), text)
    return _CODE.sub(rf"\1{REDACTED}", text)


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
    # The stored body and the last error (a transport may quote the body) are shown masked.
    exclude = ("recipient_encrypted", "body", "last_error")
    readonly_fields = (
        "channel",
        "recipient_masked",
        "subject",
        "body_masked",
        "template_key",
        "status",
        "attempts",
        "max_attempts",
        "next_attempt_at",
        "lease_until",
        "last_error_masked",
        "provider_message_id",
        "message_key",
        "dedupe_key",
        "subject_type",
        "subject_id",
        "created_at",
        "sent_at",
    )
    actions = ["resend"]

    @admin.display(description="内容（链接凭据和验证码已隐去）")
    def body_masked(self, notification: Notification) -> str:
        return masked_body(notification.body)

    @admin.display(description="最近错误")
    def last_error_masked(self, notification: Notification) -> str:
        return masked_body(notification.last_error)

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
