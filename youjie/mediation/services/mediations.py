"""A mediation from delegation to its end.

- ``mediation_delegate``: court staff of the filing's competent court delegate a filing whose
  party consented (``Filing.mediation_consent``) to a mediation organisation and mediator
  (委派调解) or keep it (法官+调解); the filing moves to MEDIATION; the mediator is told.
- ``mediation_accept``: the mediator confirms; the 30-day clock starts (在线调解规则 Art. 24).
- ``mediation_extend``: a later due date agreed by all parties, with its reason.
- ``mediation_agree``: the agreement and the day it took effect.
- ``mediation_fail``: the filing goes back to review by itself, nothing retyped, with a new
  7-day decision date (民事诉讼法 Art. 126).
- ``mediation_withdraw``: the party withdraws the filing.
- ``mediation_close``: an agreement closed by a judicial confirmation (called by
  ``confirmation_decide``) or by a mediation document; the filing is settled.

Each runs in one transaction and writes its events: on the mediation's timeline and, at
delegate, accept, agree, fail, withdraw and close, on the filing's.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import timezone

from youjie.core.errors import Conflict, PermissionDenied, ValidationFailed
from youjie.core.timeline import event_record
from youjie.courtcases.numbers import parse_case_number
from youjie.filings.choices import FilingStatus
from youjie.filings.models import Filing
from youjie.filings.services.common import filing_status_set
from youjie.mediation import deadlines
from youjie.mediation.choices import (
    CloseKind,
    ConfirmationStatus,
    MediationMode,
    MediationStatus,
)
from youjie.mediation.models import (
    REASON_MAX,
    TEXT_MAX,
    Mediation,
    MediationDocument,
    MediationExtension,
)
from youjie.mediation.permissions import (
    COURT_MEDIATOR_ROLES,
    can_conduct,
    can_decide,
    can_delegate,
    can_end,
)
from youjie.mediation.selectors import mediation_organisations
from youjie.mediation.services.common import (
    MEDIATION_TYPE_CODE,
    Errors,
    add_error,
    check_day,
    clean_text,
    mediation_status_set,
    next_case_number,
    notify_staff,
    raise_if_errors,
    refuse_state,
    sms_to_parties,
    today,
)
from youjie.orgs.choices import Role
from youjie.orgs.models import OrgUnit, User

EXTENSION_MAX_DAYS = 365
NOTE_MAX = REASON_MAX
# A mediation document closes an agreed mediation under a first-instance or a pre-litigation
# mediation number of the delegating court.
DOCUMENT_TYPE_CODES = ("民初", MEDIATION_TYPE_CODE)


def _status_label(mediation: Mediation) -> str:
    return MediationStatus(mediation.status).label


# --- delegation -------------------------------------------------------------------------------


def _check_mediator(
    errors: Errors,
    *,
    court: OrgUnit,
    mode: str,
    organisation: OrgUnit | None,
    mediator: User | None,
) -> None:
    if mode not in MediationMode.values:
        add_error(errors, "mode", "请选择调解方式")
        return
    if mediator is None:
        add_error(errors, "mediator", "请选择调解员")
    elif not mediator.is_active:
        add_error(errors, "mediator", "该调解员账号已停用")
    if mode == MediationMode.DELEGATED:
        allowed = set(mediation_organisations(court).values_list("pk", flat=True))
        if organisation is None:
            add_error(errors, "organisation", "委派调解须选择调解组织")
        elif organisation.pk not in allowed:
            add_error(errors, "organisation", f"“{organisation.name}”不是本院可委派的调解组织")
        elif mediator is not None and (
            mediator.org_unit_id != organisation.pk or not mediator.has_role(Role.MEDIATOR)
        ):
            add_error(errors, "mediator", f"所选调解员不是“{organisation.name}”的调解员")
    else:
        if organisation is not None:
            add_error(errors, "organisation", "法官+调解由本院调解，不选调解组织")
        elif mediator is not None and not _court_mediator(mediator, court):
            add_error(errors, "mediator", "法官+调解须由本院法官或特邀调解员主持")


def _court_mediator(user: User, court: OrgUnit) -> bool:
    """A judge or a mediator who sits in ``court`` (its own 特邀调解员 included)."""
    unit = user.org_unit
    return (
        user.has_role(*COURT_MEDIATOR_ROLES)
        and unit is not None
        and bool(court.path)
        and unit.path.startswith(court.path)
    )


def mediation_delegate(
    *,
    actor: User,
    filing: Filing,
    mode: str,
    mediator: User | None,
    organisation: OrgUnit | None = None,
    note: str = "",
) -> Mediation:
    """Delegate ``filing`` to mediation. Refused without the party's consent, outside review,
    or for a filing mediated before (one pre-litigation mediation per filing)."""
    court = filing.competent_court
    if not can_delegate(actor, court):
        raise PermissionDenied("只有管辖法院的工作人员可以委派诉前调解")
    if not filing.mediation_consent:
        message = "当事人未同意诉前调解，不能委派调解（诉前调解须经当事人同意）"
        raise ValidationFailed(
            message, code="mediation_consent_missing", fields={"filing": [message]}
        )
    if Mediation.objects.filter(filing=filing).exists():
        raise Conflict("该立案申请已经委派过诉前调解", code="mediation_exists")
    if filing.status != FilingStatus.REVIEW:
        raise refuse_state("立案申请", FilingStatus(filing.status).label)
    errors: Errors = {}
    _check_mediator(errors, court=court, mode=mode, organisation=organisation, mediator=mediator)
    note = clean_text(errors, "note", "委派说明", note, max_length=NOTE_MAX)
    raise_if_errors(errors, "不能委派调解")
    assert mediator is not None
    now = timezone.now()
    received = filing.competent_received_at or filing.submitted_at
    with transaction.atomic():
        locked = Filing.objects.select_for_update().get(pk=filing.pk)
        if locked.status != FilingStatus.REVIEW or Mediation.objects.filter(filing=filing).exists():
            raise Conflict("该立案申请已被他人处理，请刷新后重试", code="stale")
        mediation = Mediation.objects.create(
            number=next_case_number(
                court=court, type_code=MEDIATION_TYPE_CODE, year=deadlines.local_date(now).year
            ),
            filing=filing,
            court=court,
            mode=mode,
            organisation=organisation if mode == MediationMode.DELEGATED else None,
            mediator=mediator,
            applied_on=deadlines.local_date(received),
            assigned_at=now,
            assigned_by=actor,
        )
        data = {
            "number": mediation.number,
            "mode": mode,
            "organisation": organisation.name if organisation else "",
            "mediator": mediator.get_full_name(),
            "accept_due": deadlines.accept_due(deadlines.local_date(now)).isoformat(),
        }
        event_record(
            subject=mediation,
            verb="delegated",
            actor=actor,
            to_state=MediationStatus.ASSIGNED,
            reason=note,
            data={**data, "filing": filing.number},
        )
        filing_status_set(
            filing=filing,
            to_status=FilingStatus.MEDIATION,
            actor=actor,
            verb="mediation_delegated",
            reason=note,
            data=data,
        )
        notify_staff(
            user=mediator,
            mediation=mediation,
            subject=f"诉前调解委派：{mediation.number}",
            body=(
                f"{court.name}委派您调解{filing.number}（{filing.cause}）。请于"
                f"{data['accept_due']}前确认是否接受（在线调解规则第十二条：3个工作日内）。"
            ),
            key="delegated",
        )
    return mediation


# --- acceptance, extension --------------------------------------------------------------------


def mediation_accept(*, actor: User, mediation: Mediation) -> Mediation:
    """The mediator confirms acceptance: the 30-day clock starts today (Art. 24)."""
    if not can_conduct(actor, mediation):
        raise PermissionDenied("只有被委派的调解员可以确认接受调解")
    if mediation.status != MediationStatus.ASSIGNED:
        raise refuse_state("调解", _status_label(mediation))
    now = timezone.now()
    due = deadlines.mediation_due(deadlines.local_date(now))
    with transaction.atomic():
        mediation.accepted_at = now
        mediation.due_on = due
        mediation.original_due_on = due
        mediation_status_set(
            mediation=mediation,
            to_status=MediationStatus.ACCEPTED,
            actor=actor,
            verb="accepted",
            data={"due_on": due.isoformat()},
            update_fields=["accepted_at", "due_on", "original_due_on"],
        )
        event_record(
            subject=mediation.filing,
            verb="mediation_accepted",
            actor=actor,
            data={"mediation": mediation.number, "due_on": due.isoformat()},
        )
    return mediation


def mediation_extend(
    *,
    actor: User,
    mediation: Mediation,
    new_due_on: date | None,
    reason: str,
    all_parties_agreed: bool,
) -> MediationExtension:
    """A later due date, agreed by all parties (Art. 24), recorded with its reason."""
    if not can_conduct(actor, mediation):
        raise PermissionDenied("只有被委派的调解员可以延长调解期限")
    if mediation.status != MediationStatus.ACCEPTED or mediation.due_on is None:
        raise refuse_state("调解", _status_label(mediation))
    errors: Errors = {}
    if not all_parties_agreed:
        add_error(errors, "all_parties_agreed", "延长调解期限须经各方当事人同意")
    previous = mediation.due_on
    if new_due_on is None:
        add_error(errors, "new_due_on", "请填写延长后的期限")
    elif new_due_on <= previous:
        add_error(errors, "new_due_on", f"延长后的期限应晚于现期限（{previous:%Y-%m-%d}）")
    elif new_due_on > today() + timedelta(days=EXTENSION_MAX_DAYS):
        add_error(errors, "new_due_on", f"延长后的期限不能超过今天起{EXTENSION_MAX_DAYS}日")
    reason = clean_text(errors, "reason", "延长理由", reason, max_length=REASON_MAX, required=True)
    raise_if_errors(errors, "不能延长调解期限")
    assert new_due_on is not None
    with transaction.atomic():
        extension = MediationExtension.objects.create(
            mediation=mediation,
            previous_due_on=previous,
            new_due_on=new_due_on,
            reason=reason,
            recorded_by=actor,
        )
        mediation.due_on = new_due_on
        mediation.save(update_fields=["due_on", "updated_at"])
        event_record(
            subject=mediation,
            verb="extended",
            actor=actor,
            reason=reason,
            data={"from": previous.isoformat(), "to": new_due_on.isoformat()},
        )
    return extension


# --- outcomes ---------------------------------------------------------------------------------


def mediation_agree(
    *, actor: User, mediation: Mediation, agreement: str, agreed_on: date | None
) -> Mediation:
    """The parties reached an agreement, in effect from ``agreed_on`` (signed by all: Art. 19);
    the 30 days to apply for a judicial confirmation run from then."""
    if not can_conduct(actor, mediation):
        raise PermissionDenied("只有被委派的调解员可以登记调解协议")
    if mediation.status != MediationStatus.ACCEPTED or mediation.accepted_at is None:
        raise refuse_state("调解", _status_label(mediation))
    errors: Errors = {}
    agreement = clean_text(
        errors, "agreement", "调解协议内容", agreement, max_length=TEXT_MAX, required=True
    )
    accepted_on = deadlines.local_date(mediation.accepted_at)
    check_day(
        errors,
        "agreed_on",
        "协议生效日期",
        agreed_on,
        earliest=accepted_on,
        earliest_what="确认接受调解之日",
    )
    raise_if_errors(errors, "不能登记调解协议")
    assert agreed_on is not None
    with transaction.atomic():
        mediation.agreement = agreement
        mediation.agreed_on = agreed_on
        apply_due = deadlines.confirmation_apply_due(agreed_on).isoformat()
        mediation_status_set(
            mediation=mediation,
            to_status=MediationStatus.AGREED,
            actor=actor,
            verb="agreed",
            data={"agreed_on": agreed_on.isoformat(), "confirmation_apply_due": apply_due},
            update_fields=["agreement", "agreed_on"],
        )
        event_record(
            subject=mediation.filing,
            verb="mediation_agreed",
            actor=actor,
            data={"mediation": mediation.number, "agreed_on": agreed_on.isoformat()},
        )
    return mediation


def mediation_fail(*, actor: User, mediation: Mediation, reason: str) -> Mediation:
    """The mediation failed: the filing goes back to review by itself (nothing retyped), to be
    decided within 7 days from today (民事诉讼法 Art. 126; 在线调解规则 Art. 21)."""
    if not can_end(actor, mediation):
        raise PermissionDenied("只有调解员或委派法院的工作人员可以登记调解不成")
    if mediation.status not in (
        MediationStatus.ASSIGNED,
        MediationStatus.ACCEPTED,
        MediationStatus.AGREED,
    ):
        raise refuse_state("调解", _status_label(mediation))
    confirmation = getattr(mediation, "confirmation", None)
    if confirmation is not None and confirmation.status in (
        ConfirmationStatus.APPLIED,
        ConfirmationStatus.ACCEPTED,
    ):
        message = "司法确认申请尚在审查中，待法院作出决定后再登记"
        raise ValidationFailed(message, code="confirmation_pending", fields={"__all__": [message]})
    errors: Errors = {}
    reason = clean_text(
        errors, "reason", "调解不成原因", reason, max_length=REASON_MAX, required=True
    )
    raise_if_errors(errors, "不能登记调解不成")
    now = timezone.now()
    review_due = deadlines.review_due(deadlines.local_date(now))
    filing = mediation.filing
    with transaction.atomic():
        mediation.failure_reason = reason
        mediation.ended_at = now
        mediation_status_set(
            mediation=mediation,
            to_status=MediationStatus.FAILED,
            actor=actor,
            verb="failed",
            reason=reason,
            update_fields=["failure_reason", "ended_at"],
        )
        filing.decision_due = review_due
        filing_status_set(
            filing=filing,
            to_status=FilingStatus.REVIEW,
            actor=actor,
            verb="mediation_failed",
            reason=reason,
            data={"mediation": mediation.number, "decision_due": review_due.isoformat()},
            update_fields=["decision_due"],
        )
        sms_to_parties(
            mediation=mediation,
            body=(
                f"您的纠纷诉前调解（{mediation.number}）未能达成协议，已转入立案审查，"
                f"无需重新提交材料。"
            ),
            key="failed",
            about=mediation,
        )
    return mediation


def mediation_withdraw(*, actor: User, mediation: Mediation, reason: str) -> Mediation:
    """The party withdraws the filing during mediation: both end."""
    if not can_end(actor, mediation):
        raise PermissionDenied("只有调解员或委派法院的工作人员可以登记撤回")
    if mediation.status not in (MediationStatus.ASSIGNED, MediationStatus.ACCEPTED):
        raise refuse_state("调解", _status_label(mediation))
    errors: Errors = {}
    reason = clean_text(errors, "reason", "撤回原因", reason, max_length=REASON_MAX, required=True)
    raise_if_errors(errors, "不能登记撤回")
    with transaction.atomic():
        mediation.ended_at = timezone.now()
        mediation_status_set(
            mediation=mediation,
            to_status=MediationStatus.WITHDRAWN,
            actor=actor,
            verb="withdrawn",
            reason=reason,
            update_fields=["ended_at"],
        )
        filing_status_set(
            filing=mediation.filing,
            to_status=FilingStatus.WITHDRAWN,
            actor=actor,
            verb="withdrawn_in_mediation",
            reason=reason,
            data={"mediation": mediation.number},
        )
    return mediation


def mediation_close(
    *,
    actor: User,
    mediation: Mediation,
    kind: str,
    case_number: str = "",
    issued_on: date | None = None,
    summary: str = "",
) -> Mediation:
    """Close an agreed mediation: by its confirmed judicial confirmation, or by a mediation
    document (调解书) of the court, recorded here. The filing is settled."""
    if not can_decide(actor, mediation):
        raise PermissionDenied("只有委派法院的法官、庭长或院领导可以结案")
    if mediation.status != MediationStatus.AGREED or mediation.agreed_on is None:
        raise refuse_state("调解", _status_label(mediation))
    confirmation = getattr(mediation, "confirmation", None)
    if kind == CloseKind.CONFIRMATION:
        if confirmation is None or confirmation.status != ConfirmationStatus.CONFIRMED:
            message = "调解协议尚未经司法确认"
            raise ValidationFailed(message, code="not_confirmed", fields={"__all__": [message]})
        return _close(actor, mediation, MediationStatus.CLOSED_CONFIRMED, confirmation.case_number)
    if kind != CloseKind.DOCUMENT:
        raise ValidationFailed("结案方式无效", fields={"kind": ["结案方式无效"]})
    if confirmation is not None and confirmation.status in (
        ConfirmationStatus.APPLIED,
        ConfirmationStatus.ACCEPTED,
    ):
        message = "司法确认申请尚在审查中，不能另行出具调解书"
        raise ValidationFailed(message, code="confirmation_pending", fields={"__all__": [message]})
    errors: Errors = {}
    number = _document_number(errors, mediation, case_number)
    check_day(
        errors,
        "issued_on",
        "出具日期",
        issued_on,
        earliest=mediation.agreed_on,
        earliest_what="协议生效日期",
    )
    summary = clean_text(errors, "summary", "调解书内容摘要", summary, max_length=TEXT_MAX)
    raise_if_errors(errors, "不能登记调解书")
    assert issued_on is not None
    with transaction.atomic():
        MediationDocument.objects.create(
            mediation=mediation,
            case_number=number,
            issued_on=issued_on,
            summary=summary,
            recorded_by=actor,
        )
        return _close(actor, mediation, MediationStatus.CLOSED_DOCUMENT, number)


def _document_number(errors: Errors, mediation: Mediation, text: str) -> str:
    text = clean_text(errors, "case_number", "调解书案号", text, max_length=60, required=True)
    if not text or errors.get("case_number"):
        return text
    try:
        parsed = parse_case_number(text)
    except DjangoValidationError:
        add_error(errors, "case_number", "案号格式不正确，应如（2026）内0206民初123号")
        return text
    if parsed.court_code != mediation.court.court_code:
        add_error(errors, "case_number", f"案号的法院代字应为{mediation.court.court_code}")
    elif parsed.type_code not in DOCUMENT_TYPE_CODES:
        add_error(errors, "case_number", "调解书案号的类型代字应为 民初 或 民诉前调")
    elif MediationDocument.objects.filter(case_number=parsed.canonical).exists():
        add_error(errors, "case_number", "该案号已登记过调解书")
    return parsed.canonical


def _close(actor: User, mediation: Mediation, to_status: str, number: str) -> Mediation:
    with transaction.atomic():
        mediation.ended_at = timezone.now()
        mediation_status_set(
            mediation=mediation,
            to_status=to_status,
            actor=actor,
            verb="closed",
            data={"case_number": number},
            update_fields=["ended_at"],
        )
        filing_status_set(
            filing=mediation.filing,
            to_status=FilingStatus.SETTLED,
            actor=actor,
            verb="mediation_settled",
            data={"mediation": mediation.number, "case_number": number},
        )
    return mediation
