"""Background work: running a validated case import outside the request, scanning the watched
folder of the courts' case lists; the day-before hearing reminders."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from youjie.core.errors import ApplicationError
from youjie.core.ticks import claim_tick
from youjie.courtcases.hearings import hearing_reminders_send
from youjie.courtcases.models import CaseImport
from youjie.courtcases.services import (
    ImportSuperseded,
    case_import_folder_dir,
    case_import_folder_scan,
    case_import_run,
    case_imports_recover,
)
from youjie.orgs.models import User

logger = logging.getLogger(__name__)


@db_task()  # type: ignore[untyped-decorator]
def case_import_run_task(case_import_id: int, actor_id: int | None) -> None:
    """Run a queued import. The consent to skip bad rows was recorded when it was queued."""
    case_import = CaseImport.objects.defer("rows").filter(pk=case_import_id).first()
    if case_import is None:
        return
    actor = User.objects.filter(pk=actor_id).first() if actor_id is not None else None
    try:
        case_import_run(
            actor=actor, case_import=case_import, import_valid_rows=case_import.import_valid_rows
        )
    except ApplicationError as exc:
        # Cancelled or already run by someone else meanwhile: nothing to do.
        logger.info("case import %s not run: %s", case_import_id, exc.message)
    except ImportSuperseded:
        pass  # declared interrupted while it ran (logged); staff run it again


@db_periodic_task(crontab(minute="*/5"))  # type: ignore[untyped-decorator]
def case_imports_recover_task() -> None:
    """Imports left running or queued by a worker that went away (once per tick)."""
    if not claim_tick("case_imports_recover", minutes=5):
        return
    counts = case_imports_recover()
    if any(counts.values()):
        logger.warning("case imports recovered: %s", counts)


@db_periodic_task(crontab(minute="*/5"))  # type: ignore[untyped-decorator]
def case_import_folder_scan_task() -> list[int] | None:
    """Every five minutes, once per tick however many consumers fire it: take the complete
    files of the watched folder (``services.case_import_folder_scan``). Returns the runs made
    (None: another consumer had this tick, or the folder is switched off)."""
    if case_import_folder_dir() is None:
        return None  # switched off: not even a tick claimed
    if not claim_tick("case_import_folder_scan", minutes=5):
        return None
    scan = case_import_folder_scan()
    if scan.skipped:
        return None
    if scan.runs:
        logger.info("case import folder: %s files taken, runs %s", len(scan.runs), scan.runs)
    if scan.error:
        logger.warning("case import folder: %s", scan.error)
    return scan.runs


@db_periodic_task(crontab(minute="7"))  # type: ignore[untyped-decorator]
def hearing_reminders_task() -> None:
    """Hourly: remind the participants of tomorrow's hearings (once per hourly tick, however
    many consumers fire it; each hearing once, ``hearings.hearing_reminders_send``)."""
    if not claim_tick("hearing_reminders", minutes=60):
        return
    reminded = hearing_reminders_send()
    if reminded:
        logger.info("hearing reminders sent for %s hearings", reminded)
