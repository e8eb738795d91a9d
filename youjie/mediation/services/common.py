"""What the mediation services share: the three status helpers, case numbers, input checks,
idempotent creation and the messages to parties and mediators.

``mediation_status_set``, ``session_status_set`` and ``confirmation_status_set`` are the only
places that assign a ``status`` in this app (tests/test_status_writes.py holds every module to
that): each checks its map in ``youjie.mediation.transitions``, saves and writes the event in
the caller's transaction. A filing's status moves only through
``youjie.filings.services.common.filing_status_set``.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from youjie.core.crypto import decrypt_text
from youjie.core.errors import InvalidTransition, ValidationFailed
from youjie.core.timeline import event_record
from youjie.courtcases.numbers import CaseNumber
from youjie.filings.models import Filing
from youjie.mediation.models import (
    CaseNumberCounter,
    JudicialConfirmation,
    Mediation,
    MediationSession,
)
from youjie.mediation.transitions import (
    CONFIRMATION_TRANSITIONS,
    MEDIATION_TRANSITIONS,
    SESSION_TRANSITIONS,
)
from youjie.notifications.recipients import recipient_normalise
from youjie.notifications.services import notification_enqueue
from youjie.notifications.sms import sms_length, sms_signature
from youjie.orgs.models import OrgUnit, User
from youjie.workdays.calendar import SHANGHAI

Errors = dict[str, list[str]]

# 民诉前调: the type word of a pre-litigation mediation number; 民特: special procedure, the
# judicial confirmation's (法〔2015〕137号 and 人民法院案件类型及其代字标准; the 2011 rules'
# "调确字" belongs to the number format before 2016).
MEDIATION_TYPE_CODE = "民诉前调"
CONFIRMATION_TYPE_CODE = "民特"


def today() -> date:
    """Today in Beijing time."""
    return timezone.localtime(timezone.now(), SHANGHAI).date()


# --- the status helpers -----------------------------------------------------------------------


def mediation_status_set(
    *,
    mediation: Mediation,
    to_status: str,
    actor: User | str,
    verb: str,
    reason: str = "",
    data: dict[str, Any] | None = None,
    update_fields: list[str] | None = None,
) -> None:
    """The only place that changes a mediation's ``status``: checks MEDIATION_TRANSITIONS,
    saves with ``update_fields`` and writes the event on the mediation's timeline."""
    source = mediation.status
    MEDIATION_TRANSITIONS.check(source, to_status)
    mediation.status = to_status
    mediation.save(update_fields=sorted({"status", "updated_at", *(update_fields or [])}))
    event_record(
        subject=mediation,
        verb=verb,
        actor=actor,
        from_state=source,
        to_state=to_status,
        reason=reason,
        data=data,
    )


def session_status_set(
    *,
    session: MediationSession,
    to_status: str,
    actor: User | str,
    verb: str,
    reason: str = "",
    data: dict[str, Any] | None = None,
    update_fields: list[str] | None = None,
) -> None:
    """The only place that changes a session's ``status`` (SESSION_TRANSITIONS); the event goes
    on the session's timeline."""
    source = session.status
    SESSION_TRANSITIONS.check(source, to_status)
    session.status = to_status
    session.save(update_fields=sorted({"status", *(update_fields or [])}))
    event_record(
        subject=session,
        verb=verb,
        actor=actor,
        from_state=source,
        to_state=to_status,
        reason=reason,
        data=data,
    )


def confirmation_status_set(
    *,
    confirmation: JudicialConfirmation,
    to_status: str,
    actor: User | str,
    verb: str,
    reason: str = "",
    data: dict[str, Any] | None = None,
    update_fields: list[str] | None = None,
) -> None:
    """The only place that changes a judicial confirmation's ``status``
    (CONFIRMATION_TRANSITIONS); the event goes on the confirmation's timeline."""
    source = confirmation.status
    CONFIRMATION_TRANSITIONS.check(source, to_status)
    confirmation.status = to_status
    confirmation.save(update_fields=sorted({"status", "updated_at", *(update_fields or [])}))
    event_record(
        subject=confirmation,
        verb=verb,
        actor=actor,
        from_state=source,
        to_state=to_status,
        reason=reason,
        data=data,
    )


# --- case numbers -----------------------------------------------------------------------------


def next_case_number(*, court: OrgUnit, type_code: str, year: int) -> str:
    """（2026）内0206民诉前调12号: the court's next number of ``type_code`` in ``year``. The
    counter row stays locked (``select_for_update``) until the calling transaction ends; a
    rollback gives the number back."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_case_number must run inside the numbering transaction")
    if not court.court_code:
        message = f"“{court.name}”未配置法院代字，不能编制案号"
        raise ValidationFailed(message, code="court_code_missing", fields={"court": [message]})
    counters = CaseNumberCounter.objects.select_for_update().filter(
        court=court, type_code=type_code, year=year
    )
    counter = counters.first()
    if counter is None:
        try:
            # A savepoint: a concurrent first number of the year may insert the row first, and
            # on PostgreSQL a failed INSERT would abort the caller's whole transaction.
            with transaction.atomic():
                counter = CaseNumberCounter.objects.create(
                    court=court, type_code=type_code, year=year, last=0
                )
        except IntegrityError:
            counter = counters.get()
    counter.last += 1
    counter.save(update_fields=["last"])
    return CaseNumber(
        year=year, court_code=court.court_code, type_code=type_code, sequence=counter.last
    ).canonical


# --- input checks -----------------------------------------------------------------------------


def add_error(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def clean_text(
    errors: Errors,
    field: str,
    label: str,
    value: str,
    *,
    max_length: int,
    required: bool = False,
) -> str:
    """``value`` stripped; an error when required and empty, too long, or holding a NUL."""
    text = (value or "").strip()
    if "\x00" in text:
        add_error(errors, field, f"{label}含有无效字符")
    elif required and not text:
        add_error(errors, field, f"请填写{label}")
    elif len(text) > max_length:
        add_error(errors, field, f"{label}不能超过{max_length}字")
    return text


def check_day(
    errors: Errors,
    field: str,
    label: str,
    value: date | None,
    *,
    earliest: date | None = None,
    earliest_what: str = "",
    required: bool = True,
) -> None:
    """A date of something that has happened: not in the future, not before ``earliest``."""
    if value is None:
        if required:
            add_error(errors, field, f"请填写{label}")
        return
    if value > today():
        add_error(errors, field, f"{label}不能晚于今天")
    elif earliest is not None and value < earliest:
        add_error(errors, field, f"{label}不能早于{earliest_what}（{earliest:%Y-%m-%d}）")


def raise_if_errors(errors: Errors, message: str) -> None:
    if errors:
        first = next(iter(errors.values()))[0]
        raise ValidationFailed(f"{message}：{first}", fields=errors)


def refuse_state(
    what: str, state_label: str, code: str = "invalid_transition"
) -> InvalidTransition:
    """The step does not fit the record's state (409, as a refused transition)."""
    message = f"{what}当前状态为“{state_label}”，不能办理此项"
    return InvalidTransition(message, code=code, fields={"__all__": [message]})


# --- creating once ----------------------------------------------------------------------------


# --- messages ---------------------------------------------------------------------------------

SMS_ROOM = 134  # two parts (notifications.sms: SMS_TARGET_LENGTH)
_SPACE = re.compile(r"\s+")


def shorten(value: str, room: int) -> str:
    """``value`` on one line, cut to ``room`` characters with "…"."""
    value = _SPACE.sub(" ", value).strip()
    if sms_length(value) <= room:
        return value
    cut: list[str] = []
    used = 1
    for character in value:
        used += sms_length(character)
        if used > room:
            break
        cut.append(character)
    return "".join(cut) + "…"


def party_mobiles(filing: Filing) -> list[str]:
    """The mobiles to tell about a session: the submitter's and each party's that is a mainland
    mobile, decrypted here only to send, each once."""
    tokens = [filing.submitter_phone_encrypted]
    tokens += [party.phone_encrypted for party in filing.parties.all()]
    found: list[str] = []
    for token in tokens:
        if not token:
            continue
        try:
            mobile = recipient_normalise(channel="sms", recipient=decrypt_text(token))
        except ValidationFailed:
            continue  # a landline or a foreign number: no SMS
        if mobile not in found:
            found.append(mobile)
    return found


def court_signature(court: OrgUnit) -> str:
    return sms_signature(name=court.name, short_name=court.short_name)


def sms_to_parties(*, mediation: Mediation, body: str, key: str, about: models.Model) -> int:
    """``body`` (signed with the court's signature) to every party mobile of the mediation's
    filing, through the outbox in the caller's transaction; how many were queued."""
    text = court_signature(mediation.court) + body
    mobiles = party_mobiles(mediation.filing)
    for index, mobile in enumerate(mobiles):
        notification_enqueue(
            channel="sms",
            recipient=mobile,
            body=text,
            template_key=f"mediation.{key.split(':')[0]}",
            about=about,
            dedupe_key=f"mediation:{mediation.pk}:{key}:{index}",
        )
    return len(mobiles)


def notify_staff(*, user: User, mediation: Mediation, subject: str, body: str, key: str) -> None:
    """A message to a mediator or a court staff member: e-mail when they have an address, else
    the console channel."""
    email = user.email
    notification_enqueue(
        channel="email" if email else "console",
        recipient=email or f"user:{user.pk}",
        subject=subject,
        body=body,
        about=mediation,
        dedupe_key=f"mediation:{mediation.pk}:{key}:{user.pk}",
    )


def moment_text(moment: datetime) -> str:
    """12月8日14:30 (Beijing time), as texts and pages say it."""
    local = timezone.localtime(moment, SHANGHAI)
    return f"{local.month}月{local.day}日{local:%H:%M}"
