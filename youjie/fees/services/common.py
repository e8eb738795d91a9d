"""What the fees services share: the four status helpers, numbering, the pay page's token, input
checks, money, the texts to payers and running a create once per idempotency key.

``notice_status_set``, ``order_status_set``, ``refund_status_set`` and ``relief_status_set`` are
the only places that assign a ``status`` in this app (tests/test_status_writes.py holds every
module to that): each checks its map in ``youjie.fees.transitions``, saves with
``update_fields`` and writes the entity's event in the caller's transaction.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from youjie.core.crypto import decrypt_text, encrypt_text, lookup_hash
from youjie.core.errors import ValidationFailed
from youjie.core.timeline import Actor, event_record
from youjie.fees.models import (
    MONEY_DIGITS,
    MONEY_PLACES,
    FeeNotice,
    FeeNoticeCounter,
    PaymentOrder,
    Refund,
    ReliefApplication,
)
from youjie.fees.selectors import TOKEN_PURPOSE
from youjie.fees.transitions import (
    NOTICE_TRANSITIONS,
    ORDER_TRANSITIONS,
    REFUND_TRANSITIONS,
    RELIEF_TRANSITIONS,
)
from youjie.notifications.services import notification_enqueue
from youjie.notifications.sms import sms_signature
from youjie.orgs.models import OrgUnit
from youjie.workdays.calendar import SHANGHAI

Errors = dict[str, list[str]]
CENT = Decimal("0.01")
MONEY_LIMIT = Decimal(10) ** (MONEY_DIGITS - MONEY_PLACES)


def today() -> date:
    """Today in Beijing time."""
    return timezone.localtime(timezone.now(), SHANGHAI).date()


def local_date(moment: datetime) -> date:
    return timezone.localtime(moment, SHANGHAI).date()


def yuan(amount: Decimal) -> str:
    return f"{amount:,.2f}元"


# --- the status helpers ---------------------------------------------------------------------


def _save_status(
    instance: Any,
    source: str,
    to_status: str,
    update_fields: list[str] | None,
    timestamped: bool,
) -> None:
    fields = {"status", *(update_fields or [])}
    if timestamped:
        fields.add("updated_at")
    instance.save(update_fields=sorted(fields))


def notice_status_set(
    *,
    notice: FeeNotice,
    to_status: str,
    actor: Actor,
    verb: str,
    reason: str = "",
    data: dict[str, Any] | None = None,
    update_fields: list[str] | None = None,
) -> None:
    """The only place that changes a notice's ``status`` (NOTICE_TRANSITIONS)."""
    source = notice.status
    NOTICE_TRANSITIONS.check(source, to_status)
    notice.status = to_status
    _save_status(notice, source, to_status, update_fields, timestamped=True)
    event_record(
        subject=notice,
        verb=verb,
        actor=actor,
        from_state=source,
        to_state=to_status,
        reason=reason,
        data=data,
    )


def order_status_set(
    *,
    order: PaymentOrder,
    to_status: str,
    actor: Actor,
    verb: str,
    reason: str = "",
    data: dict[str, Any] | None = None,
    update_fields: list[str] | None = None,
) -> None:
    """The only place that changes a payment order's ``status`` (ORDER_TRANSITIONS)."""
    source = order.status
    ORDER_TRANSITIONS.check(source, to_status)
    order.status = to_status
    _save_status(order, source, to_status, update_fields, timestamped=True)
    event_record(
        subject=order,
        verb=verb,
        actor=actor,
        from_state=source,
        to_state=to_status,
        reason=reason,
        data=data,
    )


def refund_status_set(
    *,
    refund: Refund,
    to_status: str,
    actor: Actor,
    verb: str,
    reason: str = "",
    data: dict[str, Any] | None = None,
    update_fields: list[str] | None = None,
) -> None:
    """The only place that changes a refund's ``status`` (REFUND_TRANSITIONS)."""
    source = refund.status
    REFUND_TRANSITIONS.check(source, to_status)
    refund.status = to_status
    _save_status(refund, source, to_status, update_fields, timestamped=True)
    event_record(
        subject=refund,
        verb=verb,
        actor=actor,
        from_state=source,
        to_state=to_status,
        reason=reason,
        data=data,
    )


def relief_status_set(
    *,
    application: ReliefApplication,
    to_status: str,
    actor: Actor,
    verb: str,
    reason: str = "",
    data: dict[str, Any] | None = None,
    update_fields: list[str] | None = None,
) -> None:
    """The only place that changes a relief application's ``status`` (RELIEF_TRANSITIONS)."""
    source = application.status
    RELIEF_TRANSITIONS.check(source, to_status)
    application.status = to_status
    _save_status(application, source, to_status, update_fields, timestamped=True)
    event_record(
        subject=application,
        verb=verb,
        actor=actor,
        from_state=source,
        to_state=to_status,
        reason=reason,
        data=data,
    )


def case_event(
    *, notice: FeeNotice, verb: str, actor: Actor, reason: str = "", data: dict[str, Any]
) -> None:
    """The same step on the court case's timeline (subject=court_case), naming the notice."""
    event_record(
        subject=notice.court_case,
        verb=verb,
        actor=actor,
        reason=reason,
        data={"notice": notice.number, "notice_id": notice.pk, **data},
    )


# --- numbering and the token ------------------------------------------------------------------


def notice_number(*, court_code: str, year: int, sequence: int) -> str:
    """（2026）内0206诉费17号: the year, the court's 代字, the sequence of the court's year."""
    return f"（{year}）{court_code}诉费{sequence}号"


def next_notice_sequence(*, court: OrgUnit, year: int) -> int:
    """The next sequence of ``court``'s ``year``. Inside the issuing transaction: the counter's
    row stays locked until it ends, and a rollback takes the number back (no gaps)."""
    counter = FeeNoticeCounter.objects.filter(court=court, year=year)
    if not counter.update(last=F("last") + 1):
        try:
            with transaction.atomic():  # a concurrent first notice of the year may insert it
                FeeNoticeCounter.objects.create(court=court, year=year, last=1)
        except IntegrityError:
            counter.update(last=F("last") + 1)
        else:
            return 1
    return int(counter.values_list("last", flat=True).get())


def new_token() -> tuple[str, str, str]:
    """(token, encrypted, lookup hash) of a new pay-page token: 32 random bytes, URL-safe."""
    token = secrets.token_urlsafe(32)
    return token, encrypt_text(token), token_hash(token)


def token_hash(token: str) -> str:
    return lookup_hash(token, purpose=TOKEN_PURPOSE)


def notice_token(notice: FeeNotice) -> str:
    return decrypt_text(notice.token_encrypted)


def pay_path(token: str) -> str:
    return f"/fees/pay/{token}/"


def public_link(path: str) -> str:
    base = str(getattr(settings, "YOUJIE_PUBLIC_URL", "") or "").rstrip("/")
    return f"{base}{path}"


# --- input checks -----------------------------------------------------------------------------


def add_error(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def raise_if_errors(errors: Errors, message: str, code: str = "validation_failed") -> None:
    if errors:
        first = next(iter(errors.values()))[0]
        raise ValidationFailed(f"{message}：{first}", code=code, fields=errors)


def clean_text(
    errors: Errors, field: str, label: str, value: str, *, max_length: int, required: bool = False
) -> str:
    text = (value or "").strip()
    if "\x00" in text:
        add_error(errors, field, f"{label}含有无效字符")
    elif required and not text:
        add_error(errors, field, f"请填写{label}")
    elif len(text) > max_length:
        add_error(errors, field, f"{label}不能超过{max_length}字")
    return text


def clean_amount(errors: Errors, field: str, label: str, value: Any) -> Decimal | None:
    """A positive amount in yuan with at most two places, within the column; else an error."""
    if value is None or value == "":
        add_error(errors, field, f"请填写{label}")
        return None
    try:
        amount = Decimal(str(value).strip())
        exact = amount.is_finite() and amount == amount.quantize(CENT)
    except (InvalidOperation, TypeError, ValueError):
        exact = False
        amount = Decimal(0)
    if not exact:
        add_error(errors, field, f"{label}应为金额（元），最多保留两位小数")
        return None
    if amount <= 0:
        add_error(errors, field, f"{label}应大于零")
        return None
    if amount >= MONEY_LIMIT:
        add_error(errors, field, f"{label}过大")
        return None
    return amount.quantize(CENT)


# --- texts to the payer -----------------------------------------------------------------------


def sms_to_payer(*, notice: FeeNotice, text: str, key: str) -> None:
    """One SMS to the payer's phone (when one was given), signed by the notice's court, through
    the outbox in the caller's transaction; a repeated key is sent once."""
    if not notice.payer_phone_encrypted:
        return
    court = notice.court
    notification_enqueue(
        channel="sms",
        recipient=decrypt_text(notice.payer_phone_encrypted),
        body=f"{sms_signature(name=court.name, short_name=court.short_name)}{text}",
        template_key=f"fees.{key.split(':')[0]}",
        about=notice,
        dedupe_key=f"fees:{notice.number}:{key}",
    )


# --- run once per idempotency key -------------------------------------------------------------
