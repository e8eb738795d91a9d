"""The filings page's queues as .xlsx (youjie.exports): the queue and filters of the page
(its default queue too: 待审查 for those who decide, else 全部), within the user's scope. The
submitter's phone is masked unless the role may see full personal data (as on the filing's
page, ``people.permissions.can_view_full_personal_data``)."""

from __future__ import annotations

from django.http import QueryDict

from youjie.core.crypto import decrypt_text
from youjie.exports.registry import (
    Column,
    ExportList,
    Kind,
    Selection,
    filters_text,
    invalid_filters,
    register_export,
)
from youjie.filings import selectors
from youjie.filings.forms import FilingFilterForm
from youjie.filings.models import Filing
from youjie.filings.permissions import may_decide_filings, may_see_filings
from youjie.orgs.models import User
from youjie.people.permissions import can_view_full_personal_data


def _filings(user: User, params: QueryDict) -> Selection:
    form = FilingFilterForm(params)
    if not form.is_valid():
        raise invalid_filters(form)
    filters = form.filters()
    filters["queue"] = filters.get("queue") or ("review" if may_decide_filings(user) else "all")
    rows = selectors.filing_queue(user=user, **filters).select_related("court_case")
    queue = f"队列：{selectors.QUEUES[filters['queue']]}"
    rest = filters_text(form, skip=("queue",), default="")
    return Selection(rows=rows, filters=f"{queue}；{rest}" if rest else queue)


def _phone(filing: Filing) -> str:
    return (
        decrypt_text(filing.submitter_phone_encrypted) if filing.submitter_phone_encrypted else ""
    )


def _overdue(filing: Filing) -> bool:
    return selectors.is_overdue(filing)


register_export(
    ExportList(
        name="filings.filings",
        title="网上立案清单",
        page="filings:list",
        may_export=may_see_filings,
        denied_message="只有法院工作人员可以使用网上立案",
        select=_filings,
        counter="件",
        columns=(
            Column("申请编号", lambda filing: filing.number, width=18),
            Column("案由", lambda filing: filing.cause, width=22),
            Column("案件类型", lambda filing: filing.get_case_kind_display(), width=12),
            Column("提交渠道", lambda filing: filing.get_channel_display(), width=10),
            Column("提交人", lambda filing: filing.submitter_name, width=14),
            Column("提交人身份", lambda filing: filing.get_submitter_kind_display(), width=10),
            Column(
                "提交人手机",
                lambda filing: filing.submitter_phone_masked,
                width=14,
                kind=Kind.MASKED,
                full=_phone,
                unmask=can_view_full_personal_data,
            ),
            Column("收件法院", lambda filing: filing.receiving_court.name, width=20),
            Column("管辖法院", lambda filing: filing.competent_court.name, width=20),
            Column("跨域立案", lambda filing: filing.cross_domain, width=8),
            Column("标的额（元）", lambda filing: filing.amount, width=16, kind=Kind.DECIMAL),
            Column("状态", lambda filing: filing.get_status_display(), width=12),
            Column("提交时间", lambda filing: filing.submitted_at, width=17, kind=Kind.DATETIME),
            Column("审查期限", lambda filing: filing.decision_due, width=12, kind=Kind.DATE),
            Column("已超期", _overdue, width=8),
            Column("决定时间", lambda filing: filing.decided_at, width=17, kind=Kind.DATETIME),
            Column(
                "案号",
                lambda filing: filing.court_case.case_number if filing.court_case else "",
                width=26,
            ),
        ),
    )
)
