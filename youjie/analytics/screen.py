"""The big screens (数据大屏): what each shows, computed for one viewer.

Two screens, 1920×1080, read from three metres:

- the court hall's (``ScreenKind.COURT``): the day's calls and visits at the court's desk by
  channel, answered on time (回音率, today and this month), closed on time, satisfaction this
  month, overdue and supervised requests; for a court leader also the campaign's progress over
  the matters of the court (as the petitions pages show them to the leader);
- the office's (``ScreenKind.OFFICE``): the campaign's progress by region, overdue matters,
  petitioners not yet met, coordination overdue; for the city office also the desk figures of
  every court of the city (figures only, as its desk dashboard).

The payload is plain JSON (numbers already written as the screen prints them), kept per viewer
as a ``core`` figure snapshot (``SCREEN_SNAPSHOTS``, ``youjie.core.snapshots``) and recomputed
by the periodic task while the screen is watched: a refresh of the screen reads one row.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.utils import timezone

from youjie.analytics.choices import ScreenKind
from youjie.analytics.court_figures import rate
from youjie.analytics.figures import FigureRow, format_rate
from youjie.analytics.periods import SHANGHAI, Period, preset_period
from youjie.analytics.permissions import (
    city_office_region,
    may_see_court_screen,
    may_see_office_screen,
)
from youjie.analytics.selectors import desk_figures, desk_figures_basis
from youjie.core.errors import PermissionDenied
from youjie.core.snapshots import SnapshotKind, register
from youjie.core.viewers import Viewer
from youjie.desk import selectors as desk
from youjie.desk.choices import Channel
from youjie.orgs.models import User
from youjie.orgs.scoping import court_of_user
from youjie.petitions import selectors as petitions
from youjie.petitions.permissions import may_see_petitions

# The channels a hall screen names one by one ("来电" adds the three telephone lines).
CALL_CHANNELS = (Channel.PHONE, Channel.WORK_PHONE, Channel.DEPUTIES_LINE)
VISIT_CHANNELS = (Channel.WALK_IN,)
REGIONS_SHOWN = 12


def screen_user(*, user: Viewer, kind: ScreenKind) -> User:
    """The viewer, if this screen is for them (403 otherwise)."""
    if kind == ScreenKind.COURT:
        if not may_see_court_screen(user):
            raise PermissionDenied("法院数据大屏只对院领导和诉讼服务中心开放")
        court = court_of_user(user)
        if court is None:
            raise PermissionDenied("您所在机构不属于法院")
        return user
    if not may_see_office_screen(user):
        raise PermissionDenied("专项办数据大屏只对市、旗县区专项办开放")
    return user


def _desk(user: User, today: date, now: datetime, *, with_queues: bool) -> dict[str, Any] | None:
    try:
        basis = desk_figures_basis(user=user)
    except PermissionDenied:
        return None  # a county office: no desk figures (DESIGN.md gives them to the city)
    day = desk_figures(basis=basis, period=Period(today, today), now=now)
    month = desk_figures(basis=basis, period=preset_period("month", today), now=now).total.current
    channels = {row.key: row.current.received for row in day.breakdown("channel").rows}
    result: dict[str, Any] = {
        "label": basis.label,
        "today": day.total.current.received,
        "calls": sum(channels.get(channel, 0) for channel in CALL_CHANNELS),
        "visits": sum(channels.get(channel, 0) for channel in VISIT_CHANNELS),
        "channels": [
            {"key": key, "label": str(label), "count": channels.get(key, 0)}
            for key, label in Channel.choices
            if channels.get(key, 0) or key in (*CALL_CHANNELS[:1], *VISIT_CHANNELS)
        ],
        "response_rate_today": format_rate(day.total.current.response_rate),
        "response_rate_month": format_rate(month.response_rate),
        "completion_rate_month": format_rate(month.completion_rate),
        "satisfaction_month": FigureRow(key="month", label="", current=month).satisfaction_mean,
        "satisfied_share_month": format_rate(month.satisfied_share),
        "rated_month": month.rated,
    }
    if with_queues:
        result["overdue"] = desk.overdue_list(user=user, now=now).count()
        result["supervised"] = desk.supervised_list(user=user).count()
    return result


def _campaign(user: User) -> dict[str, Any] | None:
    campaign = petitions.campaign_open_for_user(user=user)
    if campaign is None:
        return None
    progress = petitions.campaign_progress(user=user, campaign=campaign)
    totals = petitions.figures_sum(progress.by_region)

    def percent(resolved: int, total: int) -> str:
        value = rate(resolved, total)
        return "—" if value is None else f"{value}%"

    regions = sorted(progress.by_region, key=lambda row: row.key)[:REGIONS_SHOWN]
    return {
        "name": campaign.name,
        "ends_on": f"{campaign.ends_on:%Y-%m-%d}",
        "total": totals.total,
        "resolved": totals.resolved,
        "settled": totals.settled,
        "in_progress": totals.in_progress,
        "overdue": totals.overdue,
        "rate": percent(totals.resolved, totals.total),
        "rate_value": float(rate(totals.resolved, totals.total) or 0),
        "regions": [
            {
                "name": row.name,
                "total": row.total,
                "resolved": row.resolved,
                "rate": percent(row.resolved, row.total),
                "rate_value": float(rate(row.resolved, row.total) or 0),
            }
            for row in regions
        ],
    }


def _alarms(user: User) -> dict[str, int]:
    return {
        "matters_overdue": petitions.matter_figures(user=user).overdue,
        "not_met": petitions.matters_not_yet_met(user=user).count(),
        "coordination_overdue": petitions.coordination_list(user=user, overdue=True).count(),
    }


def screen_payload(*, user: User, kind: ScreenKind, now: datetime | None = None) -> dict[str, Any]:
    """What ``user``'s screen of ``kind`` shows, computed now (several aggregate queries)."""
    now = now or timezone.now()
    today = timezone.localtime(now, SHANGHAI).date()
    payload: dict[str, Any] = {"day": f"{today:%Y-%m-%d}", "desk": None, "campaign": None}
    if kind == ScreenKind.COURT:
        court = court_of_user(user)
        payload["title"] = f"{court.name if court else ''}诉讼服务数据大屏"
        payload["desk"] = _desk(user, today, now, with_queues=True)
        if may_see_petitions(user):
            payload["campaign"] = _campaign(user)
        return payload
    unit = user.org_unit
    payload["title"] = f"{unit.name if unit else '专项办'}化解攻坚数据大屏"
    if city_office_region(user) is not None:
        payload["desk"] = _desk(user, today, now, with_queues=False)
    payload["campaign"] = _campaign(user)
    payload["alarms"] = _alarms(user)
    return payload


def _screen_kind(kind: ScreenKind) -> SnapshotKind:
    def compute(user: User, key: str, now: datetime) -> dict[str, Any]:
        return screen_payload(user=screen_user(user=user, kind=kind), kind=kind, now=now)

    return register(SnapshotKind(name=f"analytics.screen.{kind.value}", compute=compute))


# The snapshot kind of each screen (registered when the app is ready: apps.py imports this).
SCREEN_SNAPSHOTS = {kind: _screen_kind(kind).name for kind in ScreenKind}
