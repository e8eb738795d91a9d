"""Background work: writing a large export; the periodic cleanup of old files and stalled jobs."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from youjie.core.ticks import claim_tick
from youjie.exports.services import export_job_run, export_jobs_clean

logger = logging.getLogger(__name__)


@db_task()  # type: ignore[untyped-decorator]
def export_job_run_task(job_id: int) -> None:
    """Write a queued export (queued by ``services.export_job_create`` once it committed)."""
    export_job_run(job_id=job_id)


@db_periodic_task(crontab(minute="*/10"))  # type: ignore[untyped-decorator]
def export_jobs_clean_task() -> None:
    """Every ten minutes, once per tick however many consumers fire it: files past their
    keeping time deleted, stalled jobs failed."""
    if not claim_tick("export_jobs_clean", minutes=10):
        return
    counts = export_jobs_clean()
    if any(counts.values()):
        logger.info("exports cleaned: %s", counts)
