"""System checks: a malformed YOUJIE_FEES_POLICY fails at start-up, not on a citizen."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, register
from django.core.exceptions import ImproperlyConfigured


@register()
def fees_policy_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    from youjie.fees.policy import fees_policy

    try:
        fees_policy()
    except ImproperlyConfigured as exc:
        hint = '形如 {"rounding": "fen", "per_case_standards": {"divorce": "200"}}'
        return [Error(str(exc), hint=hint, id="fees.E001")]
    return []
