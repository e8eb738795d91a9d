"""The fee notices list as .xlsx (youjie.exports): the court's notices with the page's filters
(state, search), within the user's scope; amounts as numbers (元, two decimals). The payer's
phone is masked unless the role may see it on the notice's page (``can_view_payer_phone``)."""

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
from youjie.fees import selectors
from youjie.fees.forms import NoticeFilterForm
from youjie.fees.models import FeeNotice
from youjie.fees.permissions import can_view_payer_phone, may_see_fees
from youjie.orgs.models import User


def _notices(user: User, params: QueryDict) -> Selection:
    form = NoticeFilterForm(params)
    if not form.is_valid():
        raise invalid_filters(form)
    data = form.cleaned_data
    rows = selectors.notice_list(
        user=user, state=data.get("state") or "", search=data.get("q") or ""
    )
    return Selection(rows=rows, filters=filters_text(form))


def _phone(notice: FeeNotice) -> str:
    return decrypt_text(notice.payer_phone_encrypted) if notice.payer_phone_encrypted else ""


register_export(
    ExportList(
        name="fees.notices",
        title="缴费通知书清单",
        page="fees:notice_list",
        may_export=may_see_fees,
        denied_message="只有法院立案、审判人员和院庭领导可以使用诉讼费页面",
        select=_notices,
        counter="份",
        columns=(
            Column("通知书编号", lambda notice: notice.number, width=24),
            Column("案号", lambda notice: notice.court_case.case_number, width=26),
            Column("交费人", lambda notice: notice.payer_name, width=16),
            Column("诉讼地位", lambda notice: notice.get_payer_role_display(), width=10),
            Column(
                "联系电话",
                lambda notice: notice.payer_phone_masked,
                width=14,
                kind=Kind.MASKED,
                full=_phone,
                unmask=can_view_payer_phone,
            ),
            Column("费用名称", lambda notice: notice.fee_type_label, width=14),
            Column(
                "应交金额（元）", lambda notice: notice.total_amount, width=14, kind=Kind.DECIMAL
            ),
            Column("实交金额（元）", lambda notice: notice.amount_due, width=14, kind=Kind.DECIMAL),
            Column(
                "已缴金额（元）", lambda notice: notice.paid_amount, width=14, kind=Kind.DECIMAL
            ),
            Column(
                "已退金额（元）", lambda notice: notice.refunded_amount, width=14, kind=Kind.DECIMAL
            ),
            Column("开具时间", lambda notice: notice.issued_at, width=17, kind=Kind.DATETIME),
            Column("缴费期限", lambda notice: notice.due_on, width=12, kind=Kind.DATE),
            Column("缴费时间", lambda notice: notice.paid_at, width=17, kind=Kind.DATETIME),
            Column("状态", lambda notice: notice.get_status_display(), width=10),
        ),
    )
)
