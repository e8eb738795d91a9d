"""Links that other apps put on a record's page ("转为信访事项" on a desk request, "委派调解" on a
filing), so that the page's app need not import the apps above it.

An app registers a provider for a model label in its AppConfig.ready(); the page asks
``links_for(user, instance)`` and shows what comes back. A provider decides with its own app's
permission rules and gives no link to whom it does not concern. Core imports no app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models

from youjie.core.viewers import Viewer


@dataclass(frozen=True)
class RecordLink:
    label: str
    url: str
    note: str = ""  # a short explanation beside the link ("已转为信访事项 XF…")
    order: int = 100


LinkProvider = Callable[[Viewer, Any], RecordLink | None]
_PROVIDERS: dict[str, list[LinkProvider]] = {}


def register_record_link(model_label: str, provider: LinkProvider) -> LinkProvider:
    """``model_label`` as Django spells it in lower case: "desk.servicerequest"."""
    providers = _PROVIDERS.setdefault(model_label.lower(), [])
    if provider not in providers:
        providers.append(provider)
    return provider


def links_for(user: Viewer, instance: models.Model) -> list[RecordLink]:
    label = instance._meta.label_lower
    found = [
        link
        for provider in _PROVIDERS.get(label, [])
        if (link := provider(user, instance)) is not None
    ]
    return sorted(found, key=lambda link: (link.order, link.label))
