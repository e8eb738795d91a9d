"""The outbox: one row per message, written in the transaction of the change it reports."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from youjie.notifications.choices import Channel, NotificationStatus

BODY_MAX_LENGTH = 2000
SMS_BODY_MAX_LENGTH = 500
SUBJECT_MAX_LENGTH = 200
DEFAULT_MAX_ATTEMPTS = 6


class Notification(models.Model):
    """An outgoing message and its delivery state.

    ``message_key`` is the idempotency key handed to the transport (the SMS gateway's
    ``msgid``, the e-mail ``Message-ID``), so that a retry after a crash can ask the
    transport whether the first attempt arrived instead of sending again.
    ``subject_type``/``subject_id`` name the record the message is about, like core.Event.
    """

    channel = models.CharField("渠道", max_length=16, choices=Channel.choices)
    recipient_encrypted = models.TextField("接收方（加密）")
    recipient_masked = models.CharField("接收方", max_length=100)
    subject = models.CharField("标题", max_length=SUBJECT_MAX_LENGTH, blank=True)
    body = models.TextField("内容", max_length=BODY_MAX_LENGTH)
    template_key = models.CharField("模板", max_length=64, blank=True)
    status = models.CharField(
        "状态",
        max_length=16,
        choices=NotificationStatus.choices,
        default=NotificationStatus.PENDING,
    )
    attempts = models.PositiveIntegerField("已尝试次数", default=0)
    max_attempts = models.PositiveIntegerField("最多尝试次数", default=DEFAULT_MAX_ATTEMPTS)
    next_attempt_at = models.DateTimeField("下次尝试时间")
    lease_until = models.DateTimeField("发送租约到期", null=True, blank=True)
    last_error = models.TextField("最近错误", blank=True)
    provider_message_id = models.CharField("服务商消息编号", max_length=200, blank=True)
    message_key = models.CharField("消息幂等键", max_length=36, unique=True)
    dedupe_key = models.CharField("去重键", max_length=200, blank=True)
    subject_type = models.CharField("关联对象类型", max_length=64, blank=True)
    subject_id = models.CharField("关联对象编号", max_length=64, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知发件箱"
        ordering = ["-id"]
        indexes = [
            # The dispatcher's two scans: due rows, and rows whose sending lease expired.
            models.Index(fields=["status", "next_attempt_at"], name="notif_status_next_idx"),
            models.Index(fields=["status", "lease_until"], name="notif_status_lease_idx"),
            models.Index(fields=["subject_type", "subject_id"], name="notif_subject_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["dedupe_key"],
                condition=~Q(dedupe_key=""),
                name="uniq_notification_dedupe_key",
            ),
            models.CheckConstraint(
                condition=Q(status__in=NotificationStatus.values),
                name="notification_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values),
                name="notification_channel_valid",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_channel_display()} → {self.recipient_masked}（{self.get_status_display()}）"
        )
