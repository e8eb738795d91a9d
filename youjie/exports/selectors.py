"""Reads of the exports: a user's own background exports (nobody sees another's)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from youjie.core.errors import NotFound
from youjie.exports.choices import IN_PROGRESS_STATUSES, ExportJobStatus
from youjie.exports.models import ExportJob
from youjie.orgs.models import User

JOBS_SHOWN = 50
ID_MAX = 2**63 - 1


def export_jobs_of(*, user: User) -> QuerySet[ExportJob]:
    """The user's exports, newest first (the 我的导出 page shows the latest ``JOBS_SHOWN``)."""
    return ExportJob.objects.filter(owner=user).defer("params").order_by("-id")


def export_job_get(*, user: User, pk: int) -> ExportJob:
    """The user's own export, else NotFound (404): another user's job is not theirs to see."""
    if not 0 < pk <= ID_MAX:
        raise NotFound("没有这个导出任务")
    job = ExportJob.objects.filter(pk=pk, owner=user).first()
    if job is None:
        raise NotFound("没有这个导出任务")
    return job


def export_jobs_running(*, user: User) -> int:
    return ExportJob.objects.filter(owner=user, status__in=IN_PROGRESS_STATUSES).count()


def expires_at(job: ExportJob) -> datetime | None:
    if job.finished_at is None:
        return None
    return job.finished_at + timedelta(days=int(settings.YOUJIE_EXPORT_KEEP_DAYS))


def is_downloadable(job: ExportJob) -> bool:
    """Done, its file kept, and not past its keeping time (the cleanup may not have run yet)."""
    expiry = expires_at(job)
    return (
        job.status == ExportJobStatus.DONE
        and bool(job.file_name)
        and expiry is not None
        and expiry > timezone.now()
    )
