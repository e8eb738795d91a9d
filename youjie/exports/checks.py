"""System checks: export limits that contradict each other fail at start-up, not at the first
large export."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register


@register()
def export_limits_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    direct = int(settings.YOUJIE_EXPORT_DIRECT_MAX_ROWS)
    overall = int(settings.YOUJIE_EXPORT_MAX_ROWS)
    if direct > overall:
        return [
            Error(
                f"YOUJIE_EXPORT_DIRECT_MAX_ROWS（{direct}）"
                f"不能大于 YOUJIE_EXPORT_MAX_ROWS（{overall}）",
                hint="当场导出的行数上限应不超过单次导出的总上限",
                id="exports.E001",
            )
        ]
    if not str(settings.YOUJIE_EXPORTS_DIR).strip():
        return [Error("YOUJIE_EXPORTS_DIR 不能为空", id="exports.E002")]
    return []
