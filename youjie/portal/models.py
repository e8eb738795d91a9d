"""Portal state: rate-limit counters and the one-time SMS codes that guard public tracking.

Neither table holds a phone number or an IP address in clear: rate-limit keys and code
owners are keyed hashes (``salted_hmac`` with the project's SECRET_KEY).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class RateLimitCounter(models.Model):
    """How many times ``key`` acted in the fixed window starting at ``window_start``.

    One row per (key, window); the limiter increments it with a single conditional UPDATE, so
    concurrent requests in several processes cannot both take the last slot.
    """

    key = models.CharField("限流键", max_length=100)
    window_start = models.DateTimeField("窗口起点")
    count = models.PositiveIntegerField("次数", default=0)

    class Meta:
        verbose_name = "访问频率计数"
        verbose_name_plural = "访问频率计数"
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="uniq_portal_rate_window")
        ]
        indexes = [models.Index(fields=["window_start"], name="portal_rate_window_idx")]

    def __str__(self) -> str:
        return f"{self.key} @ {self.window_start:%Y-%m-%d %H:%M}: {self.count}"


class TrackingCode(models.Model):
    """A one-time 6-digit code sent by SMS before a request (诉求), a court case or a filing
    (网上查询: a party's case progress) is shown on the public portal; exactly one of the three.

    Only a salted keyed hash of the code is stored; it expires, allows a few attempts and is
    used once.
    """

    service_request = models.ForeignKey(
        "desk.ServiceRequest",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="诉求",
        null=True,
        blank=True,
    )
    court_case = models.ForeignKey(
        "courtcases.CourtCase",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="案件",
        null=True,
        blank=True,
    )
    filing = models.ForeignKey(
        "filings.Filing",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="立案申请",
        null=True,
        blank=True,
    )
    mobile_hash = models.CharField("手机号摘要", max_length=64)
    salt = models.CharField("盐", max_length=32)
    code_hash = models.CharField("验证码摘要", max_length=64)
    attempts = models.PositiveSmallIntegerField("已尝试次数", default=0)
    expires_at = models.DateTimeField("过期时间")
    used_at = models.DateTimeField("使用时间", null=True, blank=True)
    created_at = models.DateTimeField("发送时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "查询验证码"
        verbose_name_plural = "查询验证码"
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["service_request", "-created_at"], name="portal_code_request_idx"),
            models.Index(fields=["court_case", "-created_at"], name="portal_code_case_idx"),
            models.Index(fields=["filing", "-created_at"], name="portal_code_filing_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(service_request__isnull=False, court_case__isnull=True, filing__isnull=True)
                    | Q(service_request__isnull=True, court_case__isnull=False, filing__isnull=True)
                    | Q(service_request__isnull=True, court_case__isnull=True, filing__isnull=False)
                ),
                name="portal_code_one_subject",
            )
        ]

    def __str__(self) -> str:
        return f"验证码 #{self.pk}"
