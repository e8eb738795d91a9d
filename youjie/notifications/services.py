"""The notification outbox: enqueue inside the caller's transaction, deliver later, reliably.

Delivery guarantees
-------------------
1. **Nothing is sent for a change that did not happen, nothing is lost for one that did.**
   ``notification_enqueue`` must run inside the caller's ``transaction.atomic()``: the outbox row
   commits or rolls back with the change it reports. After commit a huey task
   (``notifications_send_soon``) delivers it within seconds (one such kick per second and
   process, and one at the end of that second: ``SendSoonKicks``); the periodic sweep
   (``notifications_sweep``, every minute, once per tick across consumers) and the
   ``send_notifications`` command are the safety net when the queue or a worker is down.
2. **One worker per message at a time.** A worker claims a row with a conditional UPDATE
   (``WHERE id = ? AND status = ? AND attempts = ? AND <due or lease expired>``; one row changes
   or none), which sets ``status = sending``, ``lease_until = now + YOUJIE_NOTIFY_LEASE_SECONDS``
   and ``attempts + 1``, and **commits before any network call**. The same statement works on
   SQLite (no row locks) and PostgreSQL. ``attempts`` doubles as a fencing token: the worker's
   final UPDATE also requires ``status = sending AND attempts = <its claim>``, so a worker whose
   lease was taken over cannot overwrite the newer outcome. Rows are claimed one at a time, so
   a lease only covers one send; keep the lease longer than the transport timeout (a system
   check warns when ``YOUJIE_NOTIFY_LEASE_SECONDS <= YOUJIE_SMS_TIMEOUT``).
3. **A crash mid-send loses nothing and, where the transport can tell, sends nothing twice.**
   A worker killed between its claim and its final UPDATE leaves the row in ``sending``; once the
   lease expires another worker claims it. Every retry (``attempts > 0`` before the claim: an
   expired lease, a timeout, a 5xx) first asks the transport ``lookup(message_key)``:
   ``"delivered"`` → marked sent without sending again; ``"not_found"`` → sent; ``None`` (SMTP
   cannot tell) → sent again with the same ``Message-ID``, so e-mail is **at least once**. The
   SMS gateway and the file transport answer lookups, so they are **exactly once**, provided the
   gateway records a message before it answers (the gateway's ``msgid`` is our message_key).
4. **Retries back off**: 30 s, 2 min, 10 min, 30 min, 2 h, then every 2 h
   (``YOUJIE_NOTIFY_BACKOFF_SECONDS``), until ``max_attempts`` (default 6,
   ``YOUJIE_NOTIFY_MAX_ATTEMPTS``); a permanent refusal (4xx, bad recipient) goes straight to
   ``dead``. A ``dead`` row writes a "notification_dead" timeline event on itself, and an
   administrator can send it again from the admin (action "重新发送").

Status moves only here: pending/failed → sending → sent | failed | dead; sending → sending
(lease taken over); dead → pending (resend).
"""

from __future__ import annotations

import logging
import math
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone

from youjie.core.crypto import decrypt_text, encrypt_text
from youjie.core.errors import Conflict, ValidationFailed
from youjie.core.pruning import delete_in_batches
from youjie.core.timeline import event_record, subject_key
from youjie.core.transitions import TransitionMap
from youjie.core.viewers import StaffUser
from youjie.notifications.choices import Channel, NotificationStatus
from youjie.notifications.models import (
    BODY_MAX_LENGTH,
    DEFAULT_MAX_ATTEMPTS,
    SMS_BODY_MAX_LENGTH,
    SUBJECT_MAX_LENGTH,
    Notification,
)
from youjie.notifications.recipients import recipient_mask, recipient_normalise
from youjie.notifications.selectors import backoff_delay, due_condition, notifications_due
from youjie.notifications.transports import (
    OutgoingMessage,
    PermanentTransportError,
    TransportError,
    transport_for,
)

logger = logging.getLogger("youjie.notifications")

DEFAULT_LEASE_SECONDS = 60
ERROR_MAX_LENGTH = 1000
DISPATCH_ACTOR = "通知发送程序"
CHANNELS = frozenset(Channel.values)  # Channel.values builds a new list on every use

NOTIFICATION_TRANSITIONS = TransitionMap.build(
    "通知",
    {
        NotificationStatus.PENDING: {NotificationStatus.SENDING},
        NotificationStatus.FAILED: {NotificationStatus.SENDING},
        NotificationStatus.SENDING: {
            NotificationStatus.SENDING,
            NotificationStatus.SENT,
            NotificationStatus.FAILED,
            NotificationStatus.DEAD,
        },
        NotificationStatus.DEAD: {NotificationStatus.PENDING},
        NotificationStatus.SENT: set(),
    },
    dict(NotificationStatus.choices),
)


def _lease_seconds() -> float:
    return float(getattr(settings, "YOUJIE_NOTIFY_LEASE_SECONDS", DEFAULT_LEASE_SECONDS))


SEND_SOON_WINDOW_SECONDS = 1.0


class SendSoonKicks:
    """One immediate "send soon" kick per window and process, and one at the window's end.

    Every kick is a write to huey's storage (its SQLite file by default). A kick makes the
    consumer deliver everything due when it runs, so within a window of ``window`` seconds
    after an immediate kick, further notifications need no kick of their own, only a delayed one
    at the window's end: it runs after every one of them committed (their on-commit callback,
    which asks here, runs after their commit and before the window ends). Nothing committed in
    a window waits for the once-a-minute sweep. Each process keeps its own window.
    """

    def __init__(
        self,
        *,
        window: float = SEND_SOON_WINDOW_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.window = window
        self.clock = clock
        self._lock = threading.Lock()
        self._window_end = -math.inf
        self._trailing = False

    def plan(self) -> float | None:
        """For a notification committed now: 0.0 = kick now; a delay = kick when the window
        ends (the first time in a window); None = a kick already covers it."""
        now = self.clock()
        with self._lock:
            if now >= self._window_end:
                self._window_end = now + self.window
                self._trailing = False
                return 0.0
            if self._trailing:
                return None
            self._trailing = True
            return self._window_end - now

    def failed(self, delay: float) -> None:
        """The kick ``plan`` asked for could not be enqueued: the next notification asks again."""
        with self._lock:
            if delay > 0:
                self._trailing = False
            else:
                self._window_end = -math.inf


_KICKS = SendSoonKicks()


def _schedule_send_soon(delay_seconds: int) -> None:
    # Imported here: tasks imports this module.
    from youjie.notifications.tasks import notifications_send_soon

    if delay_seconds > 0:
        notifications_send_soon.schedule(delay=delay_seconds)
        return
    if notifications_send_soon.huey.immediate:
        # Tests: a kick runs in this process at once, and a delayed one would never run.
        notifications_send_soon()
        return
    delay = _KICKS.plan()
    if delay is None:
        return
    try:
        if delay > 0:
            notifications_send_soon.schedule(delay=delay)
        else:
            notifications_send_soon()
    except Exception:
        _KICKS.failed(delay)
        raise


def _check_lengths(
    *, channel: str, body: str, subject: str, template_key: str, dedupe_key: str
) -> None:
    if not body.strip():
        raise ValidationFailed("通知内容不能为空", fields={"body": ["通知内容不能为空"]})
    limit = SMS_BODY_MAX_LENGTH if channel == Channel.SMS else BODY_MAX_LENGTH
    if len(body) > limit:
        message = f"{Channel(channel).label}内容不能超过 {limit} 个字（现为 {len(body)} 个字）"
        raise ValidationFailed(message, fields={"body": [message]})
    for name, value, maximum, label in (
        ("subject", subject, SUBJECT_MAX_LENGTH, "标题"),
        ("template_key", template_key, 64, "模板标识"),
        ("dedupe_key", dedupe_key, 200, "去重键"),
    ):
        if len(value) > maximum:
            message = f"{label}不能超过 {maximum} 个字符"
            raise ValidationFailed(message, fields={name: [message]})


def notification_enqueue(
    *,
    channel: str,
    recipient: str,
    body: str,
    subject: str = "",
    template_key: str = "",
    about: models.Model | None = None,
    dedupe_key: str = "",
    delay_seconds: int = 0,
) -> Notification:
    """Write one outbox row in the caller's transaction; it is sent after that commits.

    With a ``dedupe_key`` (e.g. "desk.intake:42:sms"), enqueueing again returns the row that
    already has it, whatever its other arguments. ``about`` is the record the message concerns.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("notification_enqueue must be called inside transaction.atomic()")
    if channel not in CHANNELS:
        raise ValidationFailed(
            f"不支持的通知渠道：{channel}", fields={"channel": ["不支持的通知渠道"]}
        )
    canonical = recipient_normalise(channel=channel, recipient=recipient)
    _check_lengths(
        channel=channel,
        body=body,
        subject=subject,
        template_key=template_key,
        dedupe_key=dedupe_key,
    )
    if delay_seconds < 0:
        raise ValidationFailed("延迟发送时间不能为负数", fields={"delay_seconds": ["不能为负数"]})
    subject_type, subject_id = "", ""
    if about is not None:
        if about.pk is None:
            raise ValueError("notification_enqueue(about=...) needs a saved record")
        subject_type, subject_id = subject_key(about)

    notification = Notification(
        channel=channel,
        recipient_encrypted=encrypt_text(canonical),
        recipient_masked=recipient_mask(channel=channel, recipient=canonical),
        subject=subject,
        body=body,
        template_key=template_key,
        status=NotificationStatus.PENDING,
        max_attempts=int(getattr(settings, "YOUJIE_NOTIFY_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS)),
        next_attempt_at=timezone.now() + timedelta(seconds=delay_seconds),
        message_key=str(uuid.uuid4()),
        dedupe_key=dedupe_key,
        subject_type=subject_type,
        subject_id=subject_id,
    )
    if dedupe_key:
        # Insert, and look for the earlier row only when the key is taken (it almost never is).
        # The INSERT runs in a savepoint: on PostgreSQL a failed statement aborts the whole
        # transaction, and the caller's must carry on with the earlier row.
        try:
            with transaction.atomic():
                notification.save(force_insert=True)
        except IntegrityError:
            existing = Notification.objects.filter(dedupe_key=dedupe_key).first()
            if existing is None:  # not the dedupe key (message_key is a fresh UUID): a real error
                raise
            return existing
    else:
        notification.save(force_insert=True)
    transaction.on_commit(partial(_schedule_send_soon, delay_seconds), robust=True)
    return notification


@dataclass(frozen=True)
class Claim:
    """A row this worker holds: ``attempt`` is its fencing token (attempts after the claim)."""

    notification: Notification
    previous_status: str
    attempt: int
    fixed_now: datetime | None = None

    @property
    def is_retry(self) -> bool:
        return self.attempt > 1

    def now(self) -> datetime:
        return self.fixed_now or timezone.now()


def notification_claim(
    *,
    notification_id: int,
    expected_status: str,
    expected_attempts: int,
    now: datetime | None = None,
) -> Claim | None:
    """Take one row for sending, or None when another worker changed it first.

    Commits on return (``durable=True`` refuses to run inside a caller's transaction), so the
    claim is visible to every other worker before the network call.
    """
    current = now or timezone.now()
    with transaction.atomic(durable=True):
        claimed = Notification.objects.filter(
            due_condition(now=current),
            pk=notification_id,
            status=expected_status,
            attempts=expected_attempts,
        ).update(
            status=NotificationStatus.SENDING,
            lease_until=current + timedelta(seconds=_lease_seconds()),
            attempts=F("attempts") + 1,
        )
    if claimed != 1:
        return None
    notification = Notification.objects.get(pk=notification_id)
    return Claim(
        notification=notification,
        previous_status=expected_status,
        attempt=expected_attempts + 1,
        fixed_now=now,
    )


def _held(claim: Claim) -> models.QuerySet[Notification]:
    return Notification.objects.filter(
        pk=claim.notification.pk, status=NotificationStatus.SENDING, attempts=claim.attempt
    )


def _lost(claim: Claim) -> str:
    logger.warning(
        "notification %s: lease lost before the outcome was recorded (attempt %s)",
        claim.notification.message_key,
        claim.attempt,
    )
    return "lost"


def _finish_sent(claim: Claim, *, provider_message_id: str, via_lookup: bool) -> str:
    with transaction.atomic(durable=True):
        updated = _held(claim).update(
            status=NotificationStatus.SENT,
            sent_at=claim.now(),
            lease_until=None,
            provider_message_id=provider_message_id[:200],
            last_error="",
        )
    if updated != 1:
        return _lost(claim)
    logger.info(
        "notification %s sent via %s to %s%s",
        claim.notification.message_key,
        claim.notification.channel,
        claim.notification.recipient_masked,
        " (found delivered by lookup, not sent again)" if via_lookup else "",
    )
    return NotificationStatus.SENT


def _finish_dead(claim: Claim, *, error: str) -> str:
    notification = claim.notification
    with transaction.atomic(durable=True):
        updated = _held(claim).update(
            status=NotificationStatus.DEAD, lease_until=None, last_error=error
        )
        if updated == 1:
            event_record(
                subject=notification,
                verb="notification_dead",
                actor=DISPATCH_ACTOR,
                from_state=NotificationStatus.SENDING,
                to_state=NotificationStatus.DEAD,
                reason=error,
                data={
                    "channel": notification.channel,
                    "recipient": notification.recipient_masked,
                    "attempts": claim.attempt,
                    "message_key": notification.message_key,
                },
            )
    if updated != 1:
        return _lost(claim)
    logger.error(
        "notification %s dead after %s attempt(s): %s",
        notification.message_key,
        claim.attempt,
        error,
    )
    return NotificationStatus.DEAD


def _finish_failed(claim: Claim, *, error: str) -> str:
    if claim.attempt >= claim.notification.max_attempts:
        return _finish_dead(
            claim, error=f"已达最多尝试次数 {claim.notification.max_attempts}：{error}"
        )
    retry_at = claim.now() + backoff_delay(attempts=claim.attempt)
    with transaction.atomic(durable=True):
        updated = _held(claim).update(
            status=NotificationStatus.FAILED,
            lease_until=None,
            last_error=error,
            next_attempt_at=retry_at,
        )
    if updated != 1:
        return _lost(claim)
    logger.warning(
        "notification %s attempt %s failed, retry at %s: %s",
        claim.notification.message_key,
        claim.attempt,
        retry_at.isoformat(),
        error,
    )
    return NotificationStatus.FAILED


def notification_deliver(*, claim: Claim) -> str:
    """Send a claimed row (asking the transport first on a retry) and record the outcome.

    Returns the new status, or "lost" when another worker took the row over meanwhile.
    """
    notification = claim.notification
    try:
        transport = transport_for(notification.channel)
        if claim.is_retry:
            seen = transport.lookup(notification.message_key)
            if seen == "delivered":
                return _finish_sent(claim, provider_message_id="", via_lookup=True)
        message = OutgoingMessage(
            message_key=notification.message_key,
            channel=notification.channel,
            recipient=decrypt_text(notification.recipient_encrypted),
            subject=notification.subject,
            body=notification.body,
        )
        provider_message_id = transport.send(message)
    except PermanentTransportError as exc:
        return _finish_dead(claim, error=str(exc)[:ERROR_MAX_LENGTH])
    except TransportError as exc:
        return _finish_failed(claim, error=str(exc)[:ERROR_MAX_LENGTH])
    except Exception as exc:  # a bug or bad configuration must not wedge the row in sending
        logger.exception("notification %s: unexpected error", notification.message_key)
        error = f"{type(exc).__name__}: {exc}"[:ERROR_MAX_LENGTH]
        return _finish_failed(claim, error=error)
    return _finish_sent(claim, provider_message_id=provider_message_id, via_lookup=False)


@dataclass
class DispatchReport:
    claimed: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)

    def count(self, outcome: str) -> int:
        return self.outcomes.get(outcome, 0)


def notifications_dispatch(*, limit: int = 100, now: datetime | None = None) -> DispatchReport:
    """Deliver up to ``limit`` due messages, one claim at a time. Safe to run in many workers.

    Must run outside any transaction: each claim and each outcome commits on its own.
    """
    report = DispatchReport()
    tried: set[int] = set()
    while report.claimed < limit:
        current = now or timezone.now()
        batch = notifications_due(
            now=current, limit=min(limit - report.claimed, 50), exclude_ids=frozenset(tried)
        )
        if not batch:
            break
        for due in batch:
            tried.add(due.id)
            claim = notification_claim(
                notification_id=due.id,
                expected_status=due.status,
                expected_attempts=due.attempts,
                now=now,
            )
            if claim is None:
                continue  # another worker was faster
            report.claimed += 1
            outcome = notification_deliver(claim=claim)
            report.outcomes[outcome] = report.outcomes.get(outcome, 0) + 1
            if report.claimed >= limit:
                break
    return report


def notification_resend(*, notification: Notification, actor: StaffUser) -> Notification:
    """Give a ``dead`` row another round of attempts (administrator action "重新发送")."""
    with transaction.atomic():
        NOTIFICATION_TRANSITIONS.check(notification.status, NotificationStatus.PENDING)
        rounds = int(getattr(settings, "YOUJIE_NOTIFY_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS))
        updated = Notification.objects.filter(
            pk=notification.pk, status=NotificationStatus.DEAD
        ).update(
            status=NotificationStatus.PENDING,
            next_attempt_at=timezone.now(),
            lease_until=None,
            # attempts is kept (it makes the next claim a retry, which asks the transport
            # first); the row gets a fresh round of attempts instead.
            max_attempts=F("attempts") + rounds,
        )
        if updated != 1:
            raise Conflict("通知状态已变化，请刷新后重试")
        event_record(
            subject=notification,
            verb="notification_resent",
            actor=actor,
            from_state=NotificationStatus.DEAD,
            to_state=NotificationStatus.PENDING,
            reason="管理员重新发送",
        )
        transaction.on_commit(partial(_schedule_send_soon, 0), robust=True)
    notification.refresh_from_db()
    return notification


def notifications_prune(*, older_than_days: int, batch: int = 1000) -> int:
    """Delete sent and abandoned messages older than the retention (their recipients are
    personal data). Pending, sending and failed-to-retry ones stay whatever their age, as does
    one resent meanwhile. Returns how many were deleted."""
    cutoff = timezone.now() - timedelta(days=older_than_days)
    finished = [NotificationStatus.SENT, NotificationStatus.DEAD]
    return delete_in_batches(
        Notification.objects.filter(status__in=finished, created_at__lt=cutoff), batch=batch
    )
