from __future__ import annotations

from django.db import models


class Channel(models.TextChoices):
    SMS = "sms", "短信"
    EMAIL = "email", "邮件"
    WECHAT = "wechat", "微信"
    CONSOLE = "console", "站内/控制台"


class NotificationStatus(models.TextChoices):
    """Where an outbox row is on its way out (see services.py for the transitions)."""

    PENDING = "pending", "待发送"
    SENDING = "sending", "发送中"
    SENT = "sent", "已发送"
    FAILED = "failed", "失败待重试"
    DEAD = "dead", "放弃"


class TransportName(models.TextChoices):
    """Values allowed in settings.YOUJIE_NOTIFY_TRANSPORTS."""

    FILE = "file", "文件/控制台"
    SMTP = "smtp", "SMTP 邮件"
    HTTP_SMS = "http_sms", "HTTP 短信网关"
