"""Writes for court cases: validating an uploaded case list, then importing it on request.

An import has two steps so that a bad file never half-lands: ``case_import_validate`` reads
the file, checks every row and stores the normalised valid rows and the errors on a
CaseImport — nothing is written to CourtCase. Only ``case_import_run`` (directly, or through
``case_import_start`` and the background task) upserts cases, and only with the user's
explicit consent when some rows were bad.

Unattended sources (docs/subsystems/case-imports.md): a push through the API and the watched
folder (``case_import_folder_scan``) both go through ``case_import_receive``, which gives that
consent up front — import the valid rows, refuse the others — and records a file it cannot
read as a failed run. A failed or badly refusing unattended run notifies the court's
administrators through the outbox (``_notify_administrators``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from youjie.core.errors import ValidationFailed
from youjie.core.idempotency import Idempotency, idempotent_lookup, run_once
from youjie.core.timeline import event_record
from youjie.core.transitions import TransitionMap
from youjie.courtcases.choices import ImportStatus
from youjie.courtcases.imports import (
    FAILED,
    PROCESSED,
    FolderFile,
    ValidationResult,
    build_context,
    clean_file_name,
    file_sha256,
    file_too_large,
    folder_files,
    folder_move,
    folder_prepare,
    folder_read,
    iter_batches,
    read_table,
    validate_table,
)
from youjie.courtcases.models import (
    CaseImport,
    CaseImportFolder,
    CaseParty,
    CourtCase,
    ImportSource,
)
from youjie.notifications.models import BODY_MAX_LENGTH, SUBJECT_MAX_LENGTH
from youjie.notifications.services import notification_enqueue
from youjie.orgs.choices import OrgKind, Role
from youjie.orgs.models import OrgUnit, User

logger = logging.getLogger(__name__)

BATCH_SIZE = 500

IMPORT_TRANSITIONS = TransitionMap.build(
    "案件导入",
    {
        # → failed: an unattended run whose every row was refused (nothing to import).
        ImportStatus.VALIDATED: {
            ImportStatus.QUEUED,
            ImportStatus.RUNNING,
            ImportStatus.CANCELLED,
            ImportStatus.FAILED,
        },
        ImportStatus.QUEUED: {ImportStatus.RUNNING, ImportStatus.CANCELLED},
        ImportStatus.RUNNING: {ImportStatus.DONE, ImportStatus.FAILED},
        # Upserts are idempotent: a failed import may simply be run again.
        ImportStatus.FAILED: {ImportStatus.QUEUED, ImportStatus.RUNNING, ImportStatus.CANCELLED},
    },
    labels=dict(ImportStatus.choices),
)

# Columns a row may carry (besides the case number's parts), with how to compare/store them.
_SCALAR_FIELDS = (
    "cause", "division_id", "judge_id", "clerk_id", "filed_on", "judgment_date", "closed_on",
    "stage", "appealed", "amount", "second_instance_result",
)  # fmt: skip
_CONVERTERS: dict[str, Callable[[Any], Any]] = {
    "filed_on": lambda v: date.fromisoformat(v) if v else None,
    "judgment_date": lambda v: date.fromisoformat(v) if v else None,
    "closed_on": lambda v: date.fromisoformat(v) if v else None,
    "amount": lambda v: Decimal(v) if v is not None else None,
}


# ---------------------------------------------------------------------------- validation


def case_import_validate(
    *,
    actor: User | None,
    court: OrgUnit,
    file_name: str,
    content: bytes,
    source: str = ImportSource.UPLOAD,
) -> CaseImport:
    """Check an uploaded case list for ``court`` and keep the result; write no case.

    Raises ValidationFailed for problems with the file as a whole (size, type, encoding,
    header, row limit); row problems are stored on the returned CaseImport.
    """
    file_name = clean_file_name(file_name)
    result = _read(court=court, file_name=file_name, content=content)
    with transaction.atomic():
        return _record_validated(
            actor=actor,
            court=court,
            file_name=file_name,
            result=result,
            source=source,
            sha256=file_sha256(content),
        )


def _read(*, court: OrgUnit, file_name: str, content: bytes) -> ValidationResult:
    """Read and check the file (no write; outside any transaction: parsing 50,000 rows must
    not hold SQLite's write lock), or ValidationFailed for the file as a whole."""
    if court.kind != OrgKind.COURT or not court.court_code:
        raise ValidationFailed(
            "所选机构不是法院，或尚未设置法院代字", fields={"court": ["请选择已设置法院代字的法院"]}
        )
    table = read_table(file_name=file_name, content=content)
    if not table.rows:
        raise ValidationFailed("文件中只有表头，没有数据行", fields={"file": ["没有数据行"]})
    return validate_table(table=table, context=build_context(court=court))


def _record_validated(
    *,
    actor: User | None,
    court: OrgUnit,
    file_name: str,
    result: ValidationResult,
    source: str,
    sha256: str,
) -> CaseImport:
    """The validated run and its event (caller holds the transaction)."""
    case_import = CaseImport.objects.create(
        source=source,
        file_name=file_name,
        file_sha256=sha256,
        court=court,
        uploaded_by=actor,
        status=ImportStatus.VALIDATED,
        total_rows=result.total_rows,
        valid_rows=len(result.rows),
        errors=result.errors,
        rows=result.rows,
    )
    event_record(
        subject=case_import,
        verb="validated",
        actor=actor,
        to_state=ImportStatus.VALIDATED,
        data={
            "file_name": file_name,
            "source": source,
            "total_rows": result.total_rows,
            "valid_rows": len(result.rows),
            "error_rows": len(result.errors),
        },
    )
    return case_import


def _check_runnable(case_import: CaseImport, *, import_valid_rows: bool) -> None:
    error_count = len(case_import.errors)
    if error_count and not import_valid_rows:
        raise ValidationFailed(
            f"文件中有 {error_count} 行错误。请修改后重新上传，或明确选择“仅导入有效行”",
            code="import_has_errors",
            fields={"import_valid_rows": ["存在错误行时须明确选择仅导入有效行"]},
        )
    if case_import.valid_rows == 0:
        raise ValidationFailed("没有可导入的有效行", code="import_empty")


def _set_status(
    case_import: CaseImport,
    *,
    to_state: str,
    verb: str,
    actor: User | None,
    reason: str = "",
    data: dict[str, Any] | None = None,
    update_fields: tuple[str, ...] = (),
) -> None:
    """The one place a CaseImport's status changes, with its event (caller holds the txn)."""
    from_state = case_import.status
    IMPORT_TRANSITIONS.check(from_state, to_state)
    case_import.status = to_state
    case_import.save(update_fields=["status", "updated_at", *update_fields])
    event_record(
        subject=case_import,
        verb=verb,
        actor=actor,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        data=data,
    )


def _locked(case_import: CaseImport) -> CaseImport:
    return CaseImport.objects.select_for_update().defer("rows").get(pk=case_import.pk)


def _fail(
    locked: CaseImport,
    *,
    reason: str,
    actor: User | None,
    at: datetime | None = None,
    data: dict[str, Any] | None = None,
) -> None:
    """A running import ends as failed, keeping its rows so that it can be run again."""
    locked.failure_reason = reason[:500]
    locked.finished_at = at or timezone.now()
    _set_status(
        locked,
        to_state=ImportStatus.FAILED,
        verb="failed",
        actor=actor,
        reason=locked.failure_reason,
        data={"processed_rows": locked.processed_rows, **(data or {})},
        update_fields=("failure_reason", "finished_at"),
    )
    _notify_administrators(locked, kind=NOTICE_FAILED, reason=locked.failure_reason)


# ---------------------------------------------------------------------------- running


def case_import_start(
    *, actor: User | None, case_import: CaseImport, import_valid_rows: bool
) -> CaseImport:
    """Queue the import for the background worker (pages); it runs after this commits."""
    with transaction.atomic():
        locked = _locked(case_import)
        IMPORT_TRANSITIONS.check(locked.status, ImportStatus.QUEUED)
        _check_runnable(locked, import_valid_rows=import_valid_rows)
        locked.import_valid_rows = import_valid_rows
        _set_status(
            locked,
            to_state=ImportStatus.QUEUED,
            verb="queued",
            actor=actor,
            data={"import_valid_rows": import_valid_rows},
            update_fields=("import_valid_rows",),
        )
        _enqueue_on_commit(locked.pk, actor.pk if actor is not None else None)
    return locked


def case_import_cancel(*, actor: User | None, case_import: CaseImport) -> CaseImport:
    with transaction.atomic():
        locked = _locked(case_import)
        locked.rows = []  # the uploaded data is no longer needed
        locked.finished_at = timezone.now()
        _set_status(
            locked,
            to_state=ImportStatus.CANCELLED,
            verb="cancelled",
            actor=actor,
            update_fields=("rows", "finished_at"),
        )
    return locked


def case_import_run(
    *,
    actor: User | None,
    case_import: CaseImport,
    import_valid_rows: bool,
    progress: Callable[[int], None] | None = None,
) -> CaseImport:
    """Upsert the import's valid rows into CourtCase, by case number, in batches.

    Each batch commits on its own and advances ``processed_rows`` so that a page can show
    progress. ``progress`` is called with the number of rows just processed (the command's
    progress bar). Raises ValidationFailed when rows had errors and ``import_valid_rows``
    is false, InvalidTransition when the import is not waiting to run.
    """
    with transaction.atomic():
        locked = _locked(case_import)
        IMPORT_TRANSITIONS.check(locked.status, ImportStatus.RUNNING)
        if locked.status != ImportStatus.QUEUED:
            # Queued imports were checked (and consented to) when they were queued.
            _check_runnable(locked, import_valid_rows=import_valid_rows)
        else:
            import_valid_rows = locked.import_valid_rows
        locked.import_valid_rows = import_valid_rows
        locked.processed_rows = locked.created_count = 0
        locked.updated_count = locked.unchanged_count = 0
        locked.failure_reason = ""
        _set_status(
            locked,
            to_state=ImportStatus.RUNNING,
            verb="started",
            actor=actor,
            data={"import_valid_rows": import_valid_rows},
            update_fields=(
                "import_valid_rows",
                "processed_rows",
                "created_count",
                "updated_count",
                "unchanged_count",
                "failure_reason",
            ),
        )
    rows: list[dict[str, Any]] = CaseImport.objects.values_list("rows", flat=True).get(pk=locked.pk)
    try:
        known = _known_foreign_keys(rows)
        for batch in iter_batches(rows, BATCH_SIZE):
            with transaction.atomic():
                created, updated, unchanged = _import_batch(
                    batch, court=locked.court, actor=actor, case_import=locked, known=known
                )
                locked.processed_rows += len(batch)
                locked.created_count += created
                locked.updated_count += updated
                locked.unchanged_count += unchanged
                # Only while still running: the recovery sweep may have declared this run
                # interrupted (no progress for too long); then its batch is rolled back.
                advanced = CaseImport.objects.filter(
                    pk=locked.pk, status=ImportStatus.RUNNING
                ).update(
                    processed_rows=locked.processed_rows,
                    created_count=locked.created_count,
                    updated_count=locked.updated_count,
                    unchanged_count=locked.unchanged_count,
                    updated_at=timezone.now(),
                )
                if not advanced:
                    raise ImportSuperseded(locked.pk)
            if progress is not None:
                progress(len(batch))
    except ImportSuperseded:
        logger.warning("case import %s: declared interrupted meanwhile, stopped", locked.pk)
        raise
    except Exception as exc:
        logger.exception("case import %s failed", locked.pk)
        with transaction.atomic():
            _fail(locked, reason=f"导入中断：{type(exc).__name__}", actor=actor)
        raise
    with transaction.atomic():
        locked.finished_at = timezone.now()
        locked.rows = []  # imported: the staging copy is no longer needed
        _set_status(
            locked,
            to_state=ImportStatus.DONE,
            verb="finished",
            actor=actor,
            data={
                "created": locked.created_count,
                "updated": locked.updated_count,
                "unchanged": locked.unchanged_count,
            },
            update_fields=("finished_at", "rows"),
        )
        refused_limit = int(settings.YOUJIE_CASE_IMPORT_NOTICE_REFUSED_ROWS)
        if locked.refused_count > refused_limit:
            _notify_administrators(
                locked,
                kind=NOTICE_REFUSED,
                reason=f"拒绝 {locked.refused_count} 行（超过 {refused_limit} 行），原因见错误行",
            )
    return locked


class ImportSuperseded(Exception):
    """The run was declared interrupted by ``case_imports_recover`` while it went on."""


def case_imports_recover(*, now: datetime | None = None) -> dict[str, int]:
    """Imports whose worker went away (a restart, a crash) do not stay "导入中" for ever.

    - Running with no progress (no batch committed) for ``YOUJIE_IMPORT_STALL_MINUTES``: failed,
      with the reason and an event; upserts are idempotent, so staff may simply run it again.
    - Queued that long without starting (the queued task was lost): queued again, with an
      event. A task that was only late finds the import started or done and does nothing.
    """
    now = now or timezone.now()
    minutes = int(settings.YOUJIE_IMPORT_STALL_MINUTES)
    stalled_before = now - timedelta(minutes=minutes)
    stale = CaseImport.objects.filter(
        status__in=[ImportStatus.RUNNING, ImportStatus.QUEUED], updated_at__lt=stalled_before
    ).only("pk")
    counts = {"failed": 0, "requeued": 0}
    for case_import in list(stale):
        with transaction.atomic():
            locked = _locked(case_import)
            if locked.updated_at >= stalled_before:
                continue  # it moved meanwhile
            if locked.status == ImportStatus.RUNNING:
                _fail(
                    locked,
                    reason=f"导入中断：超过{minutes}分钟没有进展（后台进程可能已退出），可重新导入",
                    actor=None,
                    at=now,
                    data={"stalled_minutes": minutes},
                )
                counts["failed"] += 1
            elif locked.status == ImportStatus.QUEUED:
                locked.save(update_fields=["updated_at"])  # waits another period before the next
                event_record(
                    subject=locked,
                    verb="requeued",
                    actor=None,
                    reason=f"排队超过{minutes}分钟未开始，已重新排队",
                )
                _enqueue_on_commit(locked.pk, locked.uploaded_by_id)
                counts["requeued"] += 1
    return counts


def _enqueue_on_commit(case_import_id: int, actor_id: int | None) -> None:
    def enqueue() -> None:
        from youjie.courtcases.tasks import case_import_run_task

        case_import_run_task(case_import_id, actor_id)

    transaction.on_commit(enqueue)


def _known_foreign_keys(rows: list[dict[str, Any]]) -> dict[str, set[int]]:
    """Users and divisions named by the rows that still exist (the file was validated earlier;
    one may have been removed since). Two queries for the whole import."""
    user_ids = {row[key] for row in rows for key in ("judge_id", "clerk_id") if row.get(key)}
    division_ids = {row["division_id"] for row in rows if row.get("division_id")}
    return {
        "user": set(User.objects.filter(pk__in=user_ids).values_list("pk", flat=True)),
        "division": set(OrgUnit.objects.filter(pk__in=division_ids).values_list("pk", flat=True)),
    }


def _row_values(row: dict[str, Any], known: dict[str, set[int]]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in _SCALAR_FIELDS:
        if name not in row:
            continue  # column absent from the file: leave the field as it is
        value = _CONVERTERS.get(name, lambda v: v)(row[name])
        if name == "division_id" and value not in known["division"]:
            value = None
        if name in ("judge_id", "clerk_id") and value not in known["user"]:
            value = None
        values[name] = value
    return values


def _import_batch(
    batch: list[dict[str, Any]],
    *,
    court: OrgUnit,
    actor: User | None,
    case_import: CaseImport,
    known: dict[str, set[int]],
) -> tuple[int, int, int]:
    numbers = [row["case_number"] for row in batch]
    existing = {
        case.case_number: case
        for case in CourtCase.objects.filter(case_number__in=numbers).prefetch_related("parties")
    }
    now = timezone.now()
    to_create: list[tuple[CourtCase, dict[str, Any]]] = []
    to_update: list[tuple[CourtCase, list[str], dict[str, Any]]] = []
    unchanged = 0
    update_fields: set[str] = set()
    for row in batch:
        values = _row_values(row, known)
        case = existing.get(row["case_number"])
        if case is None:
            case = CourtCase(
                case_number=row["case_number"],
                year=row["year"],
                court_code=row["court_code"],
                type_code=row["type_code"],
                sequence=row["sequence"],
                court=court,
                **values,
            )
            to_create.append((case, row))
            continue
        changed = [name for name, value in values.items() if getattr(case, name) != value]
        if case.court_id != court.pk:
            changed.append("court_id")
            case.court = court
        parties_changed = "parties" in row and _party_key(row["parties"]) != _party_key(
            [{"role": p.role, "name": p.name} for p in case.parties.all()]
        )
        if not changed and not parties_changed:
            unchanged += 1
            continue
        for name in changed:
            if name != "court_id":
                setattr(case, name, values[name])
        case.updated_at = now
        update_fields.update(changed)
        to_update.append((case, changed, row if parties_changed else {}))

    CourtCase.objects.bulk_create([case for case, _ in to_create])
    if to_update:
        CourtCase.objects.bulk_update(
            [case for case, _, _ in to_update],
            fields=sorted({name.removesuffix("_id") for name in update_fields} | {"updated_at"}),
        )
    parties: list[CaseParty] = []
    for case, row in to_create:
        parties.extend(_parties(case, row.get("parties", []), links={}))
    replaced = [case for case, _, row in to_update if row]
    if replaced:
        links = {
            (party.court_case_id, party.role, party.name): (party.person_id, party.enterprise_id)
            for case in replaced
            for party in case.parties.all()
        }
        CaseParty.objects.filter(court_case__in=replaced).delete()
        for case, _, row in to_update:
            if row:
                parties.extend(_parties(case, row["parties"], links=links))
    CaseParty.objects.bulk_create(parties)

    for case, row in to_create:
        event_record(
            subject=case,
            verb="imported",
            actor=actor,
            data={"import_id": case_import.pk, "row": row["row"]},
        )
    for case, changed, row in to_update:
        fields = [name.removesuffix("_id") for name in changed] + (["parties"] if row else [])
        event_record(
            subject=case,
            verb="updated_by_import",
            actor=actor,
            data={"import_id": case_import.pk, "changed": fields},
        )
    return len(to_create), len(to_update), unchanged


def _party_key(parties: list[dict[str, str]]) -> list[tuple[str, str]]:
    return [(party["role"], party["name"]) for party in parties]


def _parties(
    case: CourtCase,
    rows: list[dict[str, str]],
    *,
    links: dict[tuple[int, str, str], tuple[int | None, int | None]],
) -> list[CaseParty]:
    """New party rows; links to Person/Enterprise made by others survive a re-import when
    the same role and name are still listed."""
    result = []
    for party in rows:
        person_id, enterprise_id = links.get((case.pk, party["role"], party["name"]), (None, None))
        result.append(
            CaseParty(
                court_case=case,
                role=party["role"],
                name=party["name"],
                person_id=person_id,
                enterprise_id=enterprise_id,
            )
        )
    return result


# ---------------------------------------------------------------------------- unattended runs
# A push through the API and the watched folder: nobody is there to consent to skipping bad
# rows or to read a refusal, so the consent is given up front and the failures are told.

UNATTENDED_SOURCES = frozenset({ImportSource.PUSH, ImportSource.FOLDER})
NOTICE_FAILED = "failed"
NOTICE_REFUSED = "refused"


def case_import_receive(
    *,
    actor: User | None,
    court: OrgUnit,
    file_name: str,
    content: bytes,
    source: str,
    idempotency: Idempotency | None = None,
) -> tuple[CaseImport, bool]:
    """Validate a pushed or scheduled case list and queue its run at once with its valid rows
    (import the valid rows, refuse the others); returns (run, created).

    The file's content never raises: a file that cannot be read (type, encoding, header, no
    data rows) is recorded as a failed run with the reason, a file whose every row is refused
    fails too, and both notify the court's administrators. ``idempotency``: the same key (and
    file) again returns the run it made, created False; the same key with another file is
    409 ``idempotency_key_reused``.
    """
    if idempotency is not None:
        record = idempotent_lookup(
            scope=idempotency.scope, key=idempotency.key, body_hash=idempotency.body_hash
        )
        earlier = (
            CaseImport.objects.defer("rows").filter(pk=int(record.result_id)).first()
            if record is not None
            else None
        )
        if earlier is not None:
            return earlier, False  # the same request again: not even read
    file_name = clean_file_name(file_name)
    sha256 = file_sha256(content)
    result: ValidationResult | None = None
    refusal = ""
    try:
        result = _read(court=court, file_name=file_name, content=content)
    except ValidationFailed as exc:
        refusal = exc.message

    def create() -> CaseImport:
        if result is None:
            return _record_refused_file(
                actor=actor,
                court=court,
                file_name=file_name,
                sha256=sha256,
                source=source,
                reason=refusal,
            )
        case_import = _record_validated(
            actor=actor,
            court=court,
            file_name=file_name,
            result=result,
            source=source,
            sha256=sha256,
        )
        if case_import.valid_rows == 0:
            case_import.failure_reason = (
                f"全部 {case_import.total_rows} 行均被拒绝，未导入任何案件（原因见错误行）"
            )
            case_import.finished_at = timezone.now()
            _set_status(
                case_import,
                to_state=ImportStatus.FAILED,
                verb="failed",
                actor=actor,
                reason=case_import.failure_reason,
                update_fields=("failure_reason", "finished_at"),
            )
            _notify_administrators(
                case_import, kind=NOTICE_FAILED, reason=case_import.failure_reason
            )
            return case_import
        return case_import_start(actor=actor, case_import=case_import, import_valid_rows=True)

    return run_once(model=CaseImport, idempotency=idempotency, create=create)


def _record_refused_file(
    *,
    actor: User | None,
    court: OrgUnit,
    file_name: str,
    sha256: str,
    source: str,
    reason: str,
) -> CaseImport:
    """A run that never got past the file (caller holds the transaction): failed from the
    start, with the reason, and the administrators told."""
    case_import = CaseImport.objects.create(
        source=source,
        file_name=file_name,
        file_sha256=sha256,
        court=court,
        uploaded_by=actor,
        status=ImportStatus.FAILED,
        failure_reason=reason[:500],
        finished_at=timezone.now(),
    )
    event_record(
        subject=case_import,
        verb="refused",
        actor=actor,
        to_state=ImportStatus.FAILED,
        reason=case_import.failure_reason,
        data={"file_name": file_name, "source": source},
    )
    _notify_administrators(case_import, kind=NOTICE_FAILED, reason=case_import.failure_reason)
    return case_import


def import_notice_recipients(court: OrgUnit) -> list[User]:
    """Who is told of an unattended run's failure: the system administrators (role
    administrator, people only) working in the court, else — a court without one of its own —
    every system administrator. They may open every court's runs (the administrator sees every
    court: ``selectors.importable_courts``), and they are the ones who can fix a folder, a
    token or the court's export; the court's receptionists see the run on the import pages."""
    administrators = User.objects.filter(
        is_active=True, is_service_account=False, user_roles__role=Role.ADMINISTRATOR
    ).order_by("pk")
    own = list(administrators.filter(org_unit__path__startswith=court.path)) if court.path else []
    return own or list(administrators)


def _public_link(path: str) -> str:
    return str(getattr(settings, "YOUJIE_PUBLIC_URL", "") or "").rstrip("/") + path


def _notify_administrators(case_import: CaseImport, *, kind: str, reason: str) -> int:
    """Tell the court's administrators (``import_notice_recipients``) that an unattended run
    failed or refused many rows: e-mail when they have an address, else the console channel
    (as every staff message is sent), in the caller's transaction. Once per run and kind.
    A page upload is not told: the person who ran it sees the result."""
    if case_import.source not in UNATTENDED_SOURCES:
        return 0
    court = case_import.court
    what = "失败" if kind == NOTICE_FAILED else "有较多拒绝行"
    subject = f"案件清单导入{what}：{court.short_name or court.name} {case_import.file_name}"
    link = _public_link(reverse("courtcases:import_status", kwargs={"pk": case_import.pk}))
    lines = [
        f"法院：{court.name}（{court.court_code}）",
        f"来源：{case_import.get_source_display()}",
        f"文件：{case_import.file_name}",
        f"导入编号：{case_import.pk}",
        f"原因：{reason}",
    ]
    if case_import.total_rows:
        lines.append(
            f"数据 {case_import.total_rows} 行：新增 {case_import.created_count}，"
            f"更新 {case_import.updated_count}，无变化 {case_import.unchanged_count}，"
            f"拒绝 {case_import.refused_count}"
        )
    lines.append(f"查看导入结果：{link}")
    body = "\n".join(lines)[:BODY_MAX_LENGTH]
    recipients = import_notice_recipients(court)
    for user in recipients:
        notification_enqueue(
            channel="email" if user.email else "console",
            recipient=user.email or f"user:{user.pk}",
            subject=subject[:SUBJECT_MAX_LENGTH],
            body=body,
            template_key=f"courtcases.import_{kind}",
            about=case_import,
            dedupe_key=f"courtcases:import:{case_import.pk}:{kind}:{user.pk}",
        )
    return len(recipients)


# --- the watched folder ---------------------------------------------------------------------

FOLDER_LEASE = timedelta(minutes=30)
# Two looks closer than this (a late consumer's tick, then the next one) say nothing about
# whether a file is still being written: nothing is taken on the second.
FOLDER_MIN_QUIET = timedelta(seconds=60)


@dataclass
class FolderScan:
    """What one scan did: the runs it made, the files it left for the next look."""

    enabled: bool = True
    skipped: bool = False  # another scan holds the folder
    runs: list[int] = field(default_factory=list)
    waiting: int = 0
    error: str = ""


def case_import_folder_dir() -> Path | None:
    """The configured watched folder, None when switched off (``YOUJIE_CASE_IMPORT_DIR``)."""
    configured = str(getattr(settings, "YOUJIE_CASE_IMPORT_DIR", "") or "").strip()
    return Path(configured) if configured else None


def _folder_courts() -> dict[str, OrgUnit]:
    """Active courts by 法院代字, each a folder's name (a code that is not a plain name is
    left out)."""
    courts = OrgUnit.objects.filter(kind=OrgKind.COURT, is_active=True).exclude(court_code="")
    return {
        court.court_code: court
        for court in courts.order_by("path")
        if court.court_code == Path(court.court_code).name and court.court_code not in (".", "..")
    }


def case_import_folder_scan(*, now: datetime | None = None) -> FolderScan:
    """Look at every court's incoming/ folder once (the periodic task, every five minutes).

    A file is taken when its size and modification time are the same as at the previous
    look (nobody is writing it), ``.part`` and hidden names never. Each taken file becomes a
    run (``_folder_take``) and moves to processed/ or failed/ under its run's id. The lease on
    the folder's row keeps a slow scan and the next one apart.
    """
    root = case_import_folder_dir()
    if root is None:
        return FolderScan(enabled=False)
    now = now or timezone.now()
    state, _ = CaseImportFolder.objects.get_or_create(path=str(root)[:500])
    with transaction.atomic():
        leased = CaseImportFolder.objects.filter(
            Q(lease_until__isnull=True) | Q(lease_until__lt=now), pk=state.pk
        ).update(lease_until=now + FOLDER_LEASE)
    if not leased:
        return FolderScan(skipped=True)
    scan = FolderScan()
    seen: dict[str, list[int]] = {}
    try:
        courts = _folder_courts()
        try:
            folder_prepare(root, courts)
            files = folder_files(root, courts)
        except OSError as exc:
            scan.error = f"无法使用目录 {root}：{exc.strerror or type(exc).__name__}"[:500]
            logger.error("case import folder %s: %s", root, exc)
            files = []
        quiet = state.scanned_at is None or now - state.scanned_at >= FOLDER_MIN_QUIET
        for file in files:
            if not quiet or state.seen.get(file.key) != file.signature:
                seen[file.key] = file.signature  # new or still changing: the next look decides
                continue
            try:
                scan.runs.append(_folder_take(file, court=courts[file.court_code]))
            except Exception as exc:  # one file's trouble must not stop the others
                logger.exception("case import folder: %s not taken", file.key)
                scan.error = f"{file.key} 未能处理：{type(exc).__name__}"[:500]
        scan.waiting = len(seen)
    finally:
        CaseImportFolder.objects.filter(pk=state.pk).update(
            scanned_at=now, seen=seen, last_error=scan.error, lease_until=None
        )
    return scan


def _folder_take(file: FolderFile, *, court: OrgUnit) -> int:
    """One complete file: a run (or a refused or duplicate record), then the file moved."""
    limit = int(settings.YOUJIE_MAX_UPLOAD_BYTES)
    content = b"" if file.size > limit else folder_read(file, limit=limit)
    if file.size > limit or len(content) > limit:
        with transaction.atomic():
            case_import = _record_refused_file(
                actor=None,
                court=court,
                file_name=clean_file_name(file.name),
                sha256="",
                source=ImportSource.FOLDER,
                reason=file_too_large(limit).message,
            )
        folder_move(file, to=FAILED, run_id=case_import.pk)
        return case_import.pk
    sha256 = file_sha256(content)
    earlier = _imported_before(court=court, sha256=sha256)
    if earlier is not None:
        duplicate = _record_duplicate(
            court=court, file_name=file.name, sha256=sha256, earlier=earlier
        )
        folder_move(file, to=PROCESSED, run_id=duplicate.pk)
        return duplicate.pk
    case_import, _ = case_import_receive(
        actor=None, court=court, file_name=file.name, content=content, source=ImportSource.FOLDER
    )
    failed = case_import.status == ImportStatus.FAILED
    folder_move(file, to=FAILED if failed else PROCESSED, run_id=case_import.pk)
    return case_import.pk


def _imported_before(*, court: OrgUnit, sha256: str) -> CaseImport | None:
    """The earlier run of the same file for this court that imported it or is importing it
    (one that failed may be dropped again and run again)."""
    return (
        CaseImport.objects.filter(
            court=court,
            file_sha256=sha256,
            status__in=[ImportStatus.QUEUED, ImportStatus.RUNNING, ImportStatus.DONE],
        )
        .only("pk", "file_name", "created_at")
        .order_by("pk")
        .first()
    )


def _record_duplicate(
    *, court: OrgUnit, file_name: str, sha256: str, earlier: CaseImport
) -> CaseImport:
    """A file imported before, dropped again: recorded (cancelled, pointing at the run that
    imported it) and not imported a second time."""
    stamp = timezone.localtime(earlier.created_at).strftime("%Y-%m-%d %H:%M")
    reason = f"与导入 #{earlier.pk}（{earlier.file_name}，{stamp}）内容相同，未重复导入"
    with transaction.atomic():
        duplicate = CaseImport.objects.create(
            source=ImportSource.FOLDER,
            file_name=clean_file_name(file_name),
            file_sha256=sha256,
            duplicate_of=earlier,
            court=court,
            status=ImportStatus.CANCELLED,
            failure_reason=reason[:500],
            finished_at=timezone.now(),
        )
        event_record(
            subject=duplicate,
            verb="duplicate",
            to_state=ImportStatus.CANCELLED,
            reason=duplicate.failure_reason,
            data={"duplicate_of": earlier.pk},
        )
    return duplicate
