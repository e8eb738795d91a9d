"""/api/v1/analytics: the court performance figures (审判质效) with the same period a year earlier.

Scoped as the page: a court leader reads their court, a division head their division; another
court, or a division or judge outside the caller's scope, is 404. Counts are integers; rates are
percentages with two decimals as strings ("95.70"), null over nothing; ``change_points`` is each
rate's change on last year in percentage points ("+10.31"). The definitions are on the page's
"口径说明" and in ``youjie/analytics/court_figures.py``.
"""

from __future__ import annotations

from datetime import date, datetime

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from youjie.analytics import court_selectors
from youjie.analytics.court_figures import change_points, values
from youjie.analytics.periods import PeriodRefused, court_period
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
    as_of: datetime = Field(..., description="统计时间（按当时已导入的案件计算）")
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
