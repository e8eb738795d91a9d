"""/api/v1/analytics: the court performance figures (审判质效) with the same period a year earlier,
and the offices' campaign figures (化解攻坚).

Scoped as the pages: a court leader reads their court, a division head their division; another
court, or a division or judge outside the caller's scope, is 404; the campaign figures are the
city office's over the city and a county office's over its region, a campaign outside that 404.
Counts are integers; rates are percentages with two decimals as strings ("95.70"), null over
nothing; ``change_points`` is each rate's change on last year in percentage points ("+10.31").
The definitions are on the pages' "口径" notes and in ``youjie/analytics/court_figures.py``.
"""

from __future__ import annotations

from datetime import date, datetime

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from youjie.analytics import campaign_selectors, court_selectors
from youjie.analytics.court_figures import change_points, values
from youjie.analytics.periods import (
    EARLIEST,
    LATEST,
    MAX_PERIOD_DAYS,
    Period,
    PeriodRefused,
    court_period,
    preset_period,
)
from youjie.core.errors import ValidationFailed
from youjie.core.schemas import InputSchema
from youjie.courtcases.selectors import MAX_ID

router = Router(tags=["统计分析"])


class CourtFiguresQuery(InputSchema):
    court: str = Field(..., min_length=1, max_length=16, description="法院代字，如 内0206")
    start: date = Field(..., description="统计期间开始日期 YYYY-MM-DD（含）")
    end: date = Field(..., description="统计期间结束日期 YYYY-MM-DD（含），期间不超过 5 年")
    division: int | None = Field(None, ge=1, le=MAX_ID, description="承办庭室编号")
    judge: int | None = Field(None, ge=1, le=MAX_ID, description="承办法官编号")
    type: str = Field("", max_length=16, description="类型代字，如 民初、执；空为全部诉讼案件")


class FigureValuesOut(Schema):
    carried_over: int = Field(..., description="旧存")
    new: int = Field(..., description="新收")
    received: int = Field(..., description="受理 = 旧存 + 新收")
    closed: int = Field(..., description="结案")
    closure_rate: str | None = Field(..., description="结案率（%）")
    closed_to_new_ratio: str | None = Field(..., description="结收比（%）")
    first_instance_closed: int = Field(..., description="一审结案")
    appealed: int = Field(..., description="上诉（含抗诉）")
    petitioned: int = Field(..., description="申请再审或申诉")
    acceptance_rate: str | None = Field(..., description="一审服判息诉率（%）")
    appeal_rate: str | None = Field(..., description="上诉率（%）")
    reversed_or_remanded: int = Field(..., description="改判、发回重审")
    reversal_rate: str | None = Field(..., description="改判发回率（%，÷ 一审结案）")
    average_days_to_close: str | None = Field(..., description="平均审理天数")
    over_limit_closed: int = Field(..., description="超审限结案")
    over_limit_open: int = Field(..., description="期末超审限未结")


class PeriodOut(Schema):
    start: date
    end: date


class ChangePointsOut(Schema):
    closure_rate: str | None
    closed_to_new_ratio: str | None
    acceptance_rate: str | None
    appeal_rate: str | None
    reversal_rate: str | None


class CourtFiguresOut(FigureValuesOut):
    court: str
    court_name: str
    scope: str = Field(..., description="统计范围")
    period: PeriodOut
    previous_period: PeriodOut = Field(..., description="去年同期")
    previous: FigureValuesOut = Field(..., description="去年同期的同一组数字")
    change_points: ChangePointsOut = Field(..., description="各比率与去年同期相差的百分点")
    acceptance_rate_subtracts: list[str] = Field(
        ..., description="一审服判息诉率扣除的项目：appealed、petitioned"
    )
    as_of: datetime = Field(..., description="数据截至（审判质效汇总表最近一次更新的时间）")
    last_import_at: datetime | None = Field(..., description="本院案件清单最近一次导入完成时间")


@router.get(
    "/court-figures",
    response=CourtFiguresOut,
    summary="审判质效：旧存、新收、结案、结案率、一审服判息诉率等，与去年同期比较",
)
def court_figures(request: HttpRequest, filters: Query[CourtFiguresQuery]) -> CourtFiguresOut:
    try:
        period = court_period(filters.start, filters.end)
    except PeriodRefused as exc:
        raise ValidationFailed(exc.message, code=exc.code, fields={"end": [exc.message]}) from exc
    basis = court_selectors.court_figures_basis(
        user=request.user,
        court_code=filters.court,
        division_id=filters.division,
        judge_id=filters.judge,
        type_code=filters.type,
    )
    figures = court_selectors.court_figures(basis=basis, period=period)
    total = figures.total
    previous = figures.previous_period
    return CourtFiguresOut.model_validate(
        {
            **values(total.current),
            "court": figures.court_code,
            "court_name": figures.court_name,
            "scope": figures.basis_label,
            "period": {"start": period.start, "end": period.end},
            "previous_period": {"start": previous.start, "end": previous.end},
            "previous": values(total.previous),
            "change_points": change_points(total.current, total.previous),
            "acceptance_rate_subtracts": list(figures.subtracts),
            "as_of": figures.as_of,
            "last_import_at": figures.last_import_at,
        }
    )


# --- the offices' campaign figures -----------------------------------------------------------


class CampaignFiguresQuery(InputSchema):
    campaign: int | None = Field(
        None, ge=1, le=MAX_ID, description="专项行动编号；不填为进行中的主要专项行动"
    )
    start: date | None = Field(None, description="对比期间开始日期 YYYY-MM-DD（含；默认本年）")
    end: date | None = Field(None, description="对比期间结束日期 YYYY-MM-DD（含），不超过三年")


class CampaignOut(Schema):
    id: int
    name: str
    starts_on: date
    ends_on: date


class ProgressRowOut(Schema):
    key: str = Field(..., description="属地代码或责任单位编号（空：未明确责任单位）")
    name: str
    total: int
    resolved: int = Field(..., description="已化解（含事心双解）")
    settled: int = Field(..., description="事心双解")
    in_progress: int = Field(..., description="未化解")
    overdue: int
    resolution_rate: str | None = Field(..., description="化解率（%）")


class CampaignTotalsOut(Schema):
    total: int = Field(..., description="纳入攻坚的事项（依法终结的不计）")
    resolved: int
    settled: int
    in_progress: int
    overdue: int
    not_yet_met: int = Field(..., description="尚未见面（每案必见）的事项")
    resolution_rate: str | None = Field(..., description="化解率（%）")
    settled_rate: str | None = Field(..., description="事心双解率（%）")


class PeriodPairOut(Schema):
    current: int | str
    previous: int | str


class CampaignFiguresOut(Schema):
    office: str = Field(..., description="统计范围（您的专项办）")
    campaign: CampaignOut | None
    totals: CampaignTotalsOut | None = Field(..., description="专项行动合计；无专项行动时为 null")
    by_region: list[ProgressRowOut]
    by_unit: list[ProgressRowOut]
    matters: int = Field(..., description="辖区内计入统计的信访事项")
    matters_open: int
    matters_overdue: int
    matters_not_yet_met: int
    petitioners_not_yet_met: int
    coordination_open: int
    coordination_overdue: int
    follow_ups_due: int
    aid_applied: int
    aid_approved: int
    aid_paid: int
    aid_refused: int
    aid_paid_amount: str = Field(..., description="已发放救助的核定金额（元）")
    aid_approved_amount: str = Field(..., description="已批准待发放的核定金额（元）")
    aid_overdue: int
    period: PeriodOut
    previous_period: PeriodOut = Field(..., description="去年同期")
    period_figures: dict[str, PeriodPairOut] = Field(
        ..., description="received、resolved、settled、aid_paid_amount：本期与去年同期"
    )
    as_of: datetime = Field(..., description="数据截至（按当时的信访事项计算）")


def _campaign_period(filters: CampaignFiguresQuery) -> Period:
    if filters.start is None and filters.end is None:
        return preset_period("year", timezone.localdate())
    if filters.start is None or filters.end is None:
        message = "请同时填写开始日期和结束日期"
        raise ValidationFailed(message, code="period_incomplete", fields={"end": [message]})
    if filters.end < filters.start:
        message = "结束日期不能早于开始日期"
        raise ValidationFailed(message, code="period_reversed", fields={"end": [message]})
    if filters.start < EARLIEST or filters.end > LATEST:
        message = f"日期应在 {EARLIEST:%Y} 年至 {LATEST:%Y} 年之间"
        raise ValidationFailed(message, code="period_out_of_range", fields={"end": [message]})
    period = Period(start=filters.start, end=filters.end)
    if period.days > MAX_PERIOD_DAYS:
        message = "统计区间不能超过三年"
        raise ValidationFailed(message, code="period_too_long", fields={"end": [message]})
    return period


@router.get(
    "/campaign-figures",
    response=CampaignFiguresOut,
    summary="化解攻坚：专项行动进度（按属地、责任单位）、超期、每案必见、救助、协调联动，与去年同期比较",
)
def campaign_figures(
    request: HttpRequest, filters: Query[CampaignFiguresQuery]
) -> CampaignFiguresOut:
    user = campaign_selectors.campaign_figures_user(user=request.user)
    period = _campaign_period(filters)
    campaign = campaign_selectors.campaign_for(user=user, campaign_id=filters.campaign)
    figures = campaign_selectors.campaign_figures(user=user, campaign=campaign, period=period)
    return CampaignFiguresOut.model_validate(campaign_selectors.campaign_values(figures))
