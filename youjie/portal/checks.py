"""System checks: a malformed YOUJIE_PORTAL_RATE_LIMITS fails at start-up, not on a citizen."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, register
from django.core.exceptions import ImproperlyConfigured


@register()
def portal_rate_limits_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    from youjie.portal.selectors import rate_limit_rules

    try:
        rate_limit_rules()
    except ImproperlyConfigured as exc:
        return [Error(str(exc), hint='形如 {"submit_ip": (5, 3600)}', id="portal.E001")]
    return []
