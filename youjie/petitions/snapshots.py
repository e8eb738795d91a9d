"""The figures of the petitions work page (工作台), kept per viewer by the background engine.

Over 10,000 matters the page's figures are half a dozen aggregates (the matters by status, the
petitioners not yet met, the open campaign by region and unit, its burn-down), ~60 ms of SQL
inside every request (issue 13: the page's p95 must stay under 100 ms). They are a ``core``
figure snapshot instead (``youjie.core.snapshots``): computed here for one viewer as plain JSON,
recomputed every minute while the page is being looked at, and shown with 数据截至. The lead
official's and the handler's own matters, a handful each, stay read live by the page.

``chart_data`` (the campaign's charts) is shared with the campaign page.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from django.utils import timezone

from youjie.core.errors import PermissionDenied
from youjie.core.snapshots import SnapshotKind, register
from youjie.orgs.models import User
from youjie.petitions import selectors
from youjie.petitions.models import Campaign
from youjie.petitions.permissions import is_office_officer, may_see_petitions

SHOWN = 10  # matters listed per section of the work page


def chart_data(
    campaign: Campaign, user: User, by_region: list[selectors.Figures] | None = None
) -> dict[str, Any]:
    """The figures the campaign charts draw (embedded as JSON, read by petitions.js).
    ``by_region``: the caller's progress by region when it has it (two aggregates fewer)."""
    if by_region is None:
        by_region = selectors.campaign_progress_by_region(user=user, campaign=campaign)
    total = selectors.figures_sum(by_region).total
    burndown = selectors.campaign_burndown(user=user, campaign=campaign, total=total)
    return {
        "burndown": asdict(burndown),
        "regions": {
            "labels": [row.name for row in by_region],
            "resolved": [row.resolved for row in by_region],
            "in_progress": [row.in_progress for row in by_region],
            "overdue": [row.overdue for row in by_region],
        },
    }


def _campaign(user: User, campaign: Campaign) -> dict[str, Any]:
    progress = selectors.campaign_progress(user=user, campaign=campaign)
    not_met = selectors.matters_not_yet_met(user=user).filter(campaign_matters__campaign=campaign)
    return {
        "id": campaign.pk,
        "totals": asdict(selectors.figures_sum(progress.by_region)),  # one 属地 per matter
        "not_met": not_met.count(),
        "by_region": [asdict(row) for row in progress.by_region],
        "by_unit": [asdict(row) for row in progress.by_unit],
        "chart": chart_data(campaign, user, progress.by_region),
    }


def dashboard_figures(user: Any, key: str, now: datetime) -> dict[str, Any]:
    """What the work page shows of ``user``'s matters: the figures of all of them and, for an
    office officer, the open campaign's and which matters head its two short lists."""
    if not may_see_petitions(user) or not user.is_active:
        raise PermissionDenied("只有专项办、包案领导、承办人员和政法单位负责人可以使用信访化解")
    today = timezone.localdate(now)
    payload: dict[str, Any] = {
        "figures": asdict(selectors.matter_figures(user=user, today=today)),
        "not_met": selectors.matters_not_yet_met(user=user).count(),
        "office": None,
    }
    if is_office_officer(user):
        campaign = selectors.campaign_open_for_user(user=user)
        follow_ups = selectors.follow_ups_due(user=user, on=today)
        stalled = selectors.matter_list(user=user, overdue=True)
        payload["office"] = {
            "campaign": None if campaign is None else _campaign(user, campaign),
            "follow_ups": list(follow_ups.values_list("pk", flat=True)[:SHOWN]),
            "stalled": list(stalled.values_list("pk", flat=True)[:SHOWN]),
        }
    return payload


DASHBOARD = register(SnapshotKind(name="petitions.dashboard", compute=dashboard_figures)).name
