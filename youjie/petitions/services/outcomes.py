"""Outcomes of a matter: evidence, resolution under 三到位一处理 (事了), the return visit that
confirms 心了 (事心双解), and 依法终结 (DOMAIN.md §2).

A resolution is refused, naming what is missing, until the evidence its outcome type needs
(``choices.REQUIRED_EVIDENCE``) is on file for the current resolution round; a reopened matter
starts a new round and needs fresh evidence.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import PurePath

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from youjie.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from youjie.core.timeline import event_record
from youjie.orgs.models import User
from youjie.petitions.choices import (
    REQUIRED_EVIDENCE,
    CampaignStatus,
    EvidenceKind,
    FollowUpStatus,
    MatterStatus,
    OutcomeType,
    ReturnVisitMethod,
)
from youjie.petitions.models import (
    NAME_MAX,
    TEXT_MAX,
    TITLE_MAX,
    CampaignMatter,
    MatterReturnVisit,
    OutcomeEvidence,
    PetitionMatter,
)
from youjie.petitions.permissions import can_manage_matter, can_work_on_matter
from youjie.petitions.services.common import (
    Errors,
    add_error,
    check_not_future,
    check_order,
    clean_text,
    follow_up_status_set,
    matter_status_set,
    raise_if_errors,
)
from youjie.workdays.calendar import statutory_deadline

MAX_EVIDENCE_PER_MATTER = 100
DESCRIPTION_MAX = 500
FILE_NAME_MAX = 100
# extension → (content type, the file's leading bytes): a renamed executable is refused.
ALLOWED_TYPES: dict[str, tuple[str, bytes]] = {
    ".pdf": ("application/pdf", b"%PDF-"),
    ".jpg": ("image/jpeg", b"\xff\xd8\xff"),
    ".jpeg": ("image/jpeg", b"\xff\xd8\xff"),
    ".png": ("image/png", b"\x89PNG\r\n\x1a\n"),
}


@dataclass(frozen=True)
class EvidenceInput:
    kind: str
    description: str
    dated_on: date
    file: UploadedFile | None = None


def _max_bytes() -> int:
    return int(getattr(settings, "YOUJIE_MAX_UPLOAD_BYTES", 10 * 1024 * 1024))


def _check_file(errors: Errors, uploaded: UploadedFile) -> tuple[str, str, str]:
    """(safe name, content type, SHA-256) of an acceptable file; errors otherwise."""
    raw_name = str(uploaded.name or "")
    name = PurePath(raw_name.replace("\x00", "")).name.strip()[:FILE_NAME_MAX] or "材料"
    extension = PurePath(name).suffix.lower()
    limit = _max_bytes()
    if "\x00" in raw_name:
        add_error(errors, "file", "文件名含有无效字符")
        return name, "", ""
    if not uploaded.size:
        add_error(errors, "file", "文件为空")
        return name, "", ""
    if uploaded.size > limit:
        add_error(errors, "file", f"文件不能超过 {limit // (1024 * 1024)} MB")
        return name, "", ""
    if extension not in ALLOWED_TYPES:
        add_error(errors, "file", "只接受 PDF、JPG、PNG 格式的文件")
        return name, "", ""
    content_type, magic = ALLOWED_TYPES[extension]
    uploaded.seek(0)
    head = uploaded.read(len(magic))
    uploaded.seek(0)
    if head != magic:
        add_error(errors, "file", "文件内容与扩展名不符")
        return name, "", ""
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return name, content_type, digest.hexdigest()


@dataclass(frozen=True)
class _CheckedEvidence:
    item: EvidenceInput
    description: str
    name: str = ""
    content_type: str = ""
    sha256: str = ""


def _check_evidence(
    errors: Errors, matter: PetitionMatter, items: Sequence[EvidenceInput]
) -> list[_CheckedEvidence]:
    checked = []
    for item in items:
        if item.kind not in EvidenceKind.values:
            add_error(errors, "kind", "材料类型无效")
        description = clean_text(
            errors,
            "description",
            "材料说明",
            item.description,
            max_length=DESCRIPTION_MAX,
            required=True,
        )
        check_not_future(errors, "dated_on", "材料日期", item.dated_on)
        check_order(errors, "dated_on", "材料日期", item.dated_on, matter.received_on, "收到日期")
        if item.file is not None:
            name, content_type, sha256 = _check_file(errors, item.file)
            checked.append(_CheckedEvidence(item, description, name, content_type, sha256))
        else:
            checked.append(_CheckedEvidence(item, description))
    return checked


def _store_evidence(
    *, actor: User, matter: PetitionMatter, checked: Sequence[_CheckedEvidence]
) -> list[OutcomeEvidence]:
    count = OutcomeEvidence.objects.filter(matter=matter).count()
    if count + len(checked) > MAX_EVIDENCE_PER_MATTER:
        raise ValidationFailed(
            f"每个事项最多登记{MAX_EVIDENCE_PER_MATTER}份化解材料", code="too_much_evidence"
        )
    stored = []
    for entry in checked:
        evidence = OutcomeEvidence(
            matter=matter,
            resolution_round=matter.resolution_round,
            kind=entry.item.kind,
            description=entry.description,
            dated_on=entry.item.dated_on,
            recorded_by=actor,
        )
        if entry.item.file is not None:
            evidence.original_name = entry.name
            evidence.content_type = entry.content_type
            evidence.size = int(entry.item.file.size or 0)
            evidence.sha256 = entry.sha256
            # Written before the commit; a rollback leaves an unreferenced content-addressed
            # file behind (harmless), never a row without its file.
            stored_name = f"{entry.sha256[:16]}{PurePath(entry.name).suffix.lower()}"
            evidence.file.save(stored_name, entry.item.file, save=False)
        evidence.save()
        stored.append(evidence)
    return stored


def _lock(matter: PetitionMatter) -> PetitionMatter:
    return PetitionMatter.objects.select_for_update(of=("self",)).get(pk=matter.pk)


def outcome_evidence_add(
    *,
    actor: User,
    matter: PetitionMatter,
    kind: str,
    description: str,
    dated_on: date,
    file: UploadedFile | None = None,
) -> OutcomeEvidence:
    """File one piece of evidence for the matter's current resolution round."""
    if not can_work_on_matter(actor, matter):
        raise PermissionDenied()
    errors: Errors = {}
    checked = _check_evidence(errors, matter, [EvidenceInput(kind, description, dated_on, file)])
    raise_if_errors(errors, "化解材料有误")
    with transaction.atomic():
        locked = _lock(matter)
        if locked.status == MatterStatus.TERMINATED:
            raise InvalidTransition(f"{locked.number}已依法终结，不能再登记化解材料")
        (evidence,) = _store_evidence(actor=actor, matter=locked, checked=checked)
        locked.last_progress_at = timezone.now()
        locked.save(update_fields=["last_progress_at", "updated_at"])
        event_record(
            subject=locked,
            verb="evidence_added",
            actor=actor,
            data={"evidence": evidence.pk, "kind": kind, "sha256": evidence.sha256},
        )
    return evidence


def missing_evidence(outcome_type: str, kinds_on_file: set[str]) -> list[str]:
    """The labels of the evidence kinds ``outcome_type`` needs that are not on file."""
    return [
        EvidenceKind(kind).label
        for kind in REQUIRED_EVIDENCE.get(outcome_type, ())
        if kind not in kinds_on_file
    ]


def _follow_up_due(resolved_on: date, row: CampaignMatter) -> date:
    """The follow-up period runs from 事了, or from admission for a matter resolved before the
    campaign took it on (a 回头看 over old matters looks at them from then on)."""
    start = max(resolved_on, row.added_on)
    return statutory_deadline(start, row.campaign.follow_up_days)


def matter_resolve(
    *,
    actor: User,
    matter: PetitionMatter,
    outcome_type: str,
    summary: str,
    resolved_on: date,
    evidence: Sequence[EvidenceInput] = (),
) -> PetitionMatter:
    """Record 事了 under 三到位一处理 (信访工作条例 Art. 27). ``evidence`` is filed with it;
    together with what is already on file for this round it must cover what ``outcome_type`` needs,
    or nothing is written and the message names what is missing. Each campaign holding the
    matter starts its follow-up period (回头看)."""
    if not can_work_on_matter(actor, matter):
        raise PermissionDenied()
    errors: Errors = {}
    if outcome_type not in OutcomeType.values:
        add_error(errors, "outcome_type", "请选择化解方式（三到位一处理）")
    summary = clean_text(errors, "summary", "化解情况", summary, max_length=TEXT_MAX, required=True)
    check_not_future(errors, "resolved_on", "事了日期", resolved_on)
    check_order(errors, "resolved_on", "事了日期", resolved_on, matter.received_on, "收到日期")
    checked = _check_evidence(errors, matter, evidence)
    raise_if_errors(errors, "化解信息有误")

    with transaction.atomic():
        locked = _lock(matter)
        if locked.status != MatterStatus.IN_PROGRESS:
            raise InvalidTransition(
                f"{locked.number}当前状态“{locked.get_status_display()}”，不能登记化解",
                extra={"from": locked.status, "to": MatterStatus.RESOLVED},
            )
        on_file = set(
            OutcomeEvidence.objects.filter(
                matter=locked, resolution_round=locked.resolution_round
            ).values_list("kind", flat=True)
        )
        on_file |= {entry.item.kind for entry in checked}
        missing = missing_evidence(outcome_type, on_file)
        if missing:
            label = OutcomeType(outcome_type).label
            raise ValidationFailed(
                f"化解方式“{label}”还缺少：{'、'.join(missing)}",
                code="evidence_missing",
                fields={"evidence": [f"缺少{name}" for name in missing]},
                extra={"missing": missing},
            )
        stored = _store_evidence(actor=actor, matter=locked, checked=checked)
        locked.outcome_type = outcome_type
        locked.outcome_summary = summary
        locked.matter_resolved_on = resolved_on
        locked.ceased = EvidenceKind.COMMITMENT in on_file
        locked.last_progress_at = timezone.now()
        matter_status_set(
            matter=locked,
            to_status=MatterStatus.RESOLVED,
            actor=actor,
            verb="resolved",
            data={
                "outcome_type": outcome_type,
                "summary": summary,
                "resolved_on": resolved_on.isoformat(),
                "evidence": [item.pk for item in stored],
                "round": locked.resolution_round,
            },
            update_fields=[
                "outcome_type",
                "outcome_summary",
                "matter_resolved_on",
                "ceased",
                "last_progress_at",
            ],
        )
        rows = (
            CampaignMatter.objects.filter(
                matter=locked,
                status__in=(FollowUpStatus.PENDING, FollowUpStatus.REOPENED),
            )
            .exclude(campaign__status=CampaignStatus.CLOSED)
            .select_related("campaign")
        )
        for row in rows:
            row.follow_up_due_on = _follow_up_due(resolved_on, row)
            if row.status == FollowUpStatus.REOPENED:
                follow_up_status_set(
                    campaign_matter=row,
                    to_status=FollowUpStatus.PENDING,
                    actor=actor,
                    verb="follow_up_restarted",
                    data={"due": row.follow_up_due_on.isoformat()},
                    update_fields=["follow_up_due_on"],
                )
            else:
                row.save(update_fields=["follow_up_due_on"])
                event_record(
                    subject=row,
                    verb="follow_up_started",
                    actor=actor,
                    data={"due": row.follow_up_due_on.isoformat()},
                )
    return locked


def matter_return_visit_record(
    *,
    actor: User,
    matter: PetitionMatter,
    visited_on: date,
    method: str,
    note: str,
    heart_resolved: bool,
) -> MatterReturnVisit:
    """Record a return visit (回访) after 事了. When it confirms that the petitioner's grievance
    is settled (心了), the matter becomes 事心双解 — the only way it does."""
    if not can_work_on_matter(actor, matter):
        raise PermissionDenied()
    errors: Errors = {}
    if method not in ReturnVisitMethod.values:
        add_error(errors, "method", "请选择回访方式")
    note = clean_text(errors, "note", "回访情况", note, max_length=TEXT_MAX, required=True)
    check_not_future(errors, "visited_on", "回访日期", visited_on)
    raise_if_errors(errors, "回访信息有误")
    with transaction.atomic():
        locked = _lock(matter)
        if locked.status != MatterStatus.RESOLVED:
            raise InvalidTransition(
                f"{locked.number}当前状态“{locked.get_status_display()}”，"
                "只有已化解（事了）的事项才能回访确认",
                extra={"from": locked.status},
            )
        check_order(
            errors, "visited_on", "回访日期", visited_on, locked.matter_resolved_on, "事了日期"
        )
        raise_if_errors(errors, "回访信息有误")
        visit = MatterReturnVisit.objects.create(
            matter=locked,
            resolution_round=locked.resolution_round,
            visited_on=visited_on,
            method=method,
            visitor=actor,
            note=note,
            heart_resolved=heart_resolved,
        )
        locked.last_progress_at = timezone.now()
        data = {"visit": visit.pk, "visited_on": visited_on.isoformat(), "method": method}
        if heart_resolved:
            locked.heart_resolved_on = visited_on
            matter_status_set(
                matter=locked,
                to_status=MatterStatus.SETTLED,
                actor=actor,
                verb="heart_resolved",
                data=data,
                update_fields=["heart_resolved_on", "last_progress_at"],
            )
        else:
            locked.save(update_fields=["last_progress_at", "updated_at"])
            event_record(subject=locked, verb="return_visit_recorded", actor=actor, data=data)
    return visit


def matter_heart_confirm(
    *, actor: User, matter: PetitionMatter, visited_on: date, method: str, note: str
) -> MatterReturnVisit:
    """心了 confirmed by a return visit: the matter becomes 事心双解."""
    return matter_return_visit_record(
        actor=actor,
        matter=matter,
        visited_on=visited_on,
        method=method,
        note=note,
        heart_resolved=True,
    )


def matter_terminate(
    *,
    actor: User,
    matter: PetitionMatter,
    terminated_on: date,
    authority: str,
    basis: str,
    handed_over_to: str,
    handed_over_on: date,
) -> PetitionMatter:
    """依法终结 (DOMAIN.md §2): approved by ``authority`` on ``terminated_on`` on ``basis``,
    handed over to the locality (属地党委、政府、基层组织) for 教育帮扶 (条例 Art. 37 ¶3). From then
    on the matter is not counted, assigned or reported (``no_further_counting``)."""
    if not can_manage_matter(actor, matter):
        raise PermissionDenied("只有属地专项办可以登记依法终结")
    errors: Errors = {}
    authority = clean_text(
        errors, "authority", "终结审核机关", authority, max_length=NAME_MAX, required=True
    )
    basis = clean_text(errors, "basis", "终结依据", basis, max_length=TEXT_MAX, required=True)
    handed_over_to = clean_text(
        errors, "handed_over_to", "移交属地", handed_over_to, max_length=TITLE_MAX, required=True
    )
    check_not_future(errors, "terminated_on", "终结日期", terminated_on)
    check_not_future(errors, "handed_over_on", "移交日期", handed_over_on)
    check_order(errors, "terminated_on", "终结日期", terminated_on, matter.received_on, "收到日期")
    check_order(errors, "handed_over_on", "移交日期", handed_over_on, terminated_on, "终结日期")
    raise_if_errors(errors, "依法终结信息有误")
    with transaction.atomic():
        locked = _lock(matter)
        locked.terminated_on = terminated_on
        locked.termination_authority = authority
        locked.termination_basis = basis
        locked.handed_over_to = handed_over_to
        locked.handed_over_on = handed_over_on
        locked.no_further_counting = True
        locked.last_progress_at = timezone.now()
        matter_status_set(
            matter=locked,
            to_status=MatterStatus.TERMINATED,
            actor=actor,
            verb="terminated",
            reason=basis,
            data={
                "terminated_on": terminated_on.isoformat(),
                "authority": authority,
                "handed_over_to": handed_over_to,
                "handed_over_on": handed_over_on.isoformat(),
            },
            update_fields=[
                "terminated_on",
                "termination_authority",
                "termination_basis",
                "handed_over_to",
                "handed_over_on",
                "no_further_counting",
                "last_progress_at",
            ],
        )
    return locked


__all__ = [
    "EvidenceInput",
    "matter_heart_confirm",
    "matter_resolve",
    "matter_return_visit_record",
    "matter_terminate",
    "missing_evidence",
    "outcome_evidence_add",
]
