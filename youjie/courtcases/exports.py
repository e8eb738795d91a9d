"""The court's lists as .xlsx (youjie.exports): the case list (法院案件, with the court figures'
drill-down filters) and the upcoming hearings (庭审安排), each with its page's own form and
selector, so that the export holds the rows the page shows, within the user's scope."""

from __future__ import annotations

from django.http import QueryDict
from django.utils import timezone

from youjie.courtcases import selectors
from youjie.courtcases.choices import HearingStatus
from youjie.courtcases.forms import CaseFilterForm, HearingFilterForm
from youjie.courtcases.models import CourtCase, Hearing
from youjie.courtcases.permissions import may_see_hearings
from youjie.exports.registry import (
    Column,
    ExportList,
    Kind,
    Selection,
    filters_text,
    invalid_filters,
    register_export,
    signed_in,
)
from youjie.orgs.models import OrgUnit, User


def _name(value: object) -> str:
    return str(value) if value is not None else ""


def _result(case: CourtCase) -> str:
    return case.get_second_instance_result_display() if case.second_instance_result else ""


def _cases(user: User, params: QueryDict) -> Selection:
    form = CaseFilterForm(params)
    if not form.is_valid():
        raise invalid_filters(form)
    data = form.cleaned_data
    # The drill-down's division and judge are ids in the address: named in the filters row.
    shown = {}
    if data.get("division"):
        division = OrgUnit.objects.filter(pk=data["division"]).first()
        shown["division"] = division.name if division is not None else str(data["division"])
    if data.get("judge"):
        judge = User.objects.filter(pk=data["judge"]).first()
        shown["judge"] = judge.get_full_name() if judge is not None else str(data["judge"])
    rows = selectors.court_case_list(user=user, **form.filters())
    return Selection(rows=rows, filters=filters_text(form, shown=shown))


register_export(
    ExportList(
        name="courtcases.cases",
        title="法院案件清单",
        page="courtcases:list",
        may_export=signed_in,
        select=_cases,
        counter="件",
        columns=(
            Column("案号", lambda case: case.case_number, width=26),
            Column("案由", lambda case: case.cause, width=24),
            Column("类型", lambda case: case.type_code, width=8),
            Column("承办庭室", lambda case: _name(case.division), width=16),
            Column("承办法官", lambda case: _name(case.judge), width=10),
            Column("书记员", lambda case: _name(case.clerk), width=10),
            Column("阶段", lambda case: case.get_stage_display(), width=10),
            Column("立案日期", lambda case: case.filed_on, width=12, kind=Kind.DATE),
            Column("裁判日期", lambda case: case.judgment_date, width=12, kind=Kind.DATE),
            Column("结案日期", lambda case: case.closed_on, width=12, kind=Kind.DATE),
            Column("已上诉", lambda case: case.appealed, width=8),
            Column("二审结果", _result, width=10),
            Column("标的额（元）", lambda case: case.amount, width=16, kind=Kind.DECIMAL),
        ),
    )
)


def _hearings(user: User, params: QueryDict) -> Selection:
    form = HearingFilterForm(params)
    if not form.is_valid():
        raise invalid_filters(form)
    rows = selectors.hearings_upcoming(user=user, days=form.day_count())
    return Selection(rows=rows, filters=filters_text(form, default="30日内"))


def _hearing_status(hearing: Hearing) -> str:
    if hearing.status == HearingStatus.SCHEDULED and hearing.scheduled_at <= timezone.now():
        return "待确认开庭"
    return hearing.get_status_display()


register_export(
    ExportList(
        name="courtcases.hearings",
        title="庭审安排",
        page="courtcases:hearings",
        may_export=may_see_hearings,
        denied_message="庭审安排仅供法院的法官、书记员、庭长、院领导和立案人员查看",
        select=_hearings,
        counter="场",
        columns=(
            Column("开庭时间", lambda hearing: hearing.scheduled_at, width=17, kind=Kind.DATETIME),
            Column("预计时长（分钟）", lambda hearing: hearing.duration_minutes, kind=Kind.NUMBER),
            Column("案号", lambda hearing: hearing.court_case.case_number, width=26),
            Column("开庭方式", lambda hearing: hearing.get_kind_display(), width=10),
            Column("法庭", lambda hearing: hearing.courtroom or "在线", width=14),
            Column("承办庭室", lambda hearing: _name(hearing.court_case.division), width=16),
            Column("审判长/独任法官", lambda hearing: _name(hearing.presiding_judge), width=12),
            Column("书记员", lambda hearing: _name(hearing.clerk), width=10),
            Column("状态", _hearing_status, width=12),
        ),
    )
)
