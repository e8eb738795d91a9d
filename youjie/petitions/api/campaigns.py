"""/api/v1/petitions/campaigns: the list, one campaign, creating one, adding matters to it by
number and its progress (figures by region and by unit, the burn-down).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Header, Query, Status

from youjie.core.errors import ValidationFailed
from youjie.core.pagination import paginate
from youjie.petitions import selectors, services
from youjie.petitions.api.common import _idempotency, _user, router
from youjie.petitions.models import PetitionMatter
from youjie.petitions.schemas import (
    BurnDownOut,
    CampaignAddIn,
    CampaignAddOut,
    CampaignCreateIn,
    CampaignFilters,
    CampaignListOut,
    CampaignOut,
    CampaignProgressOut,
    campaign_out,
    figures_out,
)


@router.get("/campaigns", response=CampaignListOut, summary="专项行动列表（按权限范围）")
def campaign_list(request: HttpRequest, filters: Query[CampaignFilters]) -> CampaignListOut:
    user = _user(request)
    campaigns = selectors.campaign_list(user=user, status=filters.status or "")
    page = paginate(campaigns, page=filters.page, size=filters.page_size)
    return CampaignListOut(
        items=[campaign_out(campaign) for campaign in page.items],
        page=page.number,
        size=page.size,
        has_next=page.has_next,
        has_previous=page.has_previous,
    )


@router.get("/campaigns/{int:campaign_id}", response=CampaignOut, summary="专项行动详情")
def campaign_get(request: HttpRequest, campaign_id: int) -> CampaignOut:
    return campaign_out(selectors.campaign_get(user=_user(request), pk=campaign_id))


@router.post(
    "/campaigns",
    response={200: CampaignOut, 201: CampaignOut},
    summary="发起专项行动（市专项办；支持 Idempotency-Key）",
)
def campaign_create(
    request: HttpRequest,
    payload: CampaignCreateIn,
    response: HttpResponse,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),  # type: ignore[type-arg]
) -> Status[CampaignOut]:
    from youjie.core.errors import PermissionDenied
    from youjie.petitions.permissions import may_create_campaigns

    user = _user(request)
    if not may_create_campaigns(user) or user.org_unit is None:
        raise PermissionDenied("只有市专项办可以发起专项行动")
    idempotency = _idempotency(user, idempotency_key, "campaign", payload.model_dump(mode="json"))
    campaign, created = services.campaign_register(
        actor=user,
        name=payload.name,
        kind=payload.kind,
        issuing_office=user.org_unit,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        goals=payload.goals,
        follow_up_days=payload.follow_up_days,
        idempotency=idempotency,
    )
    if not created:
        response["Idempotent-Replayed"] = "true"
    return Status(201 if created else 200, campaign_out(campaign))


@router.post(
    "/campaigns/{int:campaign_id}/matters",
    response=CampaignAddOut,
    summary="纳入事项（须已明确包案领导和责任单位；全部纳入或全部不纳入）",
)
def campaign_add_matters(
    request: HttpRequest, campaign_id: int, payload: CampaignAddIn
) -> CampaignAddOut:
    user = _user(request)
    campaign = selectors.campaign_get(user=user, pk=campaign_id)
    ids = list(dict.fromkeys(payload.matter_ids))
    if any(not 0 < pk <= 2**63 - 1 for pk in ids):
        raise ValidationFailed("事项编号无效", fields={"matter_ids": ["事项编号无效"]})
    matters = [PetitionMatter(pk=pk) for pk in ids]  # the service fetches them through the scope
    added = services.campaign_add_matters(actor=user, campaign=campaign, matters=matters)
    return CampaignAddOut(added=len(added), campaign=campaign_out(campaign))


@router.get(
    "/campaigns/{int:campaign_id}/progress",
    response=CampaignProgressOut,
    summary="专项行动进度：合计、按属地、按责任单位、燃尽数据",
)
def campaign_progress(request: HttpRequest, campaign_id: int) -> CampaignProgressOut:
    user = _user(request)
    campaign = selectors.campaign_get(user=user, pk=campaign_id)
    burndown = selectors.campaign_burndown(user=user, campaign=campaign)
    progress = selectors.campaign_progress(user=user, campaign=campaign)
    return CampaignProgressOut(
        campaign=campaign_out(campaign),
        totals=figures_out(selectors.figures_sum(progress.by_region)),
        by_region=[figures_out(row) for row in progress.by_region],
        by_unit=[figures_out(row) for row in progress.by_unit],
        burndown=BurnDownOut(
            days=burndown.days, remaining=burndown.remaining, ideal=burndown.ideal
        ),
    )
