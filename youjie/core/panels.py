"""Home-page panels. Apps register a function in their AppConfig.ready(); core imports no app."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from youjie.core.viewers import Viewer


@dataclass(frozen=True)
class PanelFigure:
    """One figure on a panel ("超期 3 件"), linking to its list when ``url`` is given."""

    label: str
    value: str
    unit: str = ""
    url: str = ""


@dataclass(frozen=True)
class Panel:
    title: str
    url: str
    text: str
    order: int = 100
    figures: tuple[PanelFigure, ...] = ()


# An app's provider takes anybody (``request.user``) and gives no panel to whom it does not concern.
PanelProvider = Callable[[Viewer], Panel | None]
_PROVIDERS: list[PanelProvider] = []


def register_panel(provider: PanelProvider) -> PanelProvider:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def panels_for(user: Viewer) -> list[Panel]:
    found = [panel for provider in _PROVIDERS if (panel := provider(user)) is not None]
    return sorted(found, key=lambda panel: (panel.order, panel.title))
