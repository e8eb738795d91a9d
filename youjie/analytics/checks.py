"""System checks: a malformed court-figures setting fails at start-up, not on a leader's page."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, register
from django.core.exceptions import ImproperlyConfigured


@register()
def acceptance_rate_subtract_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    from youjie.analytics.policy import acceptance_rate_subtracts

    try:
        acceptance_rate_subtracts()
    except ImproperlyConfigured as exc:
        return [
            Error(
                str(exc),
                hint="YOUJIE_ACCEPTANCE_RATE_SUBTRACT=appealed 或 appealed,petitioned",
                id="analytics.E001",
            )
        ]
    return []
