"""The fee rules a court configures, read from settings at call time (DOMAIN.md §4: the rounding
rule, and the per-case figures a province fixes within the ranges of Art. 13(2) and (3)).

    YOUJIE_FEES_POLICY = {
        "rounding": "fen",                                    # or "yuan"
        "per_case_standards": {"divorce": "200", "ip": "800"},  # none: the ranges are shown
    }

A malformed value fails at start-up (youjie/fees/checks.py), not on a citizen.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from youjie.fees.calculator import check_per_case_standards
from youjie.fees.choices import Rounding

# The portal's rate-limit rule the calculator's page and API take a slot of, per client address
# (youjie.portal.selectors.DEFAULT_RATE_LIMITS; YOUJIE_PORTAL_RATE_LIMITS overrides it).
RATE_LIMIT_RULE = "fee_estimate_ip"
# The pay page (viewing it, its status polls, creating a payment order) takes a slot of the same
# per-address rule; a relief application (a public submission with files) one of the portal's
# "submit_ip". An order is created at most once per notice while its QR code can be paid, so the
# provider sees no more orders than notices whatever the rate.
PAY_RATE_LIMIT_RULE = RATE_LIMIT_RULE
RELIEF_RATE_LIMIT_RULE = "submit_ip"
KEYS = frozenset({"rounding", "per_case_standards"})


@dataclass(frozen=True)
class FeesPolicy:
    rounding: str = Rounding.FEN
    per_case_standards: Mapping[str, Decimal] = field(default_factory=dict)


def _decimal(kind: str, value: Any) -> Decimal:
    try:
        number = Decimal(str(value))
    except InvalidOperation as exc:
        raise ImproperlyConfigured(
            f"YOUJIE_FEES_POLICY per_case_standards[{kind!r}] = {value!r} is not an amount"
        ) from exc
    return number


def fees_policy() -> FeesPolicy:
    configured = getattr(settings, "YOUJIE_FEES_POLICY", None) or {}
    if not isinstance(configured, dict) or not set(configured) <= KEYS:
        raise ImproperlyConfigured(
            f"YOUJIE_FEES_POLICY must be a dict with the keys {sorted(KEYS)}, got {configured!r}"
        )
    rounding = configured.get("rounding", Rounding.FEN)
    if rounding not in Rounding.values:
        raise ImproperlyConfigured(
            f"YOUJIE_FEES_POLICY rounding = {rounding!r}: one of {Rounding.values}"
        )
    raw = configured.get("per_case_standards") or {}
    if not isinstance(raw, dict):
        raise ImproperlyConfigured("YOUJIE_FEES_POLICY per_case_standards must be a dict")
    try:
        standards = check_per_case_standards(
            {str(kind): _decimal(str(kind), value) for kind, value in raw.items()}
        )
    except ValueError as exc:
        raise ImproperlyConfigured(f"YOUJIE_FEES_POLICY per_case_standards: {exc}") from exc
    return FeesPolicy(rounding=str(rounding), per_case_standards=standards)
