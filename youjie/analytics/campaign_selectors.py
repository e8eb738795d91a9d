"""The city and county offices' figures (专项办): the campaign at a glance, overdue matters,
petitioners not yet met (每案必见), aid and coordination — reads, scoped.

Every count is the petitions app's own (``youjie.petitions.selectors``: the same rules its
lists filter by), over what the viewer may see: the city office the whole city, a county office
its own region (``petitions.scopes``). Each figure carries the petitions list that holds
exactly its records (the list's own query parameters), so that the dashboard drills down.
Where a figure belongs to a period (matters received, resolved, aid paid …), the same period a
year earlier stands beside it; the petitions lists have no date filter, so those figures have
no list behind them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone

from youjie.analytics.court_figures import rate
from youjie.analytics.figures import count_change
from youjie.analytics.periods import Period
from youjie.analytics.permissions import may_see_campaign_figures
from youjie.core.errors import NotFound, PermissionDenied
from youjie.core.snapshots import SnapshotKind, register
from youjie.core.viewers import Viewer
from youjie.orgs.models import User
from youjie.orgs.scoping import access
from youjie.petitions import selectors as petitions
from youjie.petitions.choices import (
    RESOLVED_MATTER_STATUSES,
    AidStatus,
    CoordinationStatus,
    MatterStatus,
)
from youjie.petitions.models import Campaign

CENT = Decimal("0.01")


def petitions_url(route: str, **filters: Any) -> str:
    """A petitions list with ``filters`` (the list form's own names) in its query string."""
    query = urlencode({key: value for key, value in filters.items() if value not in ("", None)})
    return reverse(route) + (f"?{query}" if query else "")


def matters_url(**filters: Any) -> str:
    return petitions_url("petitions:list", **filters)


@dataclass(frozen=True)
class Figure:
    """One figure: its value, the list behind it ("" for none) and whether it is an alarm."""

    key: str
    label: str
    value: str
    url: str = ""
    alarm: bool = False
    unit: str = "件"


@dataclass(frozen=True)
class ProgressRow:
    """A region's or a unit's part of the campaign."""

    key: str
    name: str
    total: int
    resolved: int
    settled: int
    in_progress: int
    overdue: int
    url: str

    @property
    def resolution_rate(self) -> str | None:
        value = rate(self.resolved, self.total)
        return None if value is None else str(value)


@dataclass(frozen=True)
class Comparison:
    """A figure of the period beside the same period a year earlier."""

    key: str
    label: str
    current: str
    previous: str
    change: str


@dataclass
class CampaignFigures:
    office: str
    campaign: Campaign | None
    period: Period
    previous_period: Period
    as_of: datetime
    totals: petitions.Figures | None = None
    campaign_not_met: int = 0
    campaign_figures: list[Figure] = field(default_factory=list)
    by_region: list[ProgressRow] = field(default_factory=list)
    by_unit: list[ProgressRow] = field(default_factory=list)
    burndown: petitions.BurnDown | None = None
    matters: list[Figure] = field(default_factory=list)
    follow_up: list[Figure] = field(default_factory=list)
    aid: list[Figure] = field(default_factory=list)
    comparisons: list[Comparison] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)  # the API's numbers

    @property
    def resolution_rate(self) -> str | None:
        if self.totals is None:
            return None
        value = rate(self.totals.resolved, self.totals.total)
        return None if value is None else str(value)


def campaign_figures_user(*, user: Viewer) -> User:
    """The office officer whose figures these are (403 for anybody else)."""
    if not may_see_campaign_figures(user):
        raise PermissionDenied("只有市、旗县区专项办可以查看化解攻坚统计")
    return user


def campaign_choices(*, user: User) -> list[tuple[int, str]]:
    """The campaigns ``user`` may pick, newest first."""
    return list(petitions.campaign_list(user=user).values_list("pk", "name")[:100])


def campaign_for(*, user: User, campaign_id: int | None) -> Campaign | None:
    """The campaign asked for (404 outside the scope), or the one the dashboard opens on."""
    if campaign_id is not None:
        return access(Campaign.objects.select_related("issuing_office"), user, pk=campaign_id)
    return petitions.campaign_open_for_user(user=user)


def _progress_rows(rows: list[petitions.Figures], campaign: Campaign, by: str) -> list[ProgressRow]:
    return [
        ProgressRow(
            key=row.key,
            name=row.name,
            total=row.total,
            resolved=row.resolved,
            settled=row.settled,
            in_progress=row.in_progress,
            overdue=row.overdue,
            url=matters_url(campaign=campaign.pk, status="counted", **{by: row.key}),
        )
        for row in rows
    ]


def _campaign_part(result: CampaignFigures, user: User, campaign: Campaign) -> None:
    progress = petitions.campaign_progress(user=user, campaign=campaign)
    totals = petitions.figures_sum(progress.by_region)  # every matter has one 属地
    not_met = petitions.matters_not_yet_met(user=user).filter(campaign_matters__campaign=campaign)
    result.totals = totals
    result.campaign_not_met = not_met.count()
    result.by_region = _progress_rows(progress.by_region, campaign, "region")
    result.by_unit = _progress_rows(progress.by_unit, campaign, "unit")
    result.burndown = petitions.campaign_burndown(user=user, campaign=campaign, total=totals.total)
    pk = campaign.pk
    result.campaign_figures = [
        Figure("total", "纳入攻坚", str(totals.total), matters_url(campaign=pk, status="counted")),
        Figure("resolved", "已化解", str(totals.resolved), matters_url(campaign=pk, status="done")),
        Figure(
            "settled", "事心双解", str(totals.settled), matters_url(campaign=pk, status="settled")
        ),
        Figure(
            "in_progress",
            "未化解",
            str(totals.in_progress),
            matters_url(campaign=pk, status="open"),
        ),
        Figure(
            "overdue",
            "超期",
            str(totals.overdue),
            matters_url(campaign=pk, overdue="on"),
            alarm=totals.overdue > 0,
        ),
        Figure(
            "not_met",
            "尚未见面",
            str(result.campaign_not_met),
            matters_url(campaign=pk, not_met="on"),
            alarm=result.campaign_not_met > 0,
        ),
    ]


def _matters_part(result: CampaignFigures, user: User) -> dict[str, int]:
    figures = petitions.matter_figures(user=user)
    not_met = petitions.matters_not_yet_met(user=user).count()
    petitioners = petitions.petitioners_not_yet_met(user=user)
    coordination_open = petitions.coordination_list(
        user=user, status=CoordinationStatus.SENT
    ).count()
    coordination_overdue = petitions.coordination_list(user=user, overdue=True).count()
    follow_ups = petitions.follow_ups_due(user=user).count()
    result.matters = [
        Figure("matters", "事项总数", str(figures.total), matters_url(status="counted")),
        Figure("open", "未化解", str(figures.in_progress), matters_url(status="open")),
        Figure(
            "overdue",
            "超期事项",
            str(figures.overdue),
            matters_url(overdue="on"),
            alarm=figures.overdue > 0,
        ),
        Figure(
            "not_met",
            "尚未见面事项（每案必见）",
            str(not_met),
            matters_url(not_met="on"),
            alarm=not_met > 0,
        ),
        Figure("petitioners_not_met", "尚未见面的信访人", str(petitioners), unit="人"),
    ]
    coordination = reverse("petitions:coordination")
    result.follow_up = [
        Figure(
            "coordination_open",
            "协调函待答复",
            str(coordination_open),
            f"{coordination}?status={CoordinationStatus.SENT}",
        ),
        Figure(
            "coordination_overdue",
            "协调函逾期未复",
            str(coordination_overdue),
            f"{coordination}?overdue=on",
            alarm=coordination_overdue > 0,
        ),
        Figure(
            "follow_ups_due",
            "回头看到期待确认",
            str(follow_ups),
            reverse("petitions:dashboard"),
            alarm=follow_ups > 0,
        ),
    ]
    return {
        "matters": figures.total,
        "matters_open": figures.in_progress,
        "matters_overdue": figures.overdue,
        "matters_not_yet_met": not_met,
        "petitioners_not_yet_met": petitioners,
        "coordination_open": coordination_open,
        "coordination_overdue": coordination_overdue,
        "follow_ups_due": follow_ups,
    }


def _money(value: Decimal | None) -> str:
    return f"{(value or Decimal(0)).quantize(CENT)}"


def _aid_part(result: CampaignFigures, user: User) -> dict[str, Any]:
    aids = petitions.aid_list(user=user).order_by()
    row = aids.aggregate(
        applied=Count("pk", filter=Q(status=AidStatus.APPLIED)),
        approved=Count("pk", filter=Q(status=AidStatus.APPROVED)),
        paid=Count("pk", filter=Q(status=AidStatus.PAID)),
        refused=Count("pk", filter=Q(status=AidStatus.REFUSED)),
        paid_amount=Sum("approved_amount", filter=Q(status=AidStatus.PAID)),
        approved_amount=Sum("approved_amount", filter=Q(status=AidStatus.APPROVED)),
    )
    overdue = petitions.aid_list(user=user, overdue=True).count()
    url = reverse("petitions:aid_list")
    result.aid = [
        Figure("aid_applied", "救助待审批", str(row["applied"]), f"{url}?status=applied"),
        Figure("aid_approved", "已批准待发放", str(row["approved"]), f"{url}?status=approved"),
        Figure("aid_paid", "已发放", str(row["paid"]), f"{url}?status=paid"),
        Figure("aid_paid_amount", "已发放金额", _money(row["paid_amount"]), unit="元"),
        Figure(
            "aid_overdue",
            "超过审批或发放期限",
            str(overdue),
            f"{url}?overdue=on",
            alarm=overdue > 0,
        ),
    ]
    return {
        "aid_applied": row["applied"],
        "aid_approved": row["approved"],
        "aid_paid": row["paid"],
        "aid_refused": row["refused"],
        "aid_paid_amount": _money(row["paid_amount"]),
        "aid_approved_amount": _money(row["approved_amount"]),
        "aid_overdue": overdue,
    }


def _within(field_name: str, period: Period) -> Q:
    return Q(**{f"{field_name}__gte": period.start, f"{field_name}__lte": period.end})


def _comparisons(result: CampaignFigures, user: User) -> dict[str, Any]:
    """The period's received, resolved and settled matters and the aid paid in it, beside the
    same period a year earlier (one aggregate each over the viewer's matters and aid)."""
    current, previous = result.period, result.previous_period
    aggregates: dict[str, Any] = {}
    for tag, period in (("current", current), ("previous", previous)):
        aggregates[f"received_{tag}"] = Count("pk", filter=_within("received_on", period))
        aggregates[f"resolved_{tag}"] = Count(
            "pk",
            filter=_within("matter_resolved_on", period) & Q(status__in=RESOLVED_MATTER_STATUSES),
        )
        aggregates[f"settled_{tag}"] = Count(
            "pk", filter=_within("heart_resolved_on", period) & Q(status=MatterStatus.SETTLED)
        )
    matters = petitions.visible_matters(user=user).counted().order_by().aggregate(**aggregates)
    paid = (
        petitions.aid_list(user=user)
        .order_by()
        .aggregate(
            current=Sum("approved_amount", filter=_within("paid_on", current)),
            previous=Sum("approved_amount", filter=_within("paid_on", previous)),
            current_count=Count("pk", filter=_within("paid_on", current)),
            previous_count=Count("pk", filter=_within("paid_on", previous)),
        )
    )
    lines = (
        ("received", "收到信访事项", "件"),
        ("resolved", "化解（事了）", "件"),
        ("settled", "事心双解", "件"),
    )
    result.comparisons = [
        Comparison(
            key,
            label,
            f"{matters[f'{key}_current']}{unit}",
            f"{matters[f'{key}_previous']}{unit}",
            count_change(matters[f"{key}_current"], matters[f"{key}_previous"]),
        )
        for key, label, unit in lines
    ]
    result.comparisons.append(
        Comparison(
            "aid_paid",
            "发放救助",
            f"{paid['current_count']}笔 {_money(paid['current'])}元",
            f"{paid['previous_count']}笔 {_money(paid['previous'])}元",
            count_change(paid["current_count"], paid["previous_count"]),
        )
    )
    values: dict[str, Any] = {
        key: {"current": matters[f"{key}_current"], "previous": matters[f"{key}_previous"]}
        for key, _label, _unit in lines
    }
    values["aid_paid_amount"] = {
        "current": _money(paid["current"]),
        "previous": _money(paid["previous"]),
    }
    return values


def campaign_figures(
    *, user: User, campaign: Campaign | None, period: Period, now: datetime | None = None
) -> CampaignFigures:
    """Everything the office dashboard and the campaign-figures API show, as of now."""
    unit = user.org_unit
    result = CampaignFigures(
        office=unit.name if unit is not None else "专项办",
        campaign=campaign,
        period=period,
        previous_period=period.previous_year(),
        as_of=now or timezone.now(),
    )
    if campaign is not None:
        _campaign_part(result, user, campaign)
    values: dict[str, Any] = {**_matters_part(result, user), **_aid_part(result, user)}
    values["period_figures"] = _comparisons(result, user)
    result.values = values
    return result


def _row_values(row: ProgressRow) -> dict[str, Any]:
    return {
        "key": row.key,
        "name": row.name,
        "total": row.total,
        "resolved": row.resolved,
        "settled": row.settled,
        "in_progress": row.in_progress,
        "overdue": row.overdue,
        "resolution_rate": row.resolution_rate,
    }


def campaign_values(figures: CampaignFigures) -> dict[str, Any]:
    """The figures as the API gives them: counts as integers, rates as "95.70" (or None),
    amounts in yuan as "1234.00"."""
    campaign, totals = figures.campaign, figures.totals
    settled_rate = None if totals is None else rate(totals.settled, totals.total)
    return {
        **figures.values,
        "office": figures.office,
        "campaign": None
        if campaign is None
        else {
            "id": campaign.pk,
            "name": campaign.name,
            "starts_on": campaign.starts_on,
            "ends_on": campaign.ends_on,
        },
        "totals": None
        if totals is None
        else {
            "total": totals.total,
            "resolved": totals.resolved,
            "settled": totals.settled,
            "in_progress": totals.in_progress,
            "overdue": totals.overdue,
            "not_yet_met": figures.campaign_not_met,
            "resolution_rate": figures.resolution_rate,
            "settled_rate": None if settled_rate is None else str(settled_rate),
        },
        "by_region": [_row_values(row) for row in figures.by_region],
        "by_unit": [_row_values(row) for row in figures.by_unit],
        "period": {"start": figures.period.start, "end": figures.period.end},
        "previous_period": {
            "start": figures.previous_period.start,
            "end": figures.previous_period.end,
        },
        "as_of": figures.as_of,
    }


# --- kept by the background engine (youjie.core.snapshots) ------------------------------------

CAMPAIGN_SNAPSHOT = "analytics.campaign"


def campaign_snapshot_key(*, campaign: Campaign | None, period: Period) -> str:
    """The snapshot key of one campaign (or none) and period: ``<campaign id>:<start>:<end>``."""
    chosen = "" if campaign is None else str(campaign.pk)
    return f"{chosen}:{period.start.isoformat()}:{period.end.isoformat()}"


def _payload(figures: CampaignFigures) -> dict[str, Any]:
    """What the page shows, as plain JSON (the API's ``values`` stay with the API)."""

    def rows(items: list[Any]) -> list[dict[str, Any]]:
        return [asdict(item) for item in items]

    return {
        "office": figures.office,
        "as_of": figures.as_of.isoformat(),
        "totals": None if figures.totals is None else asdict(figures.totals),
        "campaign_not_met": figures.campaign_not_met,
        "campaign_figures": rows(figures.campaign_figures),
        "by_region": rows(figures.by_region),
        "by_unit": rows(figures.by_unit),
        "burndown": None if figures.burndown is None else asdict(figures.burndown),
        "matters": rows(figures.matters),
        "follow_up": rows(figures.follow_up),
        "aid": rows(figures.aid),
        "comparisons": rows(figures.comparisons),
    }


def campaign_figures_kept(
    *, payload: dict[str, Any], campaign: Campaign | None, period: Period
) -> CampaignFigures:
    """The figures a snapshot kept (``_payload``), for the page."""
    totals = payload["totals"]
    burndown = payload["burndown"]
    return CampaignFigures(
        office=payload["office"],
        campaign=campaign,
        period=period,
        previous_period=period.previous_year(),
        as_of=datetime.fromisoformat(payload["as_of"]),
        totals=None if totals is None else petitions.Figures(**totals),
        campaign_not_met=payload["campaign_not_met"],
        campaign_figures=[Figure(**row) for row in payload["campaign_figures"]],
        by_region=[ProgressRow(**row) for row in payload["by_region"]],
        by_unit=[ProgressRow(**row) for row in payload["by_unit"]],
        burndown=None if burndown is None else petitions.BurnDown(**burndown),
        matters=[Figure(**row) for row in payload["matters"]],
        follow_up=[Figure(**row) for row in payload["follow_up"]],
        aid=[Figure(**row) for row in payload["aid"]],
        comparisons=[Comparison(**row) for row in payload["comparisons"]],
    )


def _compute_snapshot(user: Any, key: str, now: datetime) -> dict[str, Any]:
    chosen, start, end = key.split(":")
    officer = campaign_figures_user(user=user)
    try:
        campaign = campaign_for(user=officer, campaign_id=int(chosen) if chosen else None)
    except NotFound:
        raise PermissionDenied("该专项行动不在您的范围内") from None
    period = Period(date.fromisoformat(start), date.fromisoformat(end))
    return _payload(campaign_figures(user=officer, campaign=campaign, period=period, now=now))


register(SnapshotKind(name=CAMPAIGN_SNAPSHOT, compute=_compute_snapshot))
