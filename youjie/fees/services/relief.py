"""司法救助 on fees: 缓交 (defer), 减交 (reduce), 免交 (waive) — 《诉讼费用交纳办法》 Art. 44–51.

- Applied for in writing, with proof of hardship (Art. 48 ¶1), at filing: one application under
  review per notice at a time; proofs are PDF, JPG or PNG, checked by their content.
- 免交 is for natural persons only (Art. 44 ¶2: 诉讼费用的免交只适用于自然人); a reduction is at
  least 30 % (Art. 46 ¶2: 人民法院准予减交诉讼费用的，减交比例不得低于30%); 缓交 (Art. 47) gives a
  new last day.
- The court decides; a refusal states its reasons in writing (Art. 48 ¶3).
- A granted relief adjusts the notice in the same transaction: 免交 relieves it, 减交 lowers
  what is due and gives a new 7 日 for it, 缓交 moves its last day. While an application is
  under review the notice is not marked overdue.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import PurePath

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from youjie.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from youjie.core.timeline import event_record
from youjie.fees.choices import NoticeStatus, PayerKind, ReliefKind, ReliefStatus
from youjie.fees.models import NAME_MAX, TEXT_MAX, FeeNotice, ReliefApplication, ReliefAttachment
from youjie.fees.permissions import can_decide_relief
from youjie.fees.services.common import (
    CENT,
    Errors,
    add_error,
    case_event,
    clean_text,
    notice_status_set,
    raise_if_errors,
    relief_status_set,
    sms_to_payer,
    today,
    yuan,
)
from youjie.fees.services.notices import notice_due_on
from youjie.orgs.models import User

MIN_REDUCTION = 30  # per cent (Art. 46 ¶2)
MAX_REDUCTION = 99  # 100 % is a waiver
MAX_DEFERRAL = timedelta(days=366)
MAX_FILES = 5
FILE_NAME_MAX = 100
ALLOWED_TYPES: dict[str, tuple[str, bytes]] = {
    ".pdf": ("application/pdf", b"%PDF-"),
    ".jpg": ("image/jpeg", b"\xff\xd8\xff"),
    ".jpeg": ("image/jpeg", b"\xff\xd8\xff"),
    ".png": ("image/png", b"\x89PNG\r\n\x1a\n"),
}
APPLICANT = "申请人"


def max_upload_bytes() -> int:
    return int(getattr(settings, "YOUJIE_MAX_UPLOAD_BYTES", 10 * 1024 * 1024))


@dataclass(frozen=True)
class CheckedFile:
    uploaded: UploadedFile
    name: str
    content_type: str
    size: int
    sha256: str


def _check_file(errors: Errors, uploaded: UploadedFile) -> CheckedFile | None:
    """The safe name, type and digest of a proof (PDF, JPG, PNG by content and by extension,
    within the size limit); None after recording why it is refused."""
    raw_name = str(uploaded.name or "")
    if "\x00" in raw_name:
        add_error(errors, "files", "文件名含有无效字符")
        return None
    name = PurePath(raw_name).name.strip()[:FILE_NAME_MAX] or "证明材料"
    extension = PurePath(name).suffix.lower()
    size = int(uploaded.size or 0)
    limit = max_upload_bytes()
    if size == 0:
        add_error(errors, "files", f"文件“{name}”为空")
        return None
    if size > limit:
        add_error(errors, "files", f"文件“{name}”超过 {max(1, limit // (1024 * 1024))} MB")
        return None
    if extension not in ALLOWED_TYPES:
        add_error(errors, "files", f"文件“{name}”不是 PDF、JPG 或 PNG 格式")
        return None
    content_type, magic = ALLOWED_TYPES[extension]
    uploaded.seek(0)
    head = uploaded.read(len(magic))
    uploaded.seek(0)
    if head != magic:
        add_error(errors, "files", f"文件“{name}”的内容与扩展名不符")
        return None
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return CheckedFile(uploaded, name, content_type, size, digest.hexdigest())


def _check_kind_rules(
    errors: Errors,
    *,
    kind: str,
    applicant_kind: str,
    percent: int | None,
    until: date | None,
    notice: FeeNotice,
    percent_field: str,
    until_field: str,
) -> None:
    if kind == ReliefKind.WAIVE and applicant_kind != PayerKind.PERSON:
        add_error(
            errors, "kind", "诉讼费用的免交只适用于自然人（《诉讼费用交纳办法》第四十四条第二款）"
        )
    if kind == ReliefKind.REDUCE:
        if percent is None:
            add_error(errors, percent_field, "请填写减交比例")
        elif not MIN_REDUCTION <= percent <= MAX_REDUCTION:
            add_error(
                errors,
                percent_field,
                f"减交比例不得低于{MIN_REDUCTION}%（《诉讼费用交纳办法》第四十六条第二款），且应低于100%",
            )
    if kind == ReliefKind.DEFER:
        if until is None:
            add_error(errors, until_field, "请填写缓交至的日期")
        elif until <= notice.due_on:
            add_error(errors, until_field, f"缓交日期应晚于原缴费期限（{notice.due_on:%Y-%m-%d}）")
        elif until > today() + MAX_DEFERRAL:
            add_error(errors, until_field, "缓交期限不能超过一年")


def relief_apply(
    *,
    notice: FeeNotice,
    kind: str,
    applicant_name: str,
    applicant_kind: str,
    reasons: str,
    files: Sequence[UploadedFile],
    requested_percent: int | None = None,
    requested_until: date | None = None,
    actor: User | None = None,
) -> ReliefApplication:
    """Apply for 缓交, 减交 or 免交 on ``notice`` (from the pay page, or by staff for a written
    application received at the counter: ``actor``)."""
    errors: Errors = {}
    if kind not in ReliefKind.values:
        add_error(errors, "kind", "请选择缓交、减交或免交")
    if applicant_kind not in PayerKind.values:
        add_error(errors, "applicant_kind", "请选择申请人类型")
    name = clean_text(
        errors, "applicant_name", "申请人", applicant_name, max_length=NAME_MAX, required=True
    )
    text = clean_text(errors, "reasons", "申请理由", reasons, max_length=TEXT_MAX, required=True)
    _check_kind_rules(
        errors,
        kind=kind,
        applicant_kind=applicant_kind,
        percent=requested_percent if kind == ReliefKind.REDUCE else None,
        until=requested_until if kind == ReliefKind.DEFER else None,
        notice=notice,
        percent_field="requested_percent",
        until_field="requested_until",
    )
    if not files:
        add_error(errors, "files", "请上传经济困难的证明材料（《诉讼费用交纳办法》第四十八条）")
    elif len(files) > MAX_FILES:
        add_error(errors, "files", f"证明材料最多{MAX_FILES}个文件")
    checked = [found for uploaded in files[:MAX_FILES] if (found := _check_file(errors, uploaded))]
    if notice.status != NoticeStatus.ISSUED:
        add_error(errors, "kind", f"该通知书{notice.get_status_display()}，不能再申请救助")
    raise_if_errors(errors, "救助申请未提交")
    who: User | str = actor or APPLICANT
    with transaction.atomic():
        locked = FeeNotice.objects.select_for_update().get(pk=notice.pk)
        if locked.status != NoticeStatus.ISSUED:
            raise InvalidTransition(f"该通知书{locked.get_status_display()}，不能再申请救助")
        try:
            with transaction.atomic():
                application = ReliefApplication.objects.create(
                    notice=locked,
                    kind=kind,
                    applicant_name=name,
                    applicant_kind=applicant_kind,
                    reasons=text,
                    requested_percent=requested_percent if kind == ReliefKind.REDUCE else None,
                    requested_until=requested_until if kind == ReliefKind.DEFER else None,
                    submitted_online=actor is None,
                )
        except IntegrityError as exc:
            message = "该通知书已有一份救助申请正在审查，请等待决定"
            raise ValidationFailed(
                message, code="relief_pending", fields={"kind": [message]}
            ) from exc
        for proof in checked:
            attachment = ReliefAttachment(
                application=application,
                original_name=proof.name,
                content_type=proof.content_type,
                size=proof.size,
                sha256=proof.sha256,
            )
            stored = f"{proof.sha256[:16]}{PurePath(proof.name).suffix.lower()}"
            attachment.file.save(stored, proof.uploaded, save=False)
            attachment.save()
        details = {
            "kind": application.get_kind_display(),
            "applicant": name,
            "files": len(checked),
        }
        event_record(
            subject=application,
            verb="applied",
            actor=who,
            to_state=application.status,
            data=details,
        )
        event_record(subject=locked, verb="relief_applied", actor=who, data=details)
    return application


def relief_decide(
    *,
    actor: User,
    application: ReliefApplication,
    grant: bool,
    reasons: str,
    percent: int | None = None,
    until: date | None = None,
) -> ReliefApplication:
    """Grant or refuse a relief application; a refusal needs written reasons (Art. 48 ¶3). A
    grant adjusts the notice (see the module's docstring)."""
    if not can_decide_relief(actor):
        raise PermissionDenied("只有院领导或庭长可以决定诉讼费救助申请")
    if application.status != ReliefStatus.PENDING:
        raise InvalidTransition(f"该申请已{application.get_status_display()}", code="stale")
    errors: Errors = {}
    text = clean_text(
        errors, "reasons", "决定理由", reasons, max_length=TEXT_MAX, required=not grant
    )
    notice = application.notice
    if grant:
        _check_kind_rules(
            errors,
            kind=application.kind,
            applicant_kind=application.applicant_kind,
            percent=percent if application.kind == ReliefKind.REDUCE else None,
            until=until if application.kind == ReliefKind.DEFER else None,
            notice=notice,
            percent_field="percent",
            until_field="until",
        )
    raise_if_errors(errors, "无法作出决定")
    with transaction.atomic():
        locked = ReliefApplication.objects.select_for_update().get(pk=application.pk)
        if locked.status != ReliefStatus.PENDING:
            raise InvalidTransition(f"该申请已{locked.get_status_display()}", code="stale")
        notice = (
            FeeNotice.objects.select_for_update()
            .select_related("court_case", "court")
            .get(pk=locked.notice_id)
        )
        if grant and notice.status != NoticeStatus.ISSUED:
            raise InvalidTransition(f"该通知书{notice.get_status_display()}，不能再准予救助")
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.decision_reasons = text
        details: dict[str, str] = {"kind": locked.get_kind_display()}
        if not grant:
            relief_status_set(
                application=locked,
                to_status=ReliefStatus.REFUSED,
                actor=actor,
                verb="refused",
                reason=text,
                update_fields=["decided_by", "decided_at", "decision_reasons"],
            )
            event_record(
                subject=notice, verb="relief_refused", actor=actor, reason=text, data=details
            )
            case_event(
                notice=notice, verb="fee_relief_refused", actor=actor, reason=text, data=details
            )
            sms_to_payer(
                notice=notice,
                key=f"relief:{locked.pk}",
                text=f"您的诉讼费{locked.get_kind_display()}申请不予准许，理由：{text[:60]}。请于{notice.due_on:%Y年%m月%d日}前缴纳。",
            )
            return locked
        if locked.kind == ReliefKind.REDUCE:
            assert percent is not None
            locked.granted_percent = percent
        if locked.kind == ReliefKind.DEFER:
            locked.granted_until = until
        relief_status_set(
            application=locked,
            to_status=ReliefStatus.GRANTED,
            actor=actor,
            verb="granted",
            reason=text,
            update_fields=[
                "decided_by",
                "decided_at",
                "decision_reasons",
                "granted_percent",
                "granted_until",
            ],
        )
        _adjust_notice(notice=notice, application=locked, actor=actor, details=details)
    return locked


def _adjust_notice(
    *, notice: FeeNotice, application: ReliefApplication, actor: User, details: dict[str, str]
) -> None:
    if application.kind == ReliefKind.WAIVE:
        notice.amount_due = Decimal("0.00")
        notice_status_set(
            notice=notice,
            to_status=NoticeStatus.RELIEVED,
            actor=actor,
            verb="relieved",
            reason="准予免交诉讼费用",
            data=details,
            update_fields=["amount_due"],
        )
        case_event(notice=notice, verb="fee_relief_granted", actor=actor, data=details)
        sms_to_payer(
            notice=notice,
            key=f"relief:{application.pk}",
            text=f"您的诉讼费免交申请已准许，通知书{notice.number}无需缴费。",
        )
        return
    if application.kind == ReliefKind.REDUCE:
        assert application.granted_percent is not None
        keep = Decimal(100 - application.granted_percent) / 100
        notice.amount_due = (notice.total_amount * keep).quantize(CENT, rounding=ROUND_HALF_UP)
        # The reduced amount gets its own 7 日 from the day after the decision (Art. 22).
        notice.due_on = max(notice.due_on, notice_due_on(today()))
        details.update(
            percent=str(application.granted_percent), amount_due=f"{notice.amount_due:.2f}"
        )
    else:
        assert application.granted_until is not None
        notice.due_on = application.granted_until
    details["due_on"] = notice.due_on.isoformat()
    notice.save(update_fields=["amount_due", "due_on", "updated_at"])
    event_record(subject=notice, verb="relief_granted", actor=actor, data=details)
    case_event(notice=notice, verb="fee_relief_granted", actor=actor, data=details)
    sms_to_payer(
        notice=notice,
        key=f"relief:{application.pk}",
        text=(
            f"您的诉讼费{application.get_kind_display()}申请已准许，应交{yuan(notice.amount_due)}，"
            f"请于{notice.due_on:%Y年%m月%d日}前缴纳。"
        ),
    )
