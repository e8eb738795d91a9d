"""System checks: a malformed petitions setting (a 发文机关代字, the bulletin's time, the
三日一研究 start date …) fails at start-up, not in the periodic task at 18:00."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, register
from django.core.exceptions import ImproperlyConfigured


@register()
def petitions_supervision_settings_check(
    app_configs: Any = None, **kwargs: Any
) -> list[CheckMessage]:
    from youjie.petitions.policy import supervision_policy

    try:
        supervision_policy()
    except ImproperlyConfigured as exc:
        return [Error(str(exc), hint="见 youjie/petitions/policy.py", id="petitions.E001")]
    return []


@register()
def petitions_coordination_settings_check(
    app_configs: Any = None, **kwargs: Any
) -> list[CheckMessage]:
    """YOUJIE_COORDINATION_WORKDAYS, the default time limit of a coordination request (P2)."""
    from django.conf import settings

    from youjie.petitions.deadlines import COORDINATION_MAX_WORKDAYS

    value = getattr(settings, "YOUJIE_COORDINATION_WORKDAYS", 10)
    if not isinstance(value, int) or not 1 <= value <= COORDINATION_MAX_WORKDAYS:
        return [
            Error(
                f"YOUJIE_COORDINATION_WORKDAYS 应为1至{COORDINATION_MAX_WORKDAYS}的整数，"
                f"现为 {value!r}",
                hint="协调函的默认答复时限（工作日），见 config/settings/base.py",
                id="petitions.E002",
            )
        ]
    return []
