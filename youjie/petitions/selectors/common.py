"""Helpers shared by the petitions selectors: today in Beijing time (the day every petitions clock
counts), the matters a user may see (``visible_matters``), which of a set of rows a user may
see (``visible_ids``), the related rows a matter list selects, and ``Figures`` (total /
resolved / settled / in progress / overdue of a set of counted matters) with their aggregates.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db import models
from django.db.models import Count, Q
from django.utils import timezone

from youjie.core.viewers import Viewer
from youjie.orgs.scoping import scope_queryset
from youjie.petitions.choices import OPEN_MATTER_STATUSES, RESOLVED_MATTER_STATUSES, MatterStatus
from youjie.petitions.models import PetitionMatter, PetitionMatterQuerySet, matter_overdue_q
from youjie.workdays.calendar import SHANGHAI

MATTER_RELATED = (
    "region",
    "county_office",
    "responsible_unit",
    "handling_unit",
    "lead_official",
    "handler",
)


def _today() -> date:
    return timezone.localtime(timezone.now(), SHANGHAI).date()


def visible_matters(*, user: Viewer) -> PetitionMatterQuerySet:
    """Every matter ``user`` may see (no filter, no ordering beyond the model's)."""
    queryset = scope_queryset(PetitionMatter.objects.all(), user)
    assert isinstance(queryset, PetitionMatterQuerySet)
    return queryset


def today_beijing() -> date:
    return _today()


def clock_today() -> date:
    """Today in Beijing time (the day every petitions clock counts)."""
    return _today()


def visible_ids(model: type[models.Model], user: Viewer, ids: Sequence[int]) -> set[int]:
    """Which of ``ids`` (rows of ``model``) ``user`` may see: the pages link only those."""
    if not ids:
        return set()
    queryset = scope_queryset(model._default_manager.filter(pk__in=list(ids)), user)
    return set(queryset.values_list("pk", flat=True))


# --- figures ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    """Counts of a set of counted matters (依法终结 ones are not counted: DOMAIN.md §2)."""

    key: str
    name: str
    total: int
    resolved: int  # 事了 (settled included)
    settled: int  # 事心双解
    in_progress: int  # registered or in progress
    overdue: int  # open and past a statutory clock


def _figure_aggregates(prefix: str, today: date) -> dict[str, Count]:
    return {
        "total": Count("pk"),
        "resolved": Count("pk", filter=Q(**{f"{prefix}status__in": RESOLVED_MATTER_STATUSES})),
        "settled": Count("pk", filter=Q(**{f"{prefix}status": MatterStatus.SETTLED})),
        "in_progress": Count("pk", filter=Q(**{f"{prefix}status__in": OPEN_MATTER_STATUSES})),
        "overdue": Count("pk", filter=matter_overdue_q(today=today, prefix=prefix)),
    }


def figures_for(matters: PetitionMatterQuerySet, *, today: date | None = None) -> Figures:
    """The figures of a set of matters (already scoped by the caller's selector)."""
    day = today or _today()
    row = matters.counted().order_by().aggregate(**_figure_aggregates("", day))
    return Figures(key="", name="合计", **row)
