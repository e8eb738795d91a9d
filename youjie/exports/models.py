"""A background export: a list too large to build inside a request, written by the worker."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from youjie.core.models import TimeStampedModel
from youjie.exports.choices import ExportJobStatus

PARAMS_MAX_CHARS = 4000  # the list page's query string, as stored: more is refused


class ExportJob(TimeStampedModel):
    """One export of one list for one user, with the list page's query string as it was asked.

    The worker runs the list's own selection again as the owner (their scope and rights at that
    moment: a user who lost access gets nothing), writes the workbook in chunks and counts its
    progress here; the file lives under ``YOUJIE_EXPORTS_DIR`` for ``YOUJIE_EXPORT_KEEP_DAYS``
    and only its owner may download it.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="导出人",
        on_delete=models.PROTECT,
        related_name="export_jobs",
    )
    list_name = models.CharField("清单", max_length=64)
    title = models.CharField("清单名称", max_length=100)
    params = models.JSONField("查询参数", default=list, blank=True)  # [[name, value], …]
    filters = models.CharField("筛选条件", max_length=500, blank=True)
    status = models.CharField(
        "状态", max_length=16, choices=ExportJobStatus.choices, default=ExportJobStatus.QUEUED
    )
    rows_total = models.PositiveIntegerField("总行数", default=0)
    rows_done = models.PositiveIntegerField("已写行数", default=0)
    file_name = models.CharField("文件", max_length=200, blank=True)
    file_size = models.PositiveBigIntegerField("文件大小（字节）", default=0)
    masked = models.BooleanField("个人信息已脱敏", default=True)
    error = models.CharField("失败原因", max_length=200, blank=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "导出任务"
        verbose_name_plural = "导出任务"
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["owner", "status"], name="exports_job_owner_status"),
            models.Index(fields=["status", "finished_at"], name="exports_job_status_finished"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status=ExportJobStatus.DONE) | ~models.Q(file_name=""),
                name="exports_job_done_has_file",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.get_status_display()}）"

    @property
    def in_progress(self) -> bool:
        return self.status in (ExportJobStatus.QUEUED, ExportJobStatus.RUNNING)

    @property
    def percent(self) -> int:
        if self.status == ExportJobStatus.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(100, self.rows_done * 100 // self.rows_total)
