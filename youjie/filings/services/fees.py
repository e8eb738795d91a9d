"""The acceptance fee left unpaid: 登记立案规定 Art. 11 and 《诉讼费用交纳办法》 Art. 22 — a
plaintiff who does not pay within 7 日 of the 交费通知 and has not applied for 缓交, 减交 or 免交
is treated as having withdrawn (按撤诉处理). The fees app decides when a notice is overdue
(past its last day, unpaid, no relief application under review:
``fees.services.fee_notices_mark_overdue``); this sweep moves the accepted filings of such
notices, each with its event.

Only a notice whose non-payment has that consequence moves a filing (``withdrawing_notices``):
the case's acceptance fee (案件受理费), owed in advance by the plaintiff (《诉讼费用交纳办法》
Art. 20–22, DOMAIN.md §4). Not an application fee: execution is paid after execution and
bankruptcy after liquidation, and an unpaid preservation fee concerns that application, not the
case. Not a notice to the defendant: a counterclaim's fee concerns the counterclaim. Not a claim
for labour remuneration (追索劳动报酬), which may be brought without the advance.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from youjie.courtcases.choices import PartyRole
from youjie.fees.choices import FeeKind, FeeType, NoticeStatus
from youjie.fees.models import FeeNotice
from youjie.filings.choices import FilingStatus
from youjie.filings.models import Filing
from youjie.filings.services.decisions import filing_treat_as_withdrawn

SWEEP_LIMIT = 500


LABOUR_REMUNERATION = "劳动报酬"


def withdrawing_notices() -> QuerySet[FeeNotice]:
    """The overdue notices whose non-payment treats the filing as withdrawn (module doc)."""
    return FeeNotice.objects.filter(
        status=NoticeStatus.OVERDUE,
        fee_type=FeeType.ACCEPTANCE_FEE,
        payer_role=PartyRole.PLAINTIFF,
    ).exclude(Q(fee_kind=FeeKind.LABOUR) & Q(court_case__cause__contains=LABOUR_REMUNERATION))


def filings_unpaid_fee_sweep(*, limit: int = SWEEP_LIMIT) -> list[Filing]:
    """Accepted filings whose court case has an overdue notice that withdraws it
    (``withdrawing_notices``): treated as withdrawn. Others stay accepted, so they never fill a
    sweep's ``limit``."""
    overdue = withdrawing_notices()
    filings = (
        Filing.objects.filter(
            status=FilingStatus.ACCEPTED, court_case__fee_notices__in=overdue.values("pk")
        )
        .distinct()
        .order_by("id")[:limit]
    )
    moved = []
    for filing in filings:
        notice = overdue.filter(court_case_id=filing.court_case_id).order_by("id").first()
        number = notice.number if notice is not None else ""
        moved.append(
            filing_treat_as_withdrawn(
                filing=filing,
                reason=(
                    f"缴费通知书{number}所列诉讼费用逾期未交纳，且未申请缓交、减交、免交，"
                    "按撤诉处理（《诉讼费用交纳办法》第二十二条、《关于人民法院登记立案若干问题的规定》第十一条）"
                ),
            )
        )
    return moved
