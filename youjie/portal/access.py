"""Who may see a request on the portal: the session remembers a verified (number, mobile[, SMS
code]) for 30 minutes, keyed by request number, so the mobile never appears in a URL."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

VERIFIED_KEY = "portal.verified"
PENDING_KEY = "portal.pending_code"
SUBMITTED_KEY = "portal.submitted"
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
