"""Helpers shared by the petitions services: numbering, the three status helpers, the progress
timestamp, input checks and messages to staff.

``matter_status_set``, ``campaign_status_set`` and ``follow_up_status_set`` are the only places
that assign a ``status`` in this app (tests/test_status_writes.py holds every module to that):
each checks its map in ``youjie.petitions.transitions``, saves and writes the event.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from youjie.core.errors import ValidationFailed
from youjie.core.timeline import event_record
from youjie.notifications.services import notification_enqueue
from youjie.orgs.models import User
from youjie.petitions.models import (
    Campaign,
    CampaignMatter,
    MatterNumberCounter,
    PetitionMatter,
)
from youjie.petitions.transitions import (
    CAMPAIGN_TRANSITIONS,
    FOLLOW_UP_TRANSITIONS,
    MATTER_TRANSITIONS,
)
from youjie.workdays.calendar import SHANGHAI

Errors = dict[str, list[str]]


def today() -> date:
    """Today in Beijing time."""
    return timezone.localtime(timezone.now(), SHANGHAI).date()


# --- numbering --------------------------------------------------------------------------------


def matter_number(year: int, sequence: int) -> str:
    """信访〔2026〕17号: the year in 〔〕, the sequence without leading zeros."""
    return f"信访〔{year}〕{sequence}号"


def next_matter_sequence(*, year: int) -> int:
    """The next sequence number of ``year``. Must run inside the creating transaction: the
    counter's row stays locked until it ends, and a rollback takes the number back (no gaps)."""
    counter = MatterNumberCounter.objects.filter(year=year)
    if not counter.update(last=F("last") + 1):
        try:
            # A savepoint: a concurrent first registration of the year may insert the row
            # first, and on PostgreSQL a failed INSERT would abort the whole transaction.
            with transaction.atomic():
                MatterNumberCounter.objects.create(year=year, last=1)
        except IntegrityError:
            counter.update(last=F("last") + 1)
        else:
            return 1
    return int(counter.values_list("last", flat=True).get())


# --- the status helpers -----------------------------------------------------------------------


def matter_status_set(
    *,
    matter: PetitionMatter,
    to_status: str,
    actor: User | str,
    verb: str,
    reason: str = "",
    data: dict[str, Any] | None = None,
    update_fields: list[str] | None = None,
) -> None:
    """The only place that changes a matter's ``status``: checks MATTER_TRANSITIONS, saves the
    status with ``update_fields``, writes the event."""
    source = matter.status
    MATTER_TRANSITIONS.check(source, to_status)
    matter.status = to_status
    matter.save(update_fields=sorted({"status", "updated_at", *(update_fields or [])}))
    event_record(
        subject=matter,
        verb=verb,
        actor=actor,
        from_state=source,
        to_state=to_status,
        reason=reason,
        data=data,
    )


def campaign_status_set(
    *,
    campaign: Campaign,
    to_status: str,
    actor: User,
    verb: str,
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> None:
    """The only place that changes a campaign's ``status`` (CAMPAIGN_TRANSITIONS)."""
    source = campaign.status
    CAMPAIGN_TRANSITIONS.check(source, to_status)
    campaign.status = to_status
    campaign.save(update_fields=["status", "updated_at"])
    event_record(
        subject=campaign,
        verb=verb,
        actor=actor,
        from_state=source,
        to_state=to_status,
        reason=reason,
        data=data,
    )


def follow_up_status_set(
    *,
    campaign_matter: CampaignMatter,
    to_status: str,
    actor: User | str,
    verb: str,
    reason: str = "",
    data: dict[str, Any] | None = None,
    update_fields: list[str] | None = None,
) -> None:
    """The only place that changes a campaign matter's follow-up ``status``
    (FOLLOW_UP_TRANSITIONS); the event goes on the campaign matter's timeline."""
    source = campaign_matter.status
    FOLLOW_UP_TRANSITIONS.check(source, to_status)
    campaign_matter.status = to_status
    campaign_matter.save(update_fields=sorted({"status", *(update_fields or [])}))
    event_record(
        subject=campaign_matter,
        verb=verb,
        actor=actor,
        from_state=source,
        to_state=to_status,
        reason=reason,
        data=data,
    )


# --- progress ---------------------------------------------------------------------------------


def matter_progress_touch(*, matter: PetitionMatter, at: datetime | None = None) -> None:
    """Record that the matter moved on now (or ``at``). The 三日一研究 agenda lists matters whose
    ``last_progress_at`` is three working days old; every service that records progress calls
    this (work records, meetings, coordination, aid too), inside its own transaction, next to
    the event it writes. It writes no event itself."""
    moment = at or timezone.now()
    matter.last_progress_at = moment
    PetitionMatter.objects.filter(pk=matter.pk).update(last_progress_at=moment)


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


def check_not_future(errors: Errors, field: str, label: str, value: date | None) -> None:
    if value is not None and value > today():
        add_error(errors, field, f"{label}不能晚于今天")


def check_order(
    errors: Errors, field: str, label: str, value: date | None, earliest: date | None, what: str
) -> None:
    """``value`` must not be before ``earliest`` (dates out of order are refused)."""
    if value is not None and earliest is not None and value < earliest:
        add_error(errors, field, f"{label}不能早于{what}（{earliest:%Y-%m-%d}）")


def raise_if_errors(errors: Errors, message: str) -> None:
    if errors:
        first = next(iter(errors.values()))[0]
        raise ValidationFailed(f"{message}：{first}", fields=errors)


# --- messages ---------------------------------------------------------------------------------


def notify_user(
    *, user: User | None, matter: PetitionMatter, subject: str, body: str, key: str
) -> None:
    """A message to a staff member through the outbox, in the caller's transaction: e-mail
    when they have an address, else the console channel (the staff home shows it)."""
    if user is None:
        return
    email = user.email
    notification_enqueue(
        channel="email" if email else "console",
        recipient=email or f"user:{user.pk}",
        subject=subject,
        body=body,
        about=matter,
        dedupe_key=f"petitions:{matter.number}:{key}:{user.pk}",
    )
