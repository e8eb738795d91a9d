"""Cheap defences of the public forms against scripts: a signed render time and a honeypot.

Every public form carries ``form_token``, the form's name and the time it was rendered signed
with ``django.core.signing`` (so it cannot be forged or moved to another form), and a hidden
``website`` field that people never see and simple bots fill in. A submission is refused when
the honeypot is filled, the token is missing, forged or for another form, or it comes back
sooner than ``YOUJIE_PORTAL_FORM_MIN_SECONDS`` (2 s: nobody types a request that fast) or later
than ``YOUJIE_PORTAL_FORM_MAX_SECONDS`` (2 h) after the form was rendered. Both are read at
call time so that browser tests can lower the minimum.

A token is accepted once (``form_token_spend``): a script that fetched one form cannot post
it again and again within the two hours. Each token carries a random nonce, so two forms
rendered in the same instant get different tokens; a page re-rendered after a refusal carries a
fresh one.
"""

from __future__ import annotations

import secrets
import time
from datetime import UTC, datetime

from django.conf import settings
from django.core import signing

from youjie.portal.services import form_token_spend

SALT = "youjie.portal.formguard"
HONEYPOT_FIELD = "website"
TOKEN_FIELD = "form_token"
DEFAULT_MIN_SECONDS = 2.0
DEFAULT_MAX_SECONDS = 2 * 3600.0

REJECTED_MESSAGE = "表单已失效或提交过快，请稍候片刻，核对内容后重新提交。"


class GuardRejected(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # for logs and tests; the user always sees REJECTED_MESSAGE


def form_token_issue(form_name: str, *, issued_at: float | None = None) -> str:
    stamp = time.time() if issued_at is None else issued_at
    return signing.dumps(
        {"f": form_name, "t": round(stamp, 3), "n": secrets.token_urlsafe(9)}, salt=SALT
    )


def form_guard_check(
    *, form_name: str, token: str, honeypot: str, now: float | None = None
) -> None:
    """Raise GuardRejected unless the submission looks like a person using our form."""
    if honeypot:
        raise GuardRejected("honeypot")
    if not token or len(token) > 500:
        raise GuardRejected("missing")
    try:
        payload = signing.loads(token, salt=SALT)
    except signing.BadSignature as exc:
        raise GuardRejected("forged") from exc
    if not isinstance(payload, dict) or payload.get("f") != form_name:
        raise GuardRejected("other_form")
    issued = payload.get("t")
    if not isinstance(issued, int | float):
        raise GuardRejected("forged")
    age = (time.time() if now is None else now) - float(issued)
    minimum = float(getattr(settings, "YOUJIE_PORTAL_FORM_MIN_SECONDS", DEFAULT_MIN_SECONDS))
    maximum = float(getattr(settings, "YOUJIE_PORTAL_FORM_MAX_SECONDS", DEFAULT_MAX_SECONDS))
    if age < minimum:
        raise GuardRejected("too_fast")
    if age > maximum:
        raise GuardRejected("expired")
    expires_at = datetime.fromtimestamp(float(issued) + maximum, tz=UTC)
    if not form_token_spend(token=token, expires_at=expires_at):
        raise GuardRejected("reused")
