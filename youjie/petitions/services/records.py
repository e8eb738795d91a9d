"""Work records of a matter (核查: 实地走访, 查阅卷宗, 个别谈话, 听证; meetings with the petitioner:
约访, 接访, 走访, 带案下访) and their files.

A record is progress: it moves the matter's ``last_progress_at`` (三日一研究) and writes
``work_record_added`` on the matter's timeline, in one transaction with its files. A meeting the
matter's lead official attends in person records them on the row (``lead_official``): that is
what 每案必见 counts (``selectors.petitioners_not_met``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import PurePath

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from youjie.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from youjie.core.timeline import event_record
from youjie.orgs.models import User
from youjie.people.models import Person
from youjie.petitions.choices import MatterStatus, PetitionerAttitude, WorkRecordKind
from youjie.petitions.models import (
    PLACE_MAX,
    TEXT_MAX,
    PetitionMatter,
    WorkRecord,
    WorkRecordAttachment,
)
from youjie.petitions.permissions import can_record_work
from youjie.petitions.services.common import (
    Errors,
    add_error,
    check_not_future,
    check_order,
    clean_text,
    matter_progress_touch,
    raise_if_errors,
)

# The file checks of the outcome evidence (size limit, PDF/JPG/PNG by extension and content,
# SHA-256): one rule for every file a petition matter keeps.
from youjie.petitions.services.outcomes import _check_file

MAX_ATTACHMENTS_PER_RECORD = 5
MAX_PARTICIPANTS = 30
MAX_PETITIONERS_MET = 50
MAX_RECORDS_PER_MATTER = 1000


@dataclass(frozen=True)
class _CheckedFile:
    upload: UploadedFile
    name: str
    content_type: str
    sha256: str


def _check_files(
    errors: Errors, files: Sequence[UploadedFile], *, field: str = "attachments"
) -> list[_CheckedFile]:
    """The acceptable files (outcomes' checks), their errors under ``field``."""
    if len(files) > MAX_ATTACHMENTS_PER_RECORD:
        add_error(errors, field, f"每条工作记录最多{MAX_ATTACHMENTS_PER_RECORD}个附件")
        return []
    checked = []
    for upload in files:
        before = len(errors.get("file", []))
        name, content_type, sha256 = _check_file(errors, upload)
        if len(errors.get("file", [])) == before:
            checked.append(_CheckedFile(upload, name, content_type, sha256))
    if field != "file" and "file" in errors:
        errors.setdefault(field, []).extend(errors.pop("file"))
    return checked


def _store_files(
    *, actor: User, record: WorkRecord, checked: Sequence[_CheckedFile]
) -> list[WorkRecordAttachment]:
    stored = []
    for entry in checked:
        attachment = WorkRecordAttachment(
            record=record,
            original_name=entry.name,
            content_type=entry.content_type,
            size=int(entry.upload.size or 0),
            sha256=entry.sha256,
            uploaded_by=actor,
        )
        # Written before the commit; a rollback leaves an unreferenced content-addressed file
        # behind (harmless), never a row without its file.
        stored_name = f"{entry.sha256[:16]}{PurePath(entry.name).suffix.lower()}"
        attachment.file.save(stored_name, entry.upload, save=False)
        attachment.save()
        stored.append(attachment)
    return stored


def _lock(matter: PetitionMatter) -> PetitionMatter:
    return PetitionMatter.objects.select_for_update(of=("self",)).get(pk=matter.pk)


def _refuse_terminated(matter: PetitionMatter) -> None:
    if matter.status == MatterStatus.TERMINATED:
        raise InvalidTransition(f"{matter.number}已依法终结，不能再登记工作记录")


def work_record_create(
    *,
    actor: User,
    matter: PetitionMatter,
    kind: str,
    held_on: date,
    findings: str,
    place: str = "",
    participants: Sequence[User] = (),
    lead_official_present: bool = False,
    petitioners_met: Sequence[Person] = (),
    law_explanation: str = "",
    counselling: str = "",
    attitude: str = "",
    files: Sequence[UploadedFile] = (),
) -> WorkRecord:
    """Record a verification or a meeting on ``matter``, with its files.

    ``petitioners_met`` must be petitioners of the matter, and the petitioner's attitude is
    recorded whenever one was met. ``lead_official_present`` names the matter's lead official
    as present (and a participant); a meeting with them counts for 每案必见."""
    if not can_record_work(actor, matter):
        raise PermissionDenied("只有包案领导、承办人、专班成员或属地专项办可以登记工作记录")
    errors: Errors = {}
    if kind not in WorkRecordKind.values:
        add_error(errors, "kind", "请选择工作类型")
    place = clean_text(errors, "place", "地点", place, max_length=PLACE_MAX)
    findings = clean_text(
        errors, "findings", "工作情况及核查结论", findings, max_length=TEXT_MAX, required=True
    )
    law_explanation = clean_text(
        errors, "law_explanation", "释法说理", law_explanation, max_length=TEXT_MAX
    )
    counselling = clean_text(errors, "counselling", "心理疏导", counselling, max_length=TEXT_MAX)
    check_not_future(errors, "held_on", "日期", held_on)
    check_order(errors, "held_on", "日期", held_on, matter.received_on, "收到日期")
    people = list(dict.fromkeys(participants))
    if len(people) > MAX_PARTICIPANTS:
        add_error(errors, "participants", f"参加人员最多{MAX_PARTICIPANTS}人")
    if any(not user.is_active for user in people):
        add_error(errors, "participants", "参加人员中有已停用的账号")
    met = list(dict.fromkeys(petitioners_met))
    if len(met) > MAX_PETITIONERS_MET:
        add_error(errors, "petitioners_met", f"见面的信访人最多{MAX_PETITIONERS_MET}人")
    elif met:
        own = set(matter.petitioner_links.values_list("person_id", flat=True))
        strangers = [person.name for person in met if person.pk not in own]
        if strangers:
            add_error(errors, "petitioners_met", f"{'、'.join(strangers)}不是本事项的信访人")
    if attitude and attitude not in PetitionerAttitude.values:
        add_error(errors, "attitude", "信访人态度无效")
    elif met and not attitude:
        add_error(errors, "attitude", "与信访人见面的，请选择信访人态度")
    if lead_official_present and matter.lead_official_id is None:
        add_error(errors, "lead_official_present", "该事项尚未明确包案领导")
    checked = _check_files(errors, files)
    raise_if_errors(errors, "工作记录有误")

    with transaction.atomic():
        locked = _lock(matter)
        _refuse_terminated(locked)
        if WorkRecord.objects.filter(matter=locked).count() >= MAX_RECORDS_PER_MATTER:
            raise ValidationFailed(
                f"每个事项最多登记{MAX_RECORDS_PER_MATTER}条工作记录", code="too_many_records"
            )
        lead = locked.lead_official if lead_official_present else None
        if lead_official_present and lead is None:
            raise ValidationFailed(
                "工作记录有误：该事项尚未明确包案领导",
                fields={"lead_official_present": ["该事项尚未明确包案领导"]},
            )
        record = WorkRecord.objects.create(
            matter=locked,
            kind=kind,
            held_on=held_on,
            place=place,
            lead_official=lead,
            findings=findings,
            law_explanation=law_explanation,
            counselling=counselling,
            attitude=attitude,
            recorded_by=actor,
        )
        if lead is not None and lead not in people:
            people.append(lead)
        record.participants.set(people)
        record.petitioners_met.set(met)
        stored = _store_files(actor=actor, record=record, checked=checked)
        matter_progress_touch(matter=locked)
        event_record(
            subject=locked,
            verb="work_record_added",
            actor=actor,
            data={
                "record": record.pk,
                "kind": kind,
                "held_on": held_on.isoformat(),
                "lead_official_present": lead is not None,
                "petitioners_met": [person.pk for person in met],
                "attitude": attitude,
                "files": [attachment.sha256 for attachment in stored],
            },
        )
    return record


def work_record_attachment_add(
    *, actor: User, record: WorkRecord, file: UploadedFile
) -> WorkRecordAttachment:
    """Add one file to a work record (scanned notes, photographs of a site visit)."""
    matter = record.matter
    if not can_record_work(actor, matter):
        raise PermissionDenied("只有包案领导、承办人、专班成员或属地专项办可以上传附件")
    errors: Errors = {}
    checked = _check_files(errors, [file], field="file")
    raise_if_errors(errors, "附件有误")
    with transaction.atomic():
        locked = _lock(matter)
        _refuse_terminated(locked)
        existing = WorkRecordAttachment.objects.filter(record=record).count()
        if existing >= MAX_ATTACHMENTS_PER_RECORD:
            raise ValidationFailed(
                f"每条工作记录最多{MAX_ATTACHMENTS_PER_RECORD}个附件",
                code="too_many_attachments",
                fields={"file": ["附件数量已达上限"]},
            )
        (attachment,) = _store_files(actor=actor, record=record, checked=checked)
        matter_progress_touch(matter=locked)
        event_record(
            subject=locked,
            verb="work_record_attachment_added",
            actor=actor,
            data={
                "record": record.pk,
                "name": attachment.original_name,
                "size": attachment.size,
                "sha256": attachment.sha256,
            },
        )
    return attachment


__all__ = ["work_record_attachment_add", "work_record_create"]
