"""Issuing, cancelling and overdue fee notices (缴费通知书, 《诉讼费用交纳办法》 Art. 20–22).

A notice is computed by the calculator from the kind of case, the amount and the procedure
(its lines with their articles shown before issuing: ``notice_preview``), numbered per court and
year, and due within 7 日 counted from the day after it is issued (Art. 22; ../shared/DOMAIN.md
§0: the start day not counted, a last day on a holiday moved to the next working day —
``statutory_deadline``). Unpaid after that, without a relief application under review, it is
overdue (``fee_notice_mark_overdue``); the filings app treats such an accepted filing as
withdrawn (登记立案规定 Art. 11), reading ``selectors.fee_notices_overdue_unpaid``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from youjie.core.crypto import encrypt_text
from youjie.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from youjie.core.idempotency import Idempotency, run_once
from youjie.core.timeline import Actor, event_record
from youjie.courtcases.choices import PartyRole
from youjie.courtcases.models import CaseParty, CourtCase
from youjie.fees.calculator import AUTHORITATIVE_NOTE, FeeEstimate, estimate, money
from youjie.fees.choices import AdministrativeSubject, NoticeStatus, PayerKind, Procedure
from youjie.fees.models import NAME_MAX, FeeNotice
from youjie.fees.permissions import can_cancel_notice, can_issue_notice
from youjie.fees.policy import fees_policy
from youjie.fees.selectors import fee_notices_overdue_unpaid
from youjie.fees.services.common import (
    Errors,
    add_error,
    case_event,
    clean_text,
    new_token,
    next_notice_sequence,
    notice_number,
    notice_status_set,
    pay_path,
    public_link,
    raise_if_errors,
    sms_to_payer,
    today,
    yuan,
)
from youjie.orgs.models import User
from youjie.orgs.scoping import can_see
from youjie.people.validators import mask_mobile, normalize_mobile
from youjie.workdays.calendar import statutory_deadline

# Art. 22: 自接到人民法院交纳诉讼费用通知次日起7日内交纳.
PAYMENT_DAYS = 7
REASON_MAX = 500


@dataclass(frozen=True)
class NoticeInput:
    """What a notice is computed from and whom it is addressed to."""

    fee_kind: str
    amount: Decimal | None
    procedure: str = Procedure.ORDINARY
    administrative_subject: str = AdministrativeSubject.OTHER
    party: CaseParty | None = None
    payer_name: str = ""
    payer_role: str = ""
    payer_kind: str = PayerKind.PERSON
    payer_phone: str = ""


def notice_due_on(issued_on: date) -> date:
    """The last day to pay: 7 日 from the day after the notice (Art. 22), a last day on a
    holiday moved to the next working day (民事诉讼法 Art. 85)."""
    return statutory_deadline(issued_on, PAYMENT_DAYS)


def notice_preview(*, data: NoticeInput) -> FeeEstimate:
    """The calculator's result for ``data`` (the lines with their articles), refused when it is
    not one figure a party can be told to pay."""
    policy = fees_policy()
    result = estimate(
        kind=data.fee_kind,
        amount=data.amount,
        procedure=data.procedure,
        administrative_subject=data.administrative_subject,
        rounding=policy.rounding,
        per_case_standards=policy.per_case_standards,
    )
    if result.is_range:
        message = (
            f"该类案件的费用为{money(result.fee_min)}元至{money(result.fee_max)}元，"
            "须先配置本省（区）的收费标准（YOUJIE_FEES_POLICY）才能开具缴费通知书"
        )
        raise ValidationFailed(message, code="fee_range", fields={"fee_kind": [message]})
    if result.fee_min <= 0:
        message = "应交金额为零，无需开具缴费通知书"
        raise ValidationFailed(message, code="fee_zero", fields={"fee_kind": [message]})
    return result


def _payer(errors: Errors, court_case: CourtCase, data: NoticeInput) -> tuple[str, str, str]:
    """(name, role, kind) of the payer: a party of the case, or one typed in."""
    if data.party is not None:
        if data.party.court_case_id != court_case.pk:
            add_error(errors, "party", "所选当事人不是本案当事人")
            return "", "", ""
        kind = PayerKind.ORGANISATION if data.party.enterprise_id else PayerKind.PERSON
        return data.party.name[:NAME_MAX], data.party.role, kind
    name = clean_text(errors, "payer_name", "交费人", data.payer_name, max_length=NAME_MAX)
    if not name:
        add_error(errors, "party", "请选择交费的当事人或填写交费人")
    if data.payer_role not in PartyRole.values:
        add_error(errors, "payer_role", "请选择交费人的诉讼地位")
    if data.payer_kind not in PayerKind.values:
        add_error(errors, "payer_kind", "请选择交费人类型")
    return name, data.payer_role, data.payer_kind


def notice_issue(
    *,
    actor: User,
    court_case: CourtCase,
    data: NoticeInput,
    idempotency: Idempotency | None = None,
) -> tuple[FeeNotice, bool]:
    """Issue a fee notice for ``court_case``: (notice, created). Its lines and total are the
    calculator's, its number the court's next of the year, due in 7 日; the payer gets an SMS
    with the pay page's address when a phone is given."""
    if not can_issue_notice(actor) or not can_see(court_case, actor):
        raise PermissionDenied("只有本院立案、审判人员可以开具缴费通知书")
    errors: Errors = {}
    name, role, kind = _payer(errors, court_case, data)
    phone = ""
    if data.payer_phone.strip():
        try:
            phone = normalize_mobile(data.payer_phone)
        except ValidationError as exc:
            add_error(errors, "payer_phone", exc.messages[0])
    raise_if_errors(errors, "无法开具缴费通知书")
    result = notice_preview(data=data)

    def create() -> FeeNotice:
        now = timezone.now()
        issued_on = today()
        sequence = next_notice_sequence(court=court_case.court, year=issued_on.year)
        token, token_encrypted, token_digest = new_token()
        notice = FeeNotice.objects.create(
            court_case=court_case,
            court=court_case.court,
            number=notice_number(
                court_code=court_case.court_code, year=issued_on.year, sequence=sequence
            ),
            year=issued_on.year,
            sequence=sequence,
            party=data.party,
            payer_name=name,
            payer_role=role,
            payer_kind=kind,
            payer_phone_encrypted=encrypt_text(phone) if phone else "",
            payer_phone_masked=mask_mobile(phone) if phone else "",
            fee_kind=result.kind,
            fee_type=result.fee_type,
            procedure=result.procedure,
            claim_amount=result.amount,
            lines=[
                {
                    "label": line.label,
                    "amount": f"{line.amount:.2f}",
                    "article": line.article,
                    "basis": line.basis,
                }
                for line in result.lines
            ],
            # The calculator's "仅供参考" note is for estimates: the notice is the authority.
            notes=[note for note in result.notes if note != AUTHORITATIVE_NOTE],
            total_amount=result.fee_min,
            amount_due=result.fee_min,
            issued_at=now,
            issued_by=actor,
            due_on=notice_due_on(issued_on),
            token_encrypted=token_encrypted,
            token_hash=token_digest,
        )
        details = {"total": f"{notice.total_amount:.2f}", "due_on": notice.due_on.isoformat()}
        event_record(
            subject=notice, verb="issued", actor=actor, to_state=notice.status, data=details
        )
        case_event(notice=notice, verb="fee_notice_issued", actor=actor, data=details)
        sms_to_payer(
            notice=notice,
            key="issued",
            text=(
                f"您在{court_case.case_number}案件中应交纳{result.fee_label}"
                f"{yuan(notice.amount_due)}，请于{notice.due_on:%Y年%m月%d日}前缴纳。"
                f"扫码或打开链接缴费：{public_link(pay_path(token))}"
            ),
        )
        return notice

    return run_once(model=FeeNotice, idempotency=idempotency, create=create)


def notice_cancel(*, actor: User, notice: FeeNotice, reason: str) -> FeeNotice:
    """The court withdraws a notice (issued in error, superseded): nothing more is due on it.
    A notice with money paid on it is refunded, not cancelled."""
    if not can_cancel_notice(actor):
        raise PermissionDenied("只有立案庭工作人员或院领导可以撤销缴费通知书")
    errors: Errors = {}
    reason = clean_text(errors, "reason", "撤销理由", reason, max_length=REASON_MAX, required=True)
    raise_if_errors(errors, "无法撤销")
    with transaction.atomic():
        locked = (
            FeeNotice.objects.select_for_update().select_related("court_case").get(pk=notice.pk)
        )
        if locked.paid_amount > 0:
            raise InvalidTransition("该通知书已有缴费，不能撤销；如需退还请办理退费")
        notice_status_set(
            notice=locked,
            to_status=NoticeStatus.CANCELLED,
            actor=actor,
            verb="cancelled",
            reason=reason,
        )
        case_event(notice=locked, verb="fee_notice_cancelled", actor=actor, reason=reason, data={})
    return locked


def fee_notice_mark_overdue(
    *, notice: FeeNotice, actor: Actor = "系统", on: date | None = None
) -> FeeNotice | None:
    """Mark ``notice`` overdue if it still is: issued, unpaid, its last day before ``on``
    (today), no relief application under review. None when it no longer qualifies (paid or
    granted relief in the meantime). The event goes on the notice and on the court case."""
    on = on or today()
    with transaction.atomic():
        locked = (
            fee_notices_overdue_unpaid(on=on)
            .select_for_update(of=("self",))
            .select_related("court_case")
            .filter(pk=notice.pk)
            .first()
        )
        if locked is None:
            return None
        data = {"due_on": locked.due_on.isoformat(), "outstanding": f"{locked.outstanding:.2f}"}
        notice_status_set(
            notice=locked,
            to_status=NoticeStatus.OVERDUE,
            actor=actor,
            verb="overdue",
            reason=f"逾期未交纳诉讼费用（缴费期限{locked.due_on:%Y-%m-%d}）",
            data=data,
        )
        case_event(notice=locked, verb="fee_overdue", actor=actor, data=data)
    return locked


def fee_notices_mark_overdue(*, on: date | None = None, limit: int = 500) -> list[FeeNotice]:
    """The periodic sweep: every notice that became overdue, each in its own transaction."""
    on = on or today()
    marked = []
    for notice in list(fee_notices_overdue_unpaid(on=on).order_by("due_on", "id")[:limit]):
        done = fee_notice_mark_overdue(notice=notice, on=on)
        if done is not None:
            marked.append(done)
    return marked
