"""Working days and deadlines for integrations. Authentication is applied by the NinjaAPI."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest
from ninja import P, PathEx, QueryEx, Router, Schema

from youjie.core.errors import ValidationFailed
from youjie.workdays.calendar import MAX_DAYS, day_info, deadline_info, range_warning
from youjie.workdays.choices import DeadlineUnit
from youjie.workdays.forms import CALCULATOR_FIRST_YEAR, CALCULATOR_LAST_YEAR
from youjie.workdays.models import YEAR_MAX, YEAR_MIN
from youjie.workdays.selectors import year_schedule

router = Router(tags=["工作日"])


class IsWorkdayOut(Schema):
    date: date
    is_workday: bool
    kind: str
    name: str
    source: str
    warning: str | None


class DeadlineOut(Schema):
    start: date
    days: int
    unit: str
    deadline: date
    warning: str | None


class DatedName(Schema):
    date: date
    name: str


class YearOut(Schema):
    year: int
    status: str
    status_label: str
    source: str
    warning: str | None
    holidays: list[DatedName]
    workdays: list[DatedName]


def _check_date(day: date, field_name: str) -> None:
    if not CALCULATOR_FIRST_YEAR <= day.year <= CALCULATOR_LAST_YEAR:
        message = f"日期应在{CALCULATOR_FIRST_YEAR}年至{CALCULATOR_LAST_YEAR}年之间"
        raise ValidationFailed(message, fields={field_name: [message]})


@router.get("/is-workday", response=IsWorkdayOut, summary="某日是否为工作日")
def is_workday_get(
    request: HttpRequest, day: QueryEx[date, P(alias="date", description="YYYY-MM-DD")]
) -> IsWorkdayOut:
    _check_date(day, "date")
    info = day_info(day)
    return IsWorkdayOut(
        date=day,
        is_workday=info.is_workday,
        kind=info.date_class.value,
        name=info.name,
        source=info.source.value,
        warning=range_warning(day, day),
    )


@router.get("/add", response=DeadlineOut, summary="计算期限届满日")
def deadline_get(
    request: HttpRequest,
    start: QueryEx[date, P(description="起算日期（不计入期间）")],
    days: QueryEx[int, P(ge=0, le=MAX_DAYS, description="期间长度")],
    unit: QueryEx[DeadlineUnit, P(description="workdays 工作日 / calendar_days 自然日")],
) -> DeadlineOut:
    _check_date(start, "start")
    info = deadline_info(start, days, unit=unit)
    return DeadlineOut(**info.as_dict())


@router.get("/years/{year}", response=YearOut, summary="某年节假日安排")
def year_get(request: HttpRequest, year: PathEx[int, P(ge=YEAR_MIN, le=YEAR_MAX)]) -> YearOut:
    schedule = year_schedule(year)
    return YearOut(
        year=year,
        status=schedule.status.value,
        status_label=schedule.status_label,
        source=schedule.source,
        warning=schedule.warning,
        holidays=[DatedName(date=day, name=name) for day, name in schedule.holidays],
        workdays=[DatedName(date=day, name=name) for day, name in schedule.workdays],
    )
