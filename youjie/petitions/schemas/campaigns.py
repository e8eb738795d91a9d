"""Schemas of the campaign endpoints: the list's filters, creating a campaign and adding matters,
a campaign, its figures, its burn-down and its progress by region and by unit, and their
builders.
"""

from __future__ import annotations

from datetime import date

from ninja import Field, Schema

from youjie.core.schemas import InputSchema
from youjie.petitions import selectors
from youjie.petitions.choices import CampaignKind, CampaignStatus
from youjie.petitions.models import NAME_MAX, TEXT_MAX, Campaign
from youjie.petitions.schemas.common import MAX_CAMPAIGN_MATTERS, _name

# --- input ----------------------------------------------------------------------------------------


class CampaignFilters(InputSchema):
    status: CampaignStatus | None = None
    page: int = Field(1, ge=1, le=10_000)
    page_size: int = Field(25, ge=1, le=100)


class CampaignCreateIn(InputSchema):
    name: str = Field(..., max_length=NAME_MAX)
    kind: CampaignKind
    starts_on: date
    ends_on: date
    goals: str = Field("", max_length=TEXT_MAX)
    follow_up_days: int = Field(30, ge=1, le=365)


class CampaignAddIn(InputSchema):
    matter_ids: list[int] = Field(..., min_length=1, max_length=MAX_CAMPAIGN_MATTERS)


# --- output ---------------------------------------------------------------------------------------


class CampaignOut(Schema):
    id: int
    name: str
    kind: str
    status: str
    issuing_office: str
    starts_on: date
    ends_on: date
    goals: str
    follow_up_days: int


class CampaignListOut(Schema):
    items: list[CampaignOut]
    page: int
    size: int
    has_next: bool
    has_previous: bool


class FiguresOut(Schema):
    key: str
    name: str
    total: int
    resolved: int
    settled: int
    in_progress: int
    overdue: int


class BurnDownOut(Schema):
    days: list[str]
    remaining: list[int | None]
    ideal: list[float]


class CampaignProgressOut(Schema):
    campaign: CampaignOut
    totals: FiguresOut
    by_region: list[FiguresOut]
    by_unit: list[FiguresOut]
    burndown: BurnDownOut


class CampaignAddOut(Schema):
    added: int
    campaign: CampaignOut


# --- builders -------------------------------------------------------------------------------------


def campaign_out(campaign: Campaign) -> CampaignOut:
    return CampaignOut(
        id=campaign.pk,
        name=campaign.name,
        kind=campaign.kind,
        status=campaign.status,
        issuing_office=_name(campaign.issuing_office),
        starts_on=campaign.starts_on,
        ends_on=campaign.ends_on,
        goals=campaign.goals,
        follow_up_days=campaign.follow_up_days,
    )


def figures_out(figures: selectors.Figures) -> FiguresOut:
    return FiguresOut(
        key=figures.key,
        name=figures.name,
        total=figures.total,
        resolved=figures.resolved,
        settled=figures.settled,
        in_progress=figures.in_progress,
        overdue=figures.overdue,
    )
