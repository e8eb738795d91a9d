"""Writes of the public portal: rate limiting, the one-time SMS codes that guard tracking (a
desk request, or a party's court case or filing), and the audit of a case's full view.

Rate limiting
-------------
Every public form consumes one slot of one or more *rules* before it does any work. A rule
is ``(limit, seconds)``: at most ``limit`` actions per fixed window of ``seconds`` for one
identifier (a client IP address, a mobile number). Counters live in the database table
``portal.RateLimitCounter`` — one row per (rule, identifier, window) — and a slot is taken with
a single conditional ``UPDATE … SET count = count + 1 WHERE count < limit``, so two processes
can never both take the last slot (SQLite serialises writers; PostgreSQL re-checks the WHERE
after the row lock). That is why the limiter uses the database and not Django's cache: the
default LocMemCache is per process, so with two app workers each would allow the full limit.

Fixed windows allow a burst of up to twice the limit across a window boundary; for the SMS
code the exact "one per minute" is also enforced by re-using a code sent less than a minute
ago instead of sending another.

Rules are read from ``settings.YOUJIE_PORTAL_RATE_LIMITS`` at call time, merged over
``selectors.DEFAULT_RATE_LIMITS`` (so a deployment overrides only what it needs)::

    YOUJIE_PORTAL_RATE_LIMITS = {"submit_ip": (5, 3600), "track_ip": (20, 600)}

Identifiers are stored as keyed hashes (``lookup_hash``), never in clear. The client IP is
``youjie.core.middleware.client_ip``: the connection's peer, or behind a proxy listed in
``YOUJIE_TRUSTED_PROXIES`` the address that proxy appended to X-Forwarded-For (a header from
anyone else is ignored, so a forged one resets no limit). Tracking is also limited per request
number (``track_number``), whatever the address: guessing the mobile of a known number from
many addresses runs into it. A public form's token is accepted once (``form_token_spend``).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from youjie.core.crypto import lookup_hash
from youjie.core.errors import ApplicationError
from youjie.core.models import AuditEntry
from youjie.core.requestcontext import current_ip, current_request_id
from youjie.core.timeline import subject_key
from youjie.courtcases.models import CourtCase
from youjie.desk.models import ServiceRequest
from youjie.filings.models import Filing
from youjie.notifications.services import notification_enqueue
from youjie.notifications.sms import sms_render, sms_signature
from youjie.orgs.models import OrgUnit
from youjie.people.identity import phone_hash
from youjie.portal.models import RateLimitCounter, TrackingCode
from youjie.portal.selectors import rate_limit_rules

RATE_KEY_PURPOSE = "portal.rate_limit"

# One-time tracking codes (SMS): lifetime, wrong attempts allowed, re-use window.
CODE_LIFETIME = timedelta(minutes=10)
CODE_MAX_ATTEMPTS = 5
CODE_RESEND_AFTER = timedelta(seconds=60)
CODE_HASH_SALT = "youjie.portal.tracking_code"


class RateLimited(ApplicationError):
    status_code = 429
    default_code = "rate_limited"

    def __init__(self, *, rule: str, retry_after: int) -> None:
        minutes = max(1, -(-retry_after // 60))
        super().__init__(
            f"操作过于频繁，请约{minutes}分钟后再试。",
            extra={"rule": rule, "retry_after": retry_after},
        )
        self.retry_after = retry_after


def _window_start(now: datetime, seconds: int) -> datetime:
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % seconds, tz=UTC)


def _take_slot(*, key: str, window_start: datetime, limit: int) -> bool:
    """Take one slot in the window, atomically across processes; False when it is full."""
    counters = RateLimitCounter.objects.filter(key=key, window_start=window_start)
    if counters.filter(count__lt=limit).update(count=F("count") + 1):
        return True
    if counters.exists():
        return False
    try:
        with transaction.atomic():
            RateLimitCounter.objects.create(key=key, window_start=window_start, count=1)
    except IntegrityError:
        # Another process opened the window first: compete for a slot like everyone else.
        return bool(counters.filter(count__lt=limit).update(count=F("count") + 1))
    return True


def rate_limit_consume(*, checks: list[tuple[str, str]], now: datetime | None = None) -> None:
    """Take one slot of each ``(rule name, identifier)``, all or none; RateLimited (429) if full.

    An empty identifier (no mobile given) is skipped. Slots taken by a call that is refused
    are given back (the transaction rolls back), so a refused request costs nothing.
    """
    rules = rate_limit_rules()
    now = now or timezone.now()
    with transaction.atomic():
        for name, identifier in checks:
            if not identifier:
                continue
            rule = rules.get(name)
            if rule is None:
                raise ImproperlyConfigured(f"unknown portal rate-limit rule {name!r}")
            window_start = _window_start(now, rule.seconds)
            key = f"{name}:{lookup_hash(identifier, purpose=RATE_KEY_PURPOSE)[:48]}"
            if not _take_slot(key=key, window_start=window_start, limit=rule.limit):
                window_end = window_start + timedelta(seconds=rule.seconds)
                raise RateLimited(
                    rule=name, retry_after=max(1, int((window_end - now).total_seconds()))
                )


def rate_limit_purge(*, now: datetime | None = None) -> int:
    """Delete counters of windows that have ended (keeps the table small)."""
    now = now or timezone.now()
    longest = max(rule.seconds for rule in rate_limit_rules().values())
    deleted, _ = RateLimitCounter.objects.filter(
        window_start__lt=now - timedelta(seconds=longest)
    ).delete()
    return deleted


FORM_TOKEN_KEY = "form_token"


def form_token_spend(*, token: str, expires_at: datetime) -> bool:
    """Mark a public form's token used; False when it was used before (formguard: single use).

    A token is a rate-limit counter with a limit of one: its row's window starts when the token
    expires, so ``rate_limit_purge`` forgets it only once it could not be accepted anyway.
    """
    key = f"{FORM_TOKEN_KEY}:{lookup_hash(token, purpose=RATE_KEY_PURPOSE)[:48]}"
    try:
        with transaction.atomic():
            RateLimitCounter.objects.create(key=key, window_start=expires_at, count=1)
    except IntegrityError:
        return False
    return True


# --- One-time SMS codes for tracking ---------------------------------------------------------


def _code_hash(salt: str, code: str) -> str:
    return salted_hmac(CODE_HASH_SALT, f"{salt}:{code}", algorithm="sha256").hexdigest()


@dataclass(frozen=True)
class CodeSent:
    code_id: int
    sent: bool  # False: a code sent less than a minute ago is still valid and was re-used


def _code_subject(
    service_request: ServiceRequest | None, court_case: CourtCase | None, filing: Filing | None
) -> tuple[dict[str, Any], str, str, OrgUnit, Any]:
    """(the code's subject field, SMS template, number shown, court signing, record) of the one
    subject given: a desk request, a court case or a filing (网上查询)."""
    given = [subject for subject in (service_request, court_case, filing) if subject is not None]
    if len(given) != 1:
        raise ValueError("a tracking code is for exactly one request, court case or filing")
    if service_request is not None:
        fields: dict[str, Any] = {"service_request": service_request}
        return (
            fields,
            "portal.tracking_code",
            service_request.number,
            service_request.court,
            service_request,
        )
    if court_case is not None:
        fields = {"court_case": court_case}
        return fields, "portal.case_code", court_case.case_number, court_case.court, court_case
    assert filing is not None
    fields = {"filing": filing}
    return fields, "portal.case_code", filing.number, filing.competent_court, filing


def tracking_code_send(
    *,
    mobile: str,
    client_ip: str,
    service_request: ServiceRequest | None = None,
    court_case: CourtCase | None = None,
    filing: Filing | None = None,
    now: datetime | None = None,
) -> CodeSent:
    """Send a one-time 6-digit code to ``mobile`` (already matched against the request, or
    found to be a party's or the filer's for the court case or filing).

    Only a salted hash of the code is stored. A code sent less than a minute ago is re-used
    instead of sending another; otherwise the SMS rate limits per mobile and per IP apply.
    """
    subject, template, number, court, about = _code_subject(service_request, court_case, filing)
    now = now or timezone.now()
    digest = phone_hash(mobile)
    with transaction.atomic():
        recent = (
            TrackingCode.objects.filter(
                **subject,
                mobile_hash=digest,
                used_at__isnull=True,
                attempts__lt=CODE_MAX_ATTEMPTS,
                created_at__gt=now - CODE_RESEND_AFTER,
            )
            .order_by("-id")
            .first()
        )
        if recent is not None:
            return CodeSent(code_id=recent.pk, sent=False)
        rate_limit_consume(
            checks=[
                ("sms_code_mobile_minute", mobile),
                ("sms_code_mobile_hour", mobile),
                ("sms_code_ip", client_ip),
            ],
            now=now,
        )
        code = f"{secrets.randbelow(1_000_000):06d}"
        salt = secrets.token_hex(16)
        row = TrackingCode.objects.create(
            **subject,
            mobile_hash=digest,
            salt=salt,
            code_hash=_code_hash(salt, code),
            expires_at=now + CODE_LIFETIME,
        )
        minutes = int(CODE_LIFETIME.total_seconds() // 60)
        notification_enqueue(
            channel="sms",
            recipient=mobile,
            body=sms_render(
                template,
                signature=sms_signature(name=court.name, short_name=court.short_name),
                code=code,
                number=number,
                minutes=str(minutes),
            ),
            template_key=template,
            about=about,
            dedupe_key=f"portal:tracking_code:{row.pk}",
        )
    return CodeSent(code_id=row.pk, sent=True)


@dataclass(frozen=True)
class CodeCheck:
    ok: bool
    expired: bool = False  # expired, used, or out of attempts: a new code is needed
    attempts_left: int = 0
    service_request_id: int | None = None
    court_case_id: int | None = None
    filing_id: int | None = None


def tracking_code_verify(*, code_id: int, code: str, now: datetime | None = None) -> CodeCheck:
    """Check a code; each check uses up one attempt, a right code is used up at once."""
    now = now or timezone.now()
    live = TrackingCode.objects.filter(
        pk=code_id, used_at__isnull=True, expires_at__gt=now, attempts__lt=CODE_MAX_ATTEMPTS
    )
    with transaction.atomic():
        # Count the attempt before comparing, in one conditional UPDATE, so parallel guesses
        # cannot exceed the allowance.
        if not live.update(attempts=F("attempts") + 1):
            return CodeCheck(ok=False, expired=True)
        row = TrackingCode.objects.get(pk=code_id)
        if not constant_time_compare(row.code_hash, _code_hash(row.salt, code)):
            left = CODE_MAX_ATTEMPTS - row.attempts
            return CodeCheck(ok=False, expired=left <= 0, attempts_left=left)
        if not TrackingCode.objects.filter(pk=code_id, used_at__isnull=True).update(used_at=now):
            return CodeCheck(ok=False, expired=True)
    return CodeCheck(
        ok=True,
        service_request_id=row.service_request_id,
        court_case_id=row.court_case_id,
        filing_id=row.filing_id,
    )


def tracking_codes_purge(*, now: datetime | None = None) -> int:
    now = now or timezone.now()
    deleted, _ = TrackingCode.objects.filter(expires_at__lt=now - timedelta(days=1)).delete()
    return deleted


# --- Case progress (网上查询) ------------------------------------------------------------------

CASE_VIEW_ACTION = "portal_case_view"


def case_view_audit(*, subject: CourtCase | Filing, verified_by: str, shown: list[str]) -> None:
    """Record a party's full view of a case's progress on the portal. The same record as
    ``youjie.core.audit.audit_record``, without an account: the visitor is known only by the
    (masked) mobile they verified, which goes in ``purpose``."""
    subject_type, subject_id = subject_key(subject)
    AuditEntry.objects.create(
        actor=None,
        action=CASE_VIEW_ACTION,
        subject_type=subject_type,
        subject_id=subject_id,
        fields=shown,
        purpose=f"当事人网上查询案件进度（验证手机 {verified_by}）"[:200],
        ip_address=current_ip(),
        request_id=current_request_id(),
    )
