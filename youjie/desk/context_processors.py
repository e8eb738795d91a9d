from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from youjie.desk.permissions import is_desk_staff


def desk_nav(request: HttpRequest) -> dict[str, Any]:
    """Whether to show the desk's navigation link (the pages check permissions themselves)."""
    return {"is_desk_staff": is_desk_staff(getattr(request, "user", None))}
