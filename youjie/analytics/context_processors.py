from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from youjie.analytics.permissions import may_see_desk_figures


def analytics_nav(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "may_see_desk_figures": bool(user and user.is_authenticated and may_see_desk_figures(user))
    }
