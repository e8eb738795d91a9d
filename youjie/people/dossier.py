"""The dossier (一人一档) registry: other apps contribute sections about a person.

``people`` imports none of them. An app registers a provider in its ``AppConfig.ready``::

    from youjie.people.dossier import DossierRow, DossierSection, register_dossier_section

    def court_cases_section(user, person):
        rows = [DossierRow(case.case_number, case_url(case), case.cause) for case in ...]
        return DossierSection(title="法院案件", rows=rows, order=20)

    register_dossier_section(court_cases_section)

A provider receives the viewing user and the person (already checked to be visible to that
user) and must itself scope what it lists to that user; it returns ``None`` to contribute
nothing. Rows may be given as ``DossierRow`` or as plain ``(label, url, detail)`` tuples.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from youjie.core.viewers import Viewer
    from youjie.people.models import Person


class DossierRow(NamedTuple):
    label: str
    url: str = ""
    detail: str = ""


@dataclass(frozen=True)
class DossierSection:
    title: str
    rows: Sequence[DossierRow | tuple[str, str, str]] = field(default_factory=list)
    order: int = 100
    empty_text: str = "暂无记录"

    @property
    def row_list(self) -> list[DossierRow]:
        return [row if isinstance(row, DossierRow) else DossierRow(*row) for row in self.rows]


DossierProvider = Callable[["Viewer", "Person"], DossierSection | None]

_PROVIDERS: list[DossierProvider] = []


def register_dossier_section(provider: DossierProvider) -> DossierProvider:
    """Register ``provider`` (idempotent, so a repeated ``ready()`` does no harm)."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def unregister_dossier_section(provider: DossierProvider) -> None:
    """Remove a provider (tests register temporary ones)."""
    if provider in _PROVIDERS:
        _PROVIDERS.remove(provider)


def dossier_sections(*, user: Viewer, person: Person) -> list[DossierSection]:
    """Every registered provider's section for ``person``, ordered by (order, title)."""
    sections = [
        section for provider in list(_PROVIDERS) if (section := provider(user, person)) is not None
    ]
    return sorted(sections, key=lambda section: (section.order, section.title))
