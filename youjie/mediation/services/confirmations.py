"""Judicial confirmation (司法确认) of an agreement reached in mediation.

- ``confirmation_apply``: the parties' joint application, within 30 days of the agreement taking
  effect (民事诉讼法 Art. 205; 人民调解法 Art. 33) — a late one is refused here, as the court
  would not accept it;
- ``confirmation_accept``: the court accepts (立案) within 3 days, the case gets its 民特 number
  (the format since 2016, 法〔2015〕137号; the 2011 rules' word was 调确字);
- ``confirmation_extend``: the 15-day decision period +10 days, with the president's approval
  (司法确认程序若干规定 Art. 5);
- ``confirmation_decide``: not accepted (from applied), or confirmed / refused (from accepted).
  A confirmation closes the mediation and settles the filing in the same transaction; a refusal
  leaves the agreement open to a mediation document or, on failure, to review.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from youjie.core.errors import Conflict, PermissionDenied, ValidationFailed
from youjie.core.timeline import event_record
from youjie.mediation import deadlines
from youjie.mediation.choices import CloseKind, ConfirmationStatus, MediationStatus
from youjie.mediation.models import (
    NAME_MAX,
    PLACE_MAX,
    REASON_MAX,
    JudicialConfirmation,
    Mediation,
)
from youjie.mediation.permissions import can_decide, can_end, can_register_confirmation
from youjie.mediation.services.common import (
    CONFIRMATION_TYPE_CODE,
    Errors,
    add_error,
    check_day,
    clean_text,
    confirmation_status_set,
    next_case_number,
    raise_if_errors,
    refuse_state,
)
from youjie.mediation.services.mediations import mediation_close
from youjie.orgs.models import User

DECISIONS = (
    ConfirmationStatus.NOT_ACCEPTED,
    ConfirmationStatus.CONFIRMED,
    ConfirmationStatus.REFUSED,
)


def _state(confirmation: JudicialConfirmation) -> str:
    return ConfirmationStatus(confirmation.status).label


def confirmation_apply(
    *, actor: User, mediation: Mediation, applicants: str, applied_on: date | None
) -> JudicialConfirmation:
    if not can_end(actor, mediation):
        raise PermissionDenied("只有调解员或委派法院的工作人员可以登记司法确认申请")
    if mediation.status != MediationStatus.AGREED or mediation.agreed_on is None:
        raise refuse_state("调解", MediationStatus(mediation.status).label)
    if JudicialConfirmation.objects.filter(mediation=mediation).exists():
        raise Conflict("该调解协议已申请过司法确认", code="confirmation_exists")
    errors: Errors = {}
    applicants = clean_text(
        errors, "applicants", "申请人", applicants, max_length=PLACE_MAX, required=True
    )
    check_day(
        errors,
        "applied_on",
        "申请日期",
        applied_on,
        earliest=mediation.agreed_on,
        earliest_what="协议生效日期",
    )
    due = deadlines.confirmation_apply_due(mediation.agreed_on)
    if applied_on is not None and not errors.get("applied_on") and applied_on > due:
        message = (
            f"已超过申请司法确认的期限（协议生效之日起30日内，至{due:%Y-%m-%d}；"
            "民事诉讼法第二百零五条）"
        )
        raise ValidationFailed(
            message, code="confirmation_too_late", fields={"applied_on": [message]}
        )
    raise_if_errors(errors, "不能登记司法确认申请")
    assert applied_on is not None
    with transaction.atomic():
        confirmation = JudicialConfirmation.objects.create(
            mediation=mediation, applicants=applicants, applied_on=applied_on, recorded_by=actor
        )
        data = {
            "applied_on": applied_on.isoformat(),
            "accept_due": deadlines.confirmation_accept_due(applied_on).isoformat(),
        }
        event_record(
            subject=confirmation,
            verb="applied",
            actor=actor,
            to_state=ConfirmationStatus.APPLIED,
            data=data,
        )
        event_record(subject=mediation, verb="confirmation_applied", actor=actor, data=data)
    return confirmation


def confirmation_accept(
    *, actor: User, confirmation: JudicialConfirmation, accepted_on: date | None
) -> JudicialConfirmation:
    """The court accepts the application: a 民特 number of the delegating court."""
    mediation = confirmation.mediation
    if not can_register_confirmation(actor, mediation):
        raise PermissionDenied("只有委派法院的工作人员可以受理司法确认申请")
    if confirmation.status != ConfirmationStatus.APPLIED:
        raise refuse_state("司法确认", _state(confirmation))
    errors: Errors = {}
    check_day(
        errors,
        "accepted_on",
        "受理日期",
        accepted_on,
        earliest=confirmation.applied_on,
        earliest_what="申请日期",
    )
    raise_if_errors(errors, "不能受理司法确认申请")
    assert accepted_on is not None
    with transaction.atomic():
        confirmation.accepted_on = accepted_on
        confirmation.case_number = next_case_number(
            court=mediation.court, type_code=CONFIRMATION_TYPE_CODE, year=accepted_on.year
        )
        decide_due = deadlines.confirmation_decide_due(accepted_on, extended=False)
        data = {"case_number": confirmation.case_number, "decide_due": decide_due.isoformat()}
        confirmation_status_set(
            confirmation=confirmation,
            to_status=ConfirmationStatus.ACCEPTED,
            actor=actor,
            verb="accepted",
            data=data,
            update_fields=["accepted_on", "case_number"],
        )
        event_record(subject=mediation, verb="confirmation_accepted", actor=actor, data=data)
    return confirmation


def confirmation_extend(
    *, actor: User, confirmation: JudicialConfirmation, approved_by: str, reason: str
) -> JudicialConfirmation:
    """+10 days to decide, with the president's approval (once)."""
    mediation = confirmation.mediation
    if not can_decide(actor, mediation):
        raise PermissionDenied("只有委派法院的法官、庭长或院领导可以延长审查期限")
    if confirmation.status != ConfirmationStatus.ACCEPTED or confirmation.accepted_on is None:
        raise refuse_state("司法确认", _state(confirmation))
    if confirmation.decision_extended:
        message = "审查期限已经延长过一次（经院长批准可延长10日）"
        raise ValidationFailed(message, code="already_extended", fields={"__all__": [message]})
    errors: Errors = {}
    approved_by = clean_text(
        errors, "approved_by", "批准的院长", approved_by, max_length=NAME_MAX, required=True
    )
    reason = clean_text(errors, "reason", "延长理由", reason, max_length=REASON_MAX, required=True)
    raise_if_errors(errors, "不能延长审查期限")
    with transaction.atomic():
        confirmation.decision_extended = True
        confirmation.extension_approved_by = approved_by
        confirmation.extension_reason = reason
        confirmation.save(
            update_fields=[
                "decision_extended",
                "extension_approved_by",
                "extension_reason",
                "updated_at",
            ]
        )
        due = deadlines.confirmation_decide_due(confirmation.accepted_on, extended=True)
        data = {"decide_due": due.isoformat(), "approved_by": approved_by}
        event_record(subject=confirmation, verb="extended", actor=actor, reason=reason, data=data)
        event_record(
            subject=mediation, verb="confirmation_extended", actor=actor, reason=reason, data=data
        )
    return confirmation


def confirmation_decide(
    *,
    actor: User,
    confirmation: JudicialConfirmation,
    result: str,
    decided_on: date | None,
    reason: str = "",
) -> JudicialConfirmation:
    """Not accepted (from applied), confirmed or refused (from accepted). A refusal or a
    non-acceptance states its reasons; a confirmation closes the mediation."""
    mediation = confirmation.mediation
    if not can_decide(actor, mediation):
        raise PermissionDenied("只有委派法院的法官、庭长或院领导可以作出司法确认决定")
    errors: Errors = {}
    if result not in DECISIONS:
        add_error(errors, "result", "请选择决定结果")
        raise_if_errors(errors, "不能作出决定")
    needed = (
        ConfirmationStatus.APPLIED
        if result == ConfirmationStatus.NOT_ACCEPTED
        else ConfirmationStatus.ACCEPTED
    )
    if confirmation.status != needed:
        raise refuse_state("司法确认", _state(confirmation))
    earliest = confirmation.accepted_on or confirmation.applied_on
    check_day(
        errors,
        "decided_on",
        "决定日期",
        decided_on,
        earliest=earliest,
        earliest_what="受理日期" if confirmation.accepted_on else "申请日期",
    )
    reason = clean_text(
        errors,
        "reason",
        "理由",
        reason,
        max_length=REASON_MAX,
        required=result != ConfirmationStatus.CONFIRMED,
    )
    raise_if_errors(errors, "不能作出决定")
    assert decided_on is not None
    with transaction.atomic():
        confirmation.decided_on = decided_on
        confirmation.reason = reason
        data = {"decided_on": decided_on.isoformat(), "case_number": confirmation.case_number}
        confirmation_status_set(
            confirmation=confirmation,
            to_status=result,
            actor=actor,
            verb="decided",
            reason=reason,
            data=data,
            update_fields=["decided_on", "reason"],
        )
        event_record(
            subject=mediation,
            verb=f"confirmation_{result}",
            actor=actor,
            reason=reason,
            data=data,
        )
        if result == ConfirmationStatus.CONFIRMED:
            mediation_close(actor=actor, mediation=mediation, kind=CloseKind.CONFIRMATION)
    return confirmation
