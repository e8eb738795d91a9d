"""The mediation list as .xlsx (youjie.exports): a mediator's own mediations, a court's for its
staff, with the page's filters (status, overdue, mine, search), within the user's scope."""

from __future__ import annotations

from django.http import QueryDict

from youjie.exports.registry import (
    Column,
    ExportList,
    Kind,
    Selection,
    filters_text,
    invalid_filters,
    register_export,
)
from youjie.mediation import selectors
from youjie.mediation.choices import MediationStatus
from youjie.mediation.forms import MediationFilterForm
from youjie.mediation.models import Mediation
from youjie.mediation.permissions import may_use_mediation
from youjie.orgs.models import User


def _mediations(user: User, params: QueryDict) -> Selection:
    form = MediationFilterForm(params)
    if not form.is_valid():
        raise invalid_filters(form)
    data = form.cleaned_data
    rows = selectors.mediation_list(
        user=user,
        status=data.get("status") or "",
        overdue=bool(data.get("overdue")),
        mine=bool(data.get("mine")),
        search=data.get("q") or "",
    )
    return Selection(rows=rows, filters=filters_text(form))


def _overdue(mediation: Mediation) -> bool:
    return (
        mediation.status == MediationStatus.ACCEPTED
        and mediation.due_on is not None
        and mediation.due_on < selectors.clock_today()
    )


register_export(
    ExportList(
        name="mediation.mediations",
        title="诉前调解清单",
        page="mediation:list",
        may_export=may_use_mediation,
        denied_message="只有调解员和法院工作人员可以使用诉前调解",
        select=_mediations,
        counter="件",
        columns=(
            Column("调解案号", lambda mediation: mediation.number, width=22),
            Column("立案申请编号", lambda mediation: mediation.filing.number, width=18),
            Column("案由", lambda mediation: mediation.filing.cause, width=22),
            Column("法院", lambda mediation: mediation.court.name, width=20),
            Column("调解方式", lambda mediation: mediation.get_mode_display(), width=12),
            Column(
                "调解组织",
                lambda mediation: mediation.organisation.name if mediation.organisation else "",
                width=20,
            ),
            Column("调解员", lambda mediation: mediation.mediator.get_full_name(), width=10),
            Column("状态", lambda mediation: mediation.get_status_display(), width=10),
            Column(
                "申请调解日期", lambda mediation: mediation.applied_on, width=12, kind=Kind.DATE
            ),
            Column(
                "委派时间", lambda mediation: mediation.assigned_at, width=17, kind=Kind.DATETIME
            ),
            Column(
                "确认接受时间",
                lambda mediation: mediation.accepted_at,
                width=17,
                kind=Kind.DATETIME,
            ),
            Column("调解期限", lambda mediation: mediation.due_on, width=12, kind=Kind.DATE),
            Column("已超期", _overdue, width=8),
            Column("结束时间", lambda mediation: mediation.ended_at, width=17, kind=Kind.DATETIME),
        ),
    )
)
