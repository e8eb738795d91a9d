"""Writes of the public portal: rate limiting and the one-time SMS codes that guard tracking.

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
``DEFAULT_RATE_LIMITS`` (so a deployment overrides only what it needs)::

    YOUJIE_PORTAL_RATE_LIMITS = {"submit_ip": (5, 3600), "track_ip": (20, 600)}

Identifiers are stored as keyed hashes (``lookup_hash``), never in clear. The client IP is
``REMOTE_ADDR``: behind a reverse proxy, the proxy must pass the real address (nginx
``real_ip`` module / uvicorn ``--proxy-headers`` with ``--forwarded-allow-ips``), otherwise every
citizen shares the proxy's address and its limits.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from youjie.core.crypto import lookup_hash
from youjie.core.errors import ApplicationError
from youjie.desk.models import ServiceRequest
from youjie.notifications.services import notification_enqueue
from youjie.people.identity import phone_hash
from youjie.portal.models import RateLimitCounter, TrackingCode

RATE_KEY_PURPOSE = "portal.rate_limit"

# name → (limit, window seconds). Names say what is counted and per what.
DEFAULT_RATE_LIMITS: dict[str, tuple[int, int]] = {
    "submit_ip": (5, 3600),
    "submit_mobile": (3, 3600),
    "track_ip": (20, 600),
    "feedback_ip": (10, 3600),
    "withdraw_ip": (5, 3600),
    "sms_code_mobile_minute": (1, 60),
    "sms_code_mobile_hour": (5, 3600),
    "sms_code_ip": (10, 3600),
}

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


@dataclass(frozen=True)
class RateRule:
    name: str
    limit: int
    seconds: int


def rate_limit_rules() -> dict[str, RateRule]:
    """The effective rules: defaults overridden by settings; a malformed value fails loudly."""
    configured = getattr(settings, "YOUJIE_PORTAL_RATE_LIMITS", None) or {}
    if not isinstance(configured, dict):
        raise ImproperlyConfigured(
            "YOUJIE_PORTAL_RATE_LIMITS must be a dict of name → (limit, seconds)"
        )
    rules: dict[str, RateRule] = {}
    for name, value in {**DEFAULT_RATE_LIMITS, **configured}.items():
        try:
            limit, seconds = value
            limit, seconds = int(limit), int(seconds)
        except (TypeError, ValueError) as exc:
            raise ImproperlyConfigured(
                f"YOUJIE_PORTAL_RATE_LIMITS[{name!r}] = {value!r}: expected (limit, seconds)"
            ) from exc
        if limit < 1 or seconds < 1 or len(name) > 40:
            raise ImproperlyConfigured(
                f"YOUJIE_PORTAL_RATE_LIMITS[{name!r}] = {value!r}: limit and seconds must be ≥ 1"
            )
        rules[name] = RateRule(name=name, limit=limit, seconds=seconds)
    return rules


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


# --- One-time SMS codes for tracking ---------------------------------------------------------


def sms_gateway_configured() -> bool:
    """Tracking asks for an SMS code only where a real SMS gateway delivers it."""
    transports: Any = getattr(settings, "YOUJIE_NOTIFY_TRANSPORTS", None) or {}
    return isinstance(transports, dict) and transports.get("sms") == "http_sms"


def _code_hash(salt: str, code: str) -> str:
    return salted_hmac(CODE_HASH_SALT, f"{salt}:{code}", algorithm="sha256").hexdigest()


@dataclass(frozen=True)
class CodeSent:
    code_id: int
    sent: bool  # False: a code sent less than a minute ago is still valid and was re-used


def tracking_code_send(
    *, service_request: ServiceRequest, mobile: str, client_ip: str, now: datetime | None = None
) -> CodeSent:
    """Send a one-time 6-digit code to ``mobile`` (already matched against the request).

    Only a salted hash of the code is stored. A code sent less than a minute ago is re-used
    instead of sending another; otherwise the SMS rate limits per mobile and per IP apply.
    """
    now = now or timezone.now()
    digest = phone_hash(mobile)
    with transaction.atomic():
        recent = (
            TrackingCode.objects.filter(
                service_request=service_request,
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
            service_request=service_request,
            mobile_hash=digest,
            salt=salt,
            code_hash=_code_hash(salt, code),
            expires_at=now + CODE_LIFETIME,
        )
        minutes = int(CODE_LIFETIME.total_seconds() // 60)
        notification_enqueue(
            channel="sms",
            recipient=mobile,
            body=(
                f"您正在查询诉求{service_request.number}的办理情况，验证码{code}，"
                f"{minutes}分钟内有效。请勿将验证码告诉他人。"
            ),
            template_key="portal.tracking_code",
            about=service_request,
            dedupe_key=f"portal:tracking_code:{row.pk}",
        )
    return CodeSent(code_id=row.pk, sent=True)


@dataclass(frozen=True)
class CodeCheck:
    ok: bool
    expired: bool = False  # expired, used, or out of attempts: a new code is needed
    attempts_left: int = 0
    service_request_id: int | None = None


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
    return CodeCheck(ok=True, service_request_id=row.service_request_id)


def tracking_codes_purge(*, now: datetime | None = None) -> int:
    now = now or timezone.now()
    deleted, _ = TrackingCode.objects.filter(expires_at__lt=now - timedelta(days=1)).delete()
    return deleted
