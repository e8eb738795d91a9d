"""Reads of campaigns (百日攻坚, 回头看 …): the list, one campaign, its matters and the follow-ups
due, its figures in total, by region (属地) and by responsible unit (责任单位), its burn-down
day by day and the campaign a dashboard opens on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from youjie.core.viewers import Viewer
from youjie.orgs.scoping import access, scope_queryset
from youjie.petitions.choices import (
    RESOLVED_MATTER_STATUSES,
    CampaignStatus,
    FollowUpStatus,
    MatterStatus,
)
from youjie.petitions.models import Campaign, CampaignMatter
from youjie.petitions.selectors.common import MATTER_RELATED, Figures, _figure_aggregates, _today


def campaign_list(*, user: Viewer, status: str = "") -> QuerySet[Campaign]:
    queryset = scope_queryset(Campaign.objects.select_related("issuing_office"), user)
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("-starts_on", "-id")


def campaign_get(*, user: Viewer, pk: int) -> Campaign:
    return access(Campaign.objects.select_related("issuing_office"), user, pk=pk)


def campaign_matter_list(
    *, user: Viewer, campaign: Campaign, follow_up_status: str = ""
) -> QuerySet[CampaignMatter]:
    """The campaign's matters that ``user`` may see, with their follow-up."""
    queryset = scope_queryset(CampaignMatter.objects.filter(campaign=campaign), user)
    if follow_up_status:
        queryset = queryset.filter(status=follow_up_status)
    return queryset.select_related(
        *(f"matter__{name}" for name in MATTER_RELATED), "campaign"
    ).order_by("id")


def follow_ups_due(*, user: Viewer, on: date | None = None) -> QuerySet[CampaignMatter]:
    """Follow-ups whose period has ended by ``on`` (today): to confirm stable or reopen."""
    day = on or _today()
    return (
        scope_queryset(CampaignMatter.objects.all(), user)
        .filter(status=FollowUpStatus.PENDING, follow_up_due_on__lte=day)
        .exclude(matter__status=MatterStatus.TERMINATED)
        .select_related("campaign", "matter", "matter__region")
        .order_by("follow_up_due_on", "id")
    )


def _campaign_rows(user: Viewer, campaign: Campaign) -> QuerySet[CampaignMatter]:
    return scope_queryset(CampaignMatter.objects.filter(campaign=campaign), user).filter(
        matter__no_further_counting=False
    )


def campaign_progress_by_region(
    *, user: Viewer, campaign: Campaign, today: date | None = None
) -> list[Figures]:
    """The campaign's figures per 属地 (region), of the matters ``user`` may see."""
    day = today or _today()
    rows = (
        _campaign_rows(user, campaign)
        .values("matter__region_id", "matter__region__name")
        .annotate(**_figure_aggregates("matter__", day))
        .order_by("matter__region_id")
    )
    return [
        Figures(
            key=str(row.pop("matter__region_id")), name=str(row.pop("matter__region__name")), **row
        )
        for row in rows
    ]


def campaign_progress_by_unit(
    *, user: Viewer, campaign: Campaign, today: date | None = None
) -> list[Figures]:
    """The campaign's figures per responsible unit (责任单位), of the matters ``user`` may see."""
    day = today or _today()
    rows = (
        _campaign_rows(user, campaign)
        .values("matter__responsible_unit_id", "matter__responsible_unit__name")
        .annotate(**_figure_aggregates("matter__", day))
        .order_by("matter__responsible_unit_id")
    )
    return [
        Figures(
            key=str(row.pop("matter__responsible_unit_id") or ""),
            name=str(row.pop("matter__responsible_unit__name") or "未明确责任单位"),
            **row,
        )
        for row in rows
    ]


@dataclass(frozen=True)
class CampaignProgress:
    by_region: list[Figures]
    by_unit: list[Figures]


def _figures_add(rows: dict[str, Figures], key: str, name: str, row: dict[str, int]) -> None:
    before = rows.get(key)
    if before is None:
        rows[key] = Figures(key=key, name=name, **row)
        return
    rows[key] = Figures(
        key=key,
        name=name,
        total=before.total + row["total"],
        resolved=before.resolved + row["resolved"],
        settled=before.settled + row["settled"],
        in_progress=before.in_progress + row["in_progress"],
        overdue=before.overdue + row["overdue"],
    )


def campaign_progress(
    *, user: Viewer, campaign: Campaign, today: date | None = None
) -> CampaignProgress:
    """Both breakdowns of ``campaign_progress_by_region`` and ``campaign_progress_by_unit`` from
    one statement grouped by (region, unit): the campaign's matters are read once, not twice
    (the dashboard over 10,000 matters, issue 13). Sums of counts over disjoint groups are the
    groups' counts: the results equal the two functions' (tests/test_scoping.py)."""
    day = today or _today()
    grouped = (
        _campaign_rows(user, campaign)
        .values(
            "matter__region_id",
            "matter__region__name",
            "matter__responsible_unit_id",
            "matter__responsible_unit__name",
        )
        .annotate(**_figure_aggregates("matter__", day))
        .order_by()
    )
    regions: dict[str, Figures] = {}
    units: dict[str, Figures] = {}
    for row in grouped:
        region_key = str(row.pop("matter__region_id"))
        region_name = str(row.pop("matter__region__name"))
        unit_id = row.pop("matter__responsible_unit_id")
        unit_name = row.pop("matter__responsible_unit__name")
        _figures_add(regions, region_key, region_name, row)
        _figures_add(units, str(unit_id or ""), str(unit_name or "未明确责任单位"), row)
    return CampaignProgress(
        by_region=[regions[key] for key in sorted(regions)],
        # NULL first, then by id: the order of campaign_progress_by_unit's ORDER BY unit_id.
        by_unit=[units[key] for key in sorted(units, key=lambda key: (key != "", int(key or 0)))],
    )


# --- campaigns: figures over time -------------------------------------------------------------


def campaign_figures(*, user: Viewer, campaign: Campaign, today: date | None = None) -> Figures:
    """The campaign's total figures, of the matters ``user`` may see."""
    day = today or _today()
    row = _campaign_rows(user, campaign).aggregate(**_figure_aggregates("matter__", day))
    return Figures(key="", name="合计", **row)


def figures_sum(rows: Sequence[Figures]) -> Figures:
    """The total of figures over disjoint sets of matters — a campaign's regions (every matter
    has exactly one 属地), so ``figures_sum(campaign_progress_by_region(…))`` equals
    ``campaign_figures(…)`` without a second aggregate over the campaign's matters."""
    return Figures(
        key="",
        name="合计",
        total=sum(row.total for row in rows),
        resolved=sum(row.resolved for row in rows),
        settled=sum(row.settled for row in rows),
        in_progress=sum(row.in_progress for row in rows),
        overdue=sum(row.overdue for row in rows),
    )


@dataclass(frozen=True)
class BurnDown:
    """The campaign's remaining unresolved matters day by day, with the ideal straight line
    from the number taken on to zero at the campaign's end."""

    days: list[str]
    remaining: list[int | None]  # None after today (the future is not drawn)
    ideal: list[float]


BURNDOWN_MAX_DAYS = 400


def campaign_burndown(
    *, user: Viewer, campaign: Campaign, today: date | None = None, total: int | None = None
) -> BurnDown:
    """From the campaign's start to its end: how many of its matters were still unresolved on
    each day. The campaign's targets count from its start (the day a matter was entered is a
    clerical date); a matter counts as resolved from its 事了 date in the current resolution
    round, so a matter reopened by 回头看 counts as unresolved again; matters terminated by law
    are not counted (DOMAIN.md §2). Two aggregate queries, whatever the number of matters (one
    when the caller passes ``total``, the campaign's counted matters ``user`` sees)."""
    from datetime import timedelta

    day = today or _today()
    rows = _campaign_rows(user, campaign)
    if total is None:
        total = rows.count()
    resolved_by_day = dict(
        rows.filter(
            matter__status__in=RESOLVED_MATTER_STATUSES, matter__matter_resolved_on__isnull=False
        )
        .values_list("matter__matter_resolved_on")
        .annotate(count=Count("pk"))
        .order_by()
    )
    start, end = campaign.starts_on, campaign.ends_on
    span = min((end - start).days, BURNDOWN_MAX_DAYS)
    days = [start + timedelta(days=offset) for offset in range(span + 1)]
    resolved = sum(count for when, count in resolved_by_day.items() if when < start)
    remaining: list[int | None] = []
    for current in days:
        resolved += resolved_by_day.get(current, 0)
        remaining.append(total - resolved if current <= day else None)
    ideal = [round(total * (1 - index / span), 1) if span else 0.0 for index in range(len(days))]
    return BurnDown(days=[f"{d:%m-%d}" for d in days], remaining=remaining, ideal=ideal)


def campaign_open_for_user(*, user: Viewer) -> Campaign | None:
    """The campaign a dashboard opens on: of the active campaigns ``user`` may see, the one
    taking on the most matters (the 百日攻坚 rather than a small 回头看 begun since), the newest
    on a tie; else the newest in preparation; else the newest."""
    campaigns = campaign_list(user=user)
    # A correlated count (read from the (campaign, matter) index) rather than a join grouped by
    # every column of the campaign; 0 for a campaign without matters, as the join counted.
    size = (
        CampaignMatter.objects.filter(campaign=OuterRef("pk"))
        .order_by()
        .values("campaign")
        .annotate(size=Count("pk"))
        .values("size")
    )
    active = (
        campaigns.filter(status=CampaignStatus.ACTIVE)
        .annotate(size=Coalesce(Subquery(size), 0))
        .order_by("-size", "-starts_on", "-id")
        .first()
    )
    if active is not None:
        return active
    return campaigns.filter(status=CampaignStatus.DRAFT).first() or campaigns.first()
