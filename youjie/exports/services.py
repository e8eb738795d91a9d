"""Writes of the exports: an export started from a list page, the background job that writes a
large one, its download, the cleanup of old files, and the audit entry of every export.

An export runs the list's own selection (``ExportList.select``: the page's form and selector,
within the user's scope). Up to ``YOUJIE_EXPORT_DIRECT_MAX_ROWS`` rows the workbook is written
inside the request and returned at once; a larger list becomes an ``ExportJob`` that the worker
writes in chunks, counting its progress, into ``YOUJIE_EXPORTS_DIR``, for its owner alone to
download for ``YOUJIE_EXPORT_KEEP_DAYS`` days. No export holds more than ``YOUJIE_EXPORT_MAX_ROWS``
rows; a user runs at most ``YOUJIE_EXPORT_RUNNING_MAX`` background exports at once. Each export,
direct or not, writes one audit entry: who, which list, which filters, how many rows, and whether
any personal data went out in full (docs/subsystems/exports.md).
"""

from __future__ import annotations

import logging
import os
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from io import BytesIO
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone

from youjie.core.audit import audit_record
from youjie.core.errors import ApplicationError, NotFound, PermissionDenied, ValidationFailed
from youjie.core.models import AuditEntry
from youjie.core.timeline import event_record
from youjie.exports.choices import IN_PROGRESS_STATUSES, ExportJobStatus
from youjie.exports.models import PARAMS_MAX_CHARS, ExportJob
from youjie.exports.permissions import may_download
from youjie.exports.registry import ExportList, Selection, export_list_get
from youjie.exports.selectors import is_downloadable
from youjie.exports.transitions import EXPORT_JOB_TRANSITIONS
from youjie.exports.workbook import CHUNK_ROWS, Heading, Written, write_workbook
from youjie.orgs.models import User
from youjie.orgs.scoping import court_of_user

logger = logging.getLogger(__name__)

# Query parameters that page a list, not filter it.
PAGING_PARAMS = frozenset({"page"})
# A ".part" file this old was left by a worker that went away.
PART_FILE_MAX_AGE = timedelta(days=1)


class TooManyExports(ApplicationError):
    """The user already runs ``YOUJIE_EXPORT_RUNNING_MAX`` background exports."""

    status_code = 429
    default_code = "too_many_exports"


@dataclass(frozen=True)
class DirectExport:
    """A small export, written inside the request."""

    content: bytes
    filename: str
    rows: int


# --- starting an export ------------------------------------------------------------------------


def export_params(query: QueryDict) -> list[list[str]]:
    """The list page's query string as [name, value] pairs, paging left out; too long a one is
    refused (nothing exported, nothing stored)."""
    pairs = [
        [name, value]
        for name, values in query.lists()
        if name not in PAGING_PARAMS
        for value in values
    ]
    if len(urlencode([(name, value) for name, value in pairs])) > PARAMS_MAX_CHARS:
        raise ValidationFailed("筛选条件过长，未导出；请减少筛选条件后再试")
    return pairs


def _query(pairs: list[list[str]]) -> QueryDict:
    return QueryDict(urlencode([(str(name), str(value)) for name, value in pairs]))


def unit_label(user: User) -> str:
    """The court (or, outside the courts, the office or unit) named in the title row."""
    unit = court_of_user(user) or user.org_unit
    return unit.name if unit is not None else ""


def _heading(user: User, export_list: ExportList, filters: str, moment: datetime) -> Heading:
    return Heading(
        title=export_list.title,
        unit=unit_label(user),
        exported_at=moment,
        exported_by=user.get_full_name(),
        filters=filters,
    )


def export_filename(title: str, moment: datetime) -> str:
    return f"{title}_{timezone.localtime(moment):%Y%m%d_%H%M}.xlsx"


def _check_size(export_list: ExportList, total: int) -> None:
    limit = int(settings.YOUJIE_EXPORT_MAX_ROWS)
    if total > limit:
        counter = export_list.counter
        raise ValidationFailed(
            f"符合条件的{export_list.title}共{total}{counter}，超过单次导出上限{limit}{counter}，"
            "请缩小筛选范围后分批导出"
        )


def export_start(
    *, actor: User, export_list: ExportList, query: QueryDict
) -> DirectExport | ExportJob:
    """Export ``export_list`` with the page's ``query``: a workbook at once for a small list, a
    queued background job for a large one. Refusals (the page's gate, bad filters, too many rows,
    too many running exports) raise an ``ApplicationError`` and write nothing."""
    if not export_list.may_export(actor):
        raise PermissionDenied(export_list.denied_message)
    pairs = export_params(query)
    selection = export_list.select(actor, _query(pairs))
    total = selection.rows.count()
    _check_size(export_list, total)
    if total <= int(settings.YOUJIE_EXPORT_DIRECT_MAX_ROWS):
        return _export_direct(actor=actor, export_list=export_list, selection=selection)
    return export_job_create(
        actor=actor, export_list=export_list, params=pairs, filters=selection.filters, total=total
    )


def _export_direct(*, actor: User, export_list: ExportList, selection: Selection) -> DirectExport:
    moment = timezone.now()
    buffer = BytesIO()
    written = write_workbook(
        buffer,
        columns=export_list.columns,
        heading=_heading(actor, export_list, selection.filters, moment),
        rows=selection.rows.iterator(chunk_size=CHUNK_ROWS),
        user=actor,
    )
    export_audit(actor=actor, export_list=export_list, filters=selection.filters, written=written)
    return DirectExport(
        content=buffer.getvalue(),
        filename=export_filename(export_list.title, moment),
        rows=written.rows,
    )


def export_audit(
    *,
    actor: User,
    export_list: ExportList,
    filters: str,
    written: Written,
    subject: ExportJob | None = None,
) -> AuditEntry:
    """One audit entry per export: who (the actor), which list (``fields[0]``), how many rows,
    whether personal data went out in full and which, and the filters (``purpose``)."""
    if written.unmasked:
        masking = f"含完整个人信息：{'、'.join(written.unmasked)}"
    elif export_list.masked_columns:
        masking = "个人信息已脱敏"
    else:
        masking = "不含个人信息"
    return audit_record(
        actor=actor,
        action=export_list.audit_action,
        subject=subject if subject is not None else actor,
        fields=[
            f"list:{export_list.name}",
            f"rows:{written.rows}",
            "full:" + ",".join(written.unmasked) if written.unmasked else "masked",
        ],
        purpose=(
            f"导出{export_list.title}{written.rows}{export_list.counter}（{masking}）；"
            f"筛选条件：{filters}"
        ),
    )


# --- the background job ------------------------------------------------------------------------


def export_job_status_set(
    job: ExportJob,
    *,
    to_state: str,
    verb: str,
    actor: User | None = None,
    reason: str = "",
    update_fields: tuple[str, ...] = (),
) -> None:
    """The one place an ExportJob's status changes, with its event (the caller holds the
    transaction)."""
    from_state = job.status
    EXPORT_JOB_TRANSITIONS.check(from_state, to_state)
    job.status = to_state
    job.save(update_fields=["status", "updated_at", *update_fields])
    event_record(
        subject=job,
        verb=verb,
        actor=actor,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
    )


def export_job_create(
    *,
    actor: User,
    export_list: ExportList,
    params: list[list[str]],
    filters: str,
    total: int,
) -> ExportJob:
    """Queue a background export; the worker starts it once this commits."""
    limit = int(settings.YOUJIE_EXPORT_RUNNING_MAX)
    with transaction.atomic():
        # One user's starts one after another (PostgreSQL; SQLite's IMMEDIATE transactions queue
        # anyway), so that two at once cannot both pass the count below.
        User.objects.select_for_update().filter(pk=actor.pk).exists()
        running = ExportJob.objects.filter(owner=actor, status__in=IN_PROGRESS_STATUSES).count()
        if running >= limit:
            raise TooManyExports(
                f"您已有{running}个导出任务正在进行，最多同时进行{limit}个；请等其完成后再导出"
            )
        job = ExportJob.objects.create(
            owner=actor,
            list_name=export_list.name,
            title=export_list.title,
            params=params,
            filters=filters[:500],
            rows_total=total,
        )
        event_record(
            subject=job,
            verb="export_job_queued",
            actor=actor,
            to_state=ExportJobStatus.QUEUED,
            data={"list": export_list.name, "rows": total},
        )
        _enqueue_on_commit(job.pk)
    return job


def _enqueue_on_commit(job_id: int) -> None:
    def enqueue() -> None:
        from youjie.exports.tasks import export_job_run_task

        export_job_run_task(job_id)

    transaction.on_commit(enqueue)


def exports_dir() -> Path:
    directory = Path(settings.YOUJIE_EXPORTS_DIR)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    return directory


def _discard(path: Path | None) -> None:
    if path is not None:
        path.unlink(missing_ok=True)


def _discard_on_commit(path: Path) -> None:
    """The file goes once the row no longer names it (a rolled-back cleanup keeps both)."""
    transaction.on_commit(lambda: _discard(path))


def _job_failed(job: ExportJob, *, reason: str) -> ExportJob:
    with transaction.atomic():
        locked = ExportJob.objects.select_for_update().get(pk=job.pk)
        if locked.status not in IN_PROGRESS_STATUSES:
            return locked
        locked.error = reason[:200]
        locked.finished_at = timezone.now()
        export_job_status_set(
            locked,
            to_state=ExportJobStatus.FAILED,
            verb="export_job_failed",
            reason=reason,
            update_fields=("error", "finished_at"),
        )
    return locked


def export_job_run(*, job_id: int) -> ExportJob | None:
    """Write a queued job's workbook (the worker's task). The list is selected again as its
    owner, with their scope and rights of this moment: an owner who lost access (deactivated, or
    no longer let through the list's gate) gets a failed job and no file. Progress is counted
    after every chunk of rows; the file is written as ``.part`` and renamed when complete."""
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status != ExportJobStatus.QUEUED:
            return None  # run already, or failed meanwhile
        job.started_at = timezone.now()
        export_job_status_set(
            job,
            to_state=ExportJobStatus.RUNNING,
            verb="export_job_started",
            update_fields=("started_at",),
        )
    owner = User.objects.get(pk=job.owner_id)
    partial: Path | None = None
    try:
        export_list = export_list_get(job.list_name)
        if not (owner.is_active and export_list.may_export(owner)):
            raise PermissionDenied("导出人已无权导出该清单，未生成文件")
        selection = export_list.select(owner, _query(job.params))
        total = selection.rows.count()
        _check_size(export_list, total)
        ExportJob.objects.filter(pk=job.pk).update(rows_total=total, updated_at=timezone.now())
        name = f"{job.pk}-{secrets.token_hex(8)}.xlsx"
        partial = exports_dir() / f"{name}.part"

        def progress(done: int) -> None:
            ExportJob.objects.filter(pk=job.pk).update(rows_done=done, updated_at=timezone.now())

        moment = timezone.now()
        # Owner-only, created afresh (O_EXCL): the file holds what the owner may see.
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            written = write_workbook(
                handle,
                columns=export_list.columns,
                heading=_heading(owner, export_list, selection.filters, moment),
                rows=selection.rows.iterator(chunk_size=CHUNK_ROWS),
                user=owner,
                progress=progress,
                chunk=CHUNK_ROWS,
            )
        final = partial.rename(partial.with_name(name))
    except ApplicationError as exc:
        _discard(partial)
        return _job_failed(job, reason=exc.message)
    except Exception:  # any other failure: the job says so, and no file is kept
        logger.exception("export job %s failed", job_id)
        _discard(partial)
        return _job_failed(job, reason="导出时出错，请稍后重新导出")
    with transaction.atomic():
        locked = ExportJob.objects.select_for_update().get(pk=job.pk)
        if locked.status != ExportJobStatus.RUNNING:
            # Declared stalled by the cleanup while it ran: that outcome stands.
            _discard(final)
            return locked
        locked.file_name = final.name
        locked.file_size = final.stat().st_size
        locked.rows_done = locked.rows_total = written.rows
        locked.masked = not written.unmasked
        locked.finished_at = timezone.now()
        export_job_status_set(
            locked,
            to_state=ExportJobStatus.DONE,
            verb="export_job_done",
            update_fields=(
                "file_name",
                "file_size",
                "rows_done",
                "rows_total",
                "masked",
                "finished_at",
            ),
        )
        export_audit(
            actor=owner,
            export_list=export_list,
            filters=selection.filters,
            written=written,
            subject=locked,
        )
    return locked


def export_job_file(*, actor: User, job: ExportJob) -> Path:
    """The file of ``actor``'s finished export, for download; each download is audited (the
    file holds what the export held). Another user's job, an unfinished, failed or expired one,
    or a missing file: NotFound."""
    if not may_download(actor, job):
        raise NotFound("没有这个导出任务")
    if not is_downloadable(job) or Path(job.file_name).name != job.file_name:
        raise NotFound("导出文件已过期或不存在，请重新导出")
    path = Path(settings.YOUJIE_EXPORTS_DIR) / job.file_name
    if not path.is_file():
        raise NotFound("导出文件已过期或不存在，请重新导出")
    audit_record(
        actor=actor,
        action="export_download",
        subject=job,
        fields=[f"list:{job.list_name}", f"rows:{job.rows_done}"],
        purpose=f"下载导出文件：{job.title}{job.rows_done}行",
    )
    return path


# --- the cleanup ---------------------------------------------------------------------------------


def export_jobs_clean(*, now: datetime | None = None) -> dict[str, int]:
    """The periodic cleanup: files past ``YOUJIE_EXPORT_KEEP_DAYS`` deleted (their jobs
    expired), jobs without progress for ``YOUJIE_EXPORT_STALL_MINUTES`` failed (their worker
    went away), and the files such a worker left behind removed (a ``.part`` after a day, a
    workbook no job names after the keeping time)."""
    now = now or timezone.now()
    counts = {"expired": 0, "stalled": 0, "leftovers": 0}
    keep = timedelta(days=int(settings.YOUJIE_EXPORT_KEEP_DAYS))
    old = ExportJob.objects.filter(status=ExportJobStatus.DONE, finished_at__lt=now - keep)
    for job_id in list(old.values_list("pk", flat=True)[:1000]):
        with transaction.atomic():
            job = ExportJob.objects.select_for_update().get(pk=job_id)
            if job.status != ExportJobStatus.DONE:
                continue
            path = Path(settings.YOUJIE_EXPORTS_DIR) / Path(job.file_name).name
            job.file_name = ""
            export_job_status_set(
                job,
                to_state=ExportJobStatus.EXPIRED,
                verb="export_job_expired",
                reason=f"文件保留{keep.days}天后删除",
                update_fields=("file_name",),
            )
            _discard_on_commit(path)
        counts["expired"] += 1
    minutes = int(settings.YOUJIE_EXPORT_STALL_MINUTES)
    stalled = ExportJob.objects.filter(
        status__in=IN_PROGRESS_STATUSES, updated_at__lt=now - timedelta(minutes=minutes)
    )
    for job in list(stalled[:1000]):
        _job_failed(job, reason=f"导出中断（超过{minutes}分钟没有进展），请重新导出")
        counts["stalled"] += 1
    directory = Path(settings.YOUJIE_EXPORTS_DIR)
    if directory.is_dir():
        cutoff = (now - PART_FILE_MAX_AGE).timestamp()
        for leftover in directory.glob("*.part"):
            if leftover.stat().st_mtime < cutoff:
                leftover.unlink(missing_ok=True)
                counts["leftovers"] += 1
        # A workbook no finished job names (its worker went away between writing and recording
        # it): gone after the keeping time, as a recorded one would be.
        named = set(
            ExportJob.objects.filter(status=ExportJobStatus.DONE).values_list(
                "file_name", flat=True
            )
        )
        kept_since = (now - keep).timestamp()
        for leftover in directory.glob("*.xlsx"):
            if leftover.name not in named and leftover.stat().st_mtime < kept_since:
                leftover.unlink(missing_ok=True)
                counts["leftovers"] += 1
    return counts
