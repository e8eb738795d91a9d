"""Home-page panels. Apps register a function in their AppConfig.ready(); core imports no app."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Panel:
    title: str
    url: str
    text: str
    order: int = 100


PanelProvider = Callable[[Any], Panel | None]
_PROVIDERS: list[PanelProvider] = []


def register_panel(provider: PanelProvider) -> PanelProvider:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def panels_for(user: Any) -> list[Panel]:
    found = [panel for provider in _PROVIDERS if (panel := provider(user)) is not None]
    return sorted(found, key=lambda panel: (panel.order, panel.title))
