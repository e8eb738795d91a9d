"""Who may see a request on the portal: the session remembers a verified (number, mobile[, SMS
code]) for 30 minutes, keyed by request number, so the mobile never appears in a URL. A party's
court case or filing (网上查询) is remembered the same way, under its own key, by its number.

It also remembers the request this device last submitted: the done page shows its number, and
for 30 minutes the tracking form is offered with that request's mobile filled in (read from the
request, never kept in the session or put in a URL). The window is short because a device may be
shared (a kiosk in the court's lobby): the next person must not find the previous one's phone."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

VERIFIED_KEY = "portal.verified"
PENDING_KEY = "portal.pending_code"
SUBMITTED_KEY = "portal.submitted"
SUBMITTED_AT_KEY = "portal.submitted_at"
SUBMITTED_PREFILL_SECONDS = 30 * 60
VERIFIED_SECONDS = 30 * 60
PENDING_SECONDS = 10 * 60
MAX_VERIFIED = 10


def now() -> float:
    """Wall-clock seconds (a function so that tests can move time)."""
    return time.time()


def _verified(request: HttpRequest) -> dict[str, float]:
    raw: Any = request.session.get(VERIFIED_KEY) or {}
    if not isinstance(raw, dict):
        return {}
    current = now()
    return {
        str(number): float(until)
        for number, until in raw.items()
        if isinstance(until, int | float) and until > current
    }


def verified_mark(request: HttpRequest, number: str) -> None:
    entries = _verified(request)
    entries[number] = now() + VERIFIED_SECONDS
    newest = sorted(entries.items(), key=lambda item: item[1])[-MAX_VERIFIED:]
    request.session[VERIFIED_KEY] = dict(newest)


def verified_check(request: HttpRequest, number: str) -> bool:
    return number in _verified(request)


def submitted_mark(request: HttpRequest, number: str) -> None:
    request.session[SUBMITTED_KEY] = number
    request.session[SUBMITTED_AT_KEY] = now()


def submitted_number(request: HttpRequest) -> str | None:
    """The number of the request this device submitted last (the done page shows it)."""
    number: Any = request.session.get(SUBMITTED_KEY)
    return number if isinstance(number, str) else None


def submitted_recently(request: HttpRequest, number: str) -> bool:
    """True when this device submitted request ``number`` less than 30 minutes ago."""
    at: Any = request.session.get(SUBMITTED_AT_KEY)
    return (
        submitted_number(request) == number
        and isinstance(at, int | float)
        and 0 <= now() - at <= SUBMITTED_PREFILL_SECONDS
    )


@dataclass(frozen=True)
class PendingCode:
    number: str
    code_id: int


def pending_set(request: HttpRequest, *, number: str, code_id: int) -> None:
    request.session[PENDING_KEY] = {
        "number": number,
        "code_id": code_id,
        "until": now() + PENDING_SECONDS,
    }


def pending_get(request: HttpRequest) -> PendingCode | None:
    raw: Any = request.session.get(PENDING_KEY)
    if not isinstance(raw, dict):
        return None
    until, number, code_id = raw.get("until"), raw.get("number"), raw.get("code_id")
    if not isinstance(until, int | float) or until < now():
        return None
    if not isinstance(number, str) or not isinstance(code_id, int):
        return None
    return PendingCode(number=number, code_id=code_id)


def pending_clear(request: HttpRequest) -> None:
    request.session.pop(PENDING_KEY, None)


# --- Case progress (网上查询): the same 30 minutes, kept apart from tracked requests -------------

CASE_VERIFIED_KEY = "portal.verified_cases"
CASE_PENDING_KEY = "portal.pending_case_code"


def _verified_cases(request: HttpRequest) -> dict[str, list[Any]]:
    raw: Any = request.session.get(CASE_VERIFIED_KEY) or {}
    if not isinstance(raw, dict):
        return {}
    current = now()
    return {
        str(key): [float(entry[0]), str(entry[1])]
        for key, entry in raw.items()
        if isinstance(entry, list)
        and len(entry) == 2
        and isinstance(entry[0], int | float)
        and entry[0] > current
    }


def case_verified_mark(request: HttpRequest, key: str, *, verified_by: str) -> None:
    """Remember for 30 minutes that this device verified case (or filing) ``key``, and with
    which mobile (masked: for the audit of each view)."""
    entries = _verified_cases(request)
    entries[key] = [now() + VERIFIED_SECONDS, verified_by]
    newest = sorted(entries.items(), key=lambda item: item[1][0])[-MAX_VERIFIED:]
    request.session[CASE_VERIFIED_KEY] = dict(newest)


def case_verified_by(request: HttpRequest, key: str) -> str | None:
    """The masked mobile ``key`` was verified with, while the verification holds; else None."""
    entry = _verified_cases(request).get(key)
    return entry[1] if entry is not None else None


@dataclass(frozen=True)
class PendingCaseCode:
    key: str
    code_id: int
    verified_by: str


def case_pending_set(request: HttpRequest, *, key: str, code_id: int, verified_by: str) -> None:
    request.session[CASE_PENDING_KEY] = {
        "key": key,
        "code_id": code_id,
        "by": verified_by,
        "until": now() + PENDING_SECONDS,
    }


def case_pending_get(request: HttpRequest) -> PendingCaseCode | None:
    raw: Any = request.session.get(CASE_PENDING_KEY)
    if not isinstance(raw, dict):
        return None
    until, key, code_id, by = raw.get("until"), raw.get("key"), raw.get("code_id"), raw.get("by")
    if not isinstance(until, int | float) or until < now():
        return None
    if not isinstance(key, str) or not isinstance(code_id, int) or not isinstance(by, str):
        return None
    return PendingCaseCode(key=key, code_id=code_id, verified_by=by)


def case_pending_clear(request: HttpRequest) -> None:
    request.session.pop(CASE_PENDING_KEY, None)
