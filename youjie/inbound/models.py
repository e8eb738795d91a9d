"""Events from the phone system and messages from the WeChat official account.

Both are adapters into the desk: a missed call and a WeChat text each become a
``desk.ServiceRequest`` through ``desk.services.service_request_create``; these rows keep what
the provider sent, so that its retries are recognised and create nothing new.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from youjie.inbound.choices import CallDirection

CALL_ID_MAX = 64
RECORDING_REF_MAX = 200
MAX_CALL_SECONDS = 86400


class CallEvent(models.Model):
    """One call on a court line, as reported by the phone system (DESIGN flow 1).

    The caller's number is personal data: stored encrypted, shown masked, and — when it is a
    mobile — looked up through the same keyed hash as ``people.PersonPhone``.
    """

    line = models.ForeignKey(
        "orgs.Line", verbose_name="线路", on_delete=models.PROTECT, related_name="call_events"
    )
    call_id = models.CharField("呼叫编号", max_length=CALL_ID_MAX)
    direction = models.CharField(
        "方向", max_length=16, choices=CallDirection.choices, default=CallDirection.INBOUND
    )
    caller_encrypted = models.TextField("来电号码（密文）")
    caller_hash = models.CharField(
        "来电号码摘要", max_length=64, blank=True, db_index=True, help_text="仅手机号有摘要"
    )
    caller_masked = models.CharField("来电号码", max_length=20)
    started_at = models.DateTimeField("来电时间")
    answered = models.BooleanField("已接听")
    duration_seconds = models.PositiveIntegerField("时长（秒）", default=0)
    recording_ref = models.CharField("录音编号", max_length=RECORDING_REF_MAX, blank=True)
    service_request = models.ForeignKey(
        "desk.ServiceRequest",
        verbose_name="回拨诉求",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="call_events",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="报送账号",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("接收时间", auto_now_add=True)

    class Meta:
        verbose_name = "来电记录"
        verbose_name_plural = "来电记录"
        ordering = ["-started_at", "-id"]
        constraints = [
            # The phone system's retries post the same call again: one row per (line, call id).
            models.UniqueConstraint(fields=["line", "call_id"], name="uniq_call_event_line_call"),
            models.CheckConstraint(
                condition=Q(duration_seconds__lte=MAX_CALL_SECONDS),
                name="call_event_duration_max",
            ),
        ]
        indexes = [models.Index(fields=["line", "-started_at"], name="inbound_call_line_started")]

    def __str__(self) -> str:
        return f"{self.caller_masked} → {self.line_id} ({self.call_id})"


class WeChatMessage(models.Model):
    """A WeChat message that became a request; ``msg_id`` makes WeChat's retries harmless."""

    msg_id = models.CharField("消息编号", max_length=64, unique=True)
    openid_hash = models.CharField("用户标识摘要", max_length=64, db_index=True)
    service_request = models.ForeignKey(
        "desk.ServiceRequest",
        verbose_name="诉求",
        on_delete=models.PROTECT,
        related_name="wechat_messages",
    )
    created_at = models.DateTimeField("接收时间", auto_now_add=True)

    class Meta:
        verbose_name = "微信留言"
        verbose_name_plural = "微信留言"
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.msg_id
