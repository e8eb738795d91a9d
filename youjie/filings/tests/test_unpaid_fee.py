"""登记立案规定 Art. 11: an accepted filing whose acceptance fee went unpaid past the notice's
7 日, with no 缓减免 under review, is treated as withdrawn by the sweep — and a paid one is not."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine

from youjie.fees import services as fees
from youjie.fees.choices import NoticeStatus
from youjie.fees.models import FeeNotice
from youjie.filings import services
from youjie.filings.choices import FilingStatus
from youjie.filings.models import Filing
from youjie.filings.services.fees import filings_unpaid_fee_sweep
from youjie.filings.tasks import filings_unpaid_fees
from youjie.filings.tests.support import NOW, submit, unit, verbs
from youjie.orgs.models import User

pytestmark = pytest.mark.usefixtures("frozen")


def _accepted_with_notice(
    receptionist: User,
    *,
    fee_kind: str = "property",
    amount: Decimal | None = Decimal("100000"),
    payer_role: str = "plaintiff",
    cause: str = "民间借贷纠纷",
) -> tuple[Filing, FeeNotice]:
    filing = submit(cause=cause)
    case = services.filing_accept(
        actor=receptionist, filing=filing, data=services.AcceptInput(division=unit("BT-BYEB-MS"))
    )
    notice, _created = fees.notice_issue(
        actor=receptionist,
        court_case=case,
        data=fees.NoticeInput(
            fee_kind=fee_kind,
            amount=amount,
            payer_name="张晓明" if payer_role == "plaintiff" else "李大力",
            payer_role=payer_role,
        ),
    )
    filing.refresh_from_db()
    return filing, notice


def test_an_unpaid_acceptance_fee_makes_the_filing_treated_as_withdrawn(receptionist: User):
    unpaid, unpaid_notice = _accepted_with_notice(receptionist)
    paid, paid_notice = _accepted_with_notice(receptionist)
    fees.counter_payment_confirm(
        actor=receptionist,
        notice=paid_notice,
        amount=paid_notice.total_amount,
        receipt_number="BYEB-2026-0001",
        paid_on=NOW.date(),
    )
    # Due 7 日 from the day after 2026-11-23: 11-30 (a Monday). Nothing moves on the last day.
    assert unpaid_notice.due_on == date(2026, 11, 30)
    with time_machine.travel(NOW + timedelta(days=7), tick=False):
        fees.fee_notices_mark_overdue()
        assert filings_unpaid_fee_sweep() == []
    with time_machine.travel(NOW + timedelta(days=8), tick=False):
        marked = fees.fee_notices_mark_overdue()
        assert [notice.pk for notice in marked] == [unpaid_notice.pk]
        moved = filings_unpaid_fee_sweep()
    assert [filing.pk for filing in moved] == [unpaid.pk]
    unpaid.refresh_from_db()
    paid.refresh_from_db()
    assert unpaid.status == FilingStatus.TREATED_WITHDRAWN
    assert verbs(unpaid)[-1] == "treated_as_withdrawn"
    assert paid.status == FilingStatus.ACCEPTED
    unpaid_notice.refresh_from_db()
    assert unpaid_notice.status == NoticeStatus.OVERDUE
    # The next sweep finds nothing more; the periodic task claims its tick and runs the sweep.
    assert filings_unpaid_fee_sweep() == []
    assert filings_unpaid_fees.call_local() == 0


def test_only_the_plaintiffs_acceptance_fee_withdraws_the_filing(receptionist: User) -> None:
    """Art. 20–22: the plaintiff's 案件受理费 is owed in advance on pain of 按撤诉处理. An
    execution fee is paid after execution, a preservation fee concerns that application, a
    defendant's notice (a counterclaim) is not the plaintiff's, and a claim for labour
    remuneration may be brought without the advance: none of them, overdue, moves a filing."""
    kept = [
        _accepted_with_notice(receptionist, fee_kind="execution", amount=Decimal("80000")),
        _accepted_with_notice(receptionist, fee_kind="preservation", amount=Decimal("80000")),
        _accepted_with_notice(receptionist, payer_role="defendant"),
        _accepted_with_notice(
            receptionist, fee_kind="labour", amount=None, cause="追索劳动报酬纠纷"
        ),
    ]
    other_labour = _accepted_with_notice(
        receptionist, fee_kind="labour", amount=None, cause="劳动合同纠纷"
    )
    plaintiff = _accepted_with_notice(receptionist)
    with time_machine.travel(NOW + timedelta(days=8), tick=False):
        marked = fees.fee_notices_mark_overdue()
        assert len(marked) == 6  # every notice is overdue in the fees app's own terms
        moved = filings_unpaid_fee_sweep(limit=2)
    # The four kept ones come first by id and are not even candidates: a limit of two still
    # reaches the two that move.
    assert sorted(filing.pk for filing in moved) == sorted([other_labour[0].pk, plaintiff[0].pk])
    for filing, notice in kept:
        filing.refresh_from_db()
        assert filing.status == FilingStatus.ACCEPTED, notice.fee_kind
        assert "treated_as_withdrawn" not in verbs(filing)
