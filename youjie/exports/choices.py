"""Enumerations of the exports app. Labels are the Chinese shown on pages."""

from django.db import models


class ExportJobStatus(models.TextChoices):
    """A background export's life (docs/subsystems/exports.md): queued, running, then done (the
    file kept for ``YOUJIE_EXPORT_KEEP_DAYS``, then expired) or failed (nothing kept)."""

    QUEUED = "queued", "排队中"
    RUNNING = "running", "导出中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"
    EXPIRED = "expired", "已过期"


# A user may have at most YOUJIE_EXPORT_RUNNING_MAX of these at once.
IN_PROGRESS_STATUSES = (ExportJobStatus.QUEUED, ExportJobStatus.RUNNING)
