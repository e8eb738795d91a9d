"""Helpers shared by the desk services: the transition writer, numbering, notifications.

``transition_apply`` is the one place that assigns a request's ``status``
(tests/test_status_writes.py holds every module to that)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from youjie.core.crypto import decrypt_text
from youjie.core.timeline import event_record
from youjie.desk.models import Reply, RequestNumberCounter, ServiceRequest
from youjie.desk.policy import desk_policy
from youjie.desk.search import search_index_update
from youjie.desk.transitions import REQUEST_TRANSITIONS
from youjie.notifications.services import notification_enqueue
from youjie.notifications.sms import sms_render, sms_signature
from youjie.orgs.models import User
from youjie.workdays.calendar import SHANGHAI

NUMBER_PREFIX = "SS"


def next_request_number(*, day: date | None = None) -> str:
    """SS20261128-00001: a per-day sequence. Must run inside the creating transaction."""
    day = day or timezone.localtime(timezone.now(), SHANGHAI).date()
    counter = RequestNumberCounter.objects.filter(day=day)
    # The UPDATE holds the day's row until the transaction ends (PostgreSQL's row lock; SQLite's
    # write lock is held from BEGIN IMMEDIATE), so no other registration gets the same number.
    if not counter.update(last=F("last") + 1):
        try:
            # The day's first number. A savepoint: a concurrent first registration may insert
            # the day's row before us, and on PostgreSQL a failed INSERT would abort the caller's
            # whole transaction.
            with transaction.atomic():
                RequestNumberCounter.objects.create(day=day, last=1)
        except IntegrityError:
            counter.update(last=F("last") + 1)
        else:
            return _request_number(day, 1)
    return _request_number(day, counter.values_list("last", flat=True).get())


def _request_number(day: date, last: int) -> str:
    return f"{NUMBER_PREFIX}{day:%Y%m%d}-{last:05d}"


def transition_apply(*, service_request: ServiceRequest, to_status: str) -> str:
    """Check the move against the map and set ``status`` on the object; returns the state it
    left. Saving is the caller's: ``transition`` below, or intake, which inserts a request
    routed on registration in its routed state."""
    source = service_request.status
    REQUEST_TRANSITIONS.check(source, to_status)
    service_request.status = to_status
    return source


def transition(
    *,
    service_request: ServiceRequest,
    to_status: str,
    actor: User | str,
    verb: str,
    reason: str = "",
    data: dict[str, Any] | None = None,
    update_fields: list[str] | None = None,
) -> None:
    """The only place that changes a saved request's ``status``: checks the map, saves, writes
    the event."""
    source = transition_apply(service_request=service_request, to_status=to_status)
    fields = {"status", "updated_at", *(update_fields or [])}
    service_request.save(update_fields=sorted(fields))
    event_record(
        subject=service_request,
        verb=verb,
        actor=actor,
        from_state=source,
        to_state=to_status,
        reason=reason,
        data=data,
    )


def reindex(*, service_request: ServiceRequest, replies: list[str] | None = None) -> None:
    """Rewrite the request's full-text row; ``replies``: their bodies when the caller knows
    them (a request being registered has none), else they are read."""
    if replies is None:
        replies = list(
            Reply.objects.filter(service_request=service_request).values_list("body", flat=True)
        )
    search_index_update(
        request_id=service_request.pk,
        title=service_request.title,
        content=service_request.content,
        replies=replies,
    )


def _requester_mobile(service_request: ServiceRequest) -> str:
    return decrypt_text(service_request.requester_mobile_encrypted)


def portal_link(path: str) -> str:
    """An absolute link to a portal page, for a message to a requester."""
    return desk_policy().public_base_url.rstrip("/") + path


def requester_sms_signature(service_request: ServiceRequest) -> str:
    """【court】: the signature of the texts about this request (``notifications.sms``)."""
    court = service_request.court
    return sms_signature(name=court.name, short_name=court.short_name)


def notify_requester(
    *,
    service_request: ServiceRequest,
    template: str,
    fields: dict[str, str],
    key: str,
    mobile: str | None = None,
) -> None:
    """SMS to the requester, through the outbox, in the caller's transaction: ``template`` of
    ``notifications.sms.SMS_TEMPLATES`` filled with ``fields``, signed by the request's court.
    ``mobile``: the number in clear when the caller has it (intake has just encrypted it), else
    decrypted."""
    if mobile is None:
        mobile = _requester_mobile(service_request)
    if not mobile:
        return
    signature = requester_sms_signature(service_request)
    notification_enqueue(
        channel="sms",
        recipient=mobile,
        body=sms_render(template, signature=signature, **fields),
        template_key=template,
        about=service_request,
        dedupe_key=f"desk:{service_request.number}:{key}",
    )


def responsible_staff(service_request: ServiceRequest) -> User | None:
    """Whom the request waits on: its judge; while a transfer awaits acceptance, the judge it
    was sent to; before either, the first contact (首接负责)."""
    return (
        service_request.assignee or service_request.transfer_user or service_request.first_contact
    )


def notify_staff(
    *, service_request: ServiceRequest, user: User | None, subject: str, body: str, key: str
) -> None:
    """A message to a staff member: e-mail when they have an address, else the console channel."""
    if user is None:
        return
    email = user.email
    notification_enqueue(
        channel="email" if email else "console",
        recipient=email or f"user:{user.pk}",
        subject=subject,
        body=body,
        about=service_request,
        dedupe_key=f"desk:{service_request.number}:{key}:{user.pk}",
    )
