from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from youjie.core import navigation


def site(request: HttpRequest) -> dict[str, Any]:
    return {"site_name": settings.YOUJIE_SITE_NAME}


def nav(request: HttpRequest) -> dict[str, Any]:
    """The navigation links the signed-in user gets (youjie.core.navigation); base.html loops.
    A request that did not pass the authentication middleware (an early error page) has none."""
    user = getattr(request, "user", None)
    return {"nav_entries": navigation.entries_for(user) if user is not None else []}
