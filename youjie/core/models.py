"""Timeline events and the audit log: append-only records shared by every app."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField("创建时间", auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        abstract = True


class AppendOnlyQuerySet(models.QuerySet[Any]):
    """Events and audit entries are history: bulk update and delete are refused."""

    def update(self, **kwargs: Any) -> int:
        raise TypeError("append-only records cannot be updated")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("append-only records cannot be deleted")


class Event(models.Model):
    """One entry on a record's timeline, written in the same transaction as the change.

    ``subject_type``/``subject_id`` name the record ("desk.servicerequest", "42") without a
    foreign key, so that any app can have a timeline and ``core`` imports no app.
    """

    subject_type = models.CharField("对象类型", max_length=64)
    subject_id = models.CharField("对象编号", max_length=64)
    verb = models.CharField("动作", max_length=64)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField("操作人名称", max_length=100, blank=True)
    from_state = models.CharField("原状态", max_length=32, blank=True)
    to_state = models.CharField("新状态", max_length=32, blank=True)
    reason = models.TextField("原因", blank=True)
    data = models.JSONField("数据", default=dict, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = "时间线事件"
        verbose_name_plural = "时间线事件"
        indexes = [models.Index(fields=["subject_type", "subject_id", "id"])]
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.subject_type}#{self.subject_id} {self.verb}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise TypeError("timeline events are append-only")
        super().save(*args, **kwargs)


class AuditEntry(models.Model):
    """A sensitive read or action (e.g. a full ID number shown), for later review."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField("动作", max_length=64)
    subject_type = models.CharField("对象类型", max_length=64)
    subject_id = models.CharField("对象编号", max_length=64)
    fields = models.JSONField("字段", default=list, blank=True)
    purpose = models.CharField("用途", max_length=200, blank=True)
    ip_address = models.GenericIPAddressField("IP", null=True, blank=True)
    request_id = models.CharField("请求编号", max_length=64, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"
        indexes = [models.Index(fields=["subject_type", "subject_id"])]
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.action} {self.subject_type}#{self.subject_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise TypeError("audit entries are append-only")
        super().save(*args, **kwargs)


class TickClaim(models.Model):
    """One row per (periodic job, tick): the unique constraint lets exactly one consumer run it.

    huey fires a periodic task in every consumer; the first to insert the row wins the tick.
    """

    job = models.CharField("任务", max_length=100)
    tick = models.CharField("周期", max_length=32)
    claimed_at = models.DateTimeField("认领时间", auto_now_add=True)
    claimed_by = models.CharField("执行者", max_length=100, blank=True)

    class Meta:
        verbose_name = "定时任务执行记录"
        verbose_name_plural = "定时任务执行记录"
        constraints = [models.UniqueConstraint(fields=["job", "tick"], name="uniq_tick_claim")]

    def __str__(self) -> str:
        return f"{self.job}@{self.tick}"


class IdempotencyKey(models.Model):
    """A client's Idempotency-Key: a retry with the same key and body returns the first result.

    ``scope`` separates callers (e.g. "desk.create:user-42"); ``body_hash`` detects a key
    replayed with a different body, which is refused.
    """

    scope = models.CharField("范围", max_length=100)
    key = models.CharField("幂等键", max_length=100)
    body_hash = models.CharField("请求摘要", max_length=64)
    result_type = models.CharField("结果类型", max_length=64)
    result_id = models.CharField("结果编号", max_length=64)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "幂等键"
        verbose_name_plural = "幂等键"
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="uniq_idempotency_scope_key")
        ]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key}"


class KeyCanary(models.Model):
    """A known text encrypted and hashed under the keys the data is written with (one row).

    Written at the first migrate (youjie.core.keycheck); the system check core.E002/E003 reads
    it at every start (``manage.py serve``, ``migrate``, ``check --database default``): keys
    that cannot read it cannot read the personal data, and the start stops with that message
    instead of writing new data under other keys.
    """

    encrypted = models.TextField("加密样本")
    lookup = models.CharField("查找摘要样本", max_length=64)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "密钥校验值"
        verbose_name_plural = "密钥校验值"

    def __str__(self) -> str:
        return f"密钥校验值 #{self.pk}"


class FigureSnapshot(models.Model):
    """Figures computed for one viewer (a dashboard, a big screen), as last computed.

    The background engine recomputes the snapshots viewed in the last minutes
    (``youjie.core.snapshots``), so that a page reads one row instead of aggregating the raw
    tables inside the request; the page shows ``computed_at`` as 数据截至. Derived data: the
    rows can be deleted at any time."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField("类别", max_length=64)
    key = models.CharField("参数", max_length=200, blank=True, default="")
    payload = models.JSONField("数字", default=dict)
    computed_at = models.DateTimeField("数据截至")
    requested_at = models.DateTimeField("最近查看")

    class Meta:
        verbose_name = "统计快照"
        verbose_name_plural = "统计快照"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "key"], name="core_snapshot_user_kind_key"
            ),
        ]
        indexes = [models.Index(fields=["requested_at"], name="core_snapshot_requested")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.key}"
