"""Issuing fee notices: the calculator's lines with their articles, the number per court and
year, the due date (7 日 from the day after, a last day on a holiday moved on), the payer's
phone encrypted and masked, the events on the notice and the court case; overdue notices."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
import time_machine

from youjie.core.crypto import decrypt_text
from youjie.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from youjie.core.models import Event
from youjie.core.timeline import timeline_for
from youjie.fees import selectors, services, tasks
from youjie.fees.choices import NoticeStatus, PayerKind, ReliefKind
from youjie.fees.models import FeeNotice
from youjie.fees.tests.conftest import NOW, SHANGHAI, issue, make_case
from youjie.notifications.models import Notification as Outbox

pytestmark = pytest.mark.django_db


def test_a_notice_carries_the_lines_the_number_and_the_due_date(
    notice: FeeNotice, receptionist: Any
) -> None:
    assert notice.number == "（2026）内0206诉费1号"
    assert notice.total_amount == notice.amount_due == Decimal("4300.00")
    # 50 per case up to 10,000; 2.5 % of 10,000–100,000; 2 % of 100,000–200,000 (分段累计).
    assert [line["amount"] for line in notice.lines] == ["50.00", "2250.00", "2000.00"]
    assert {line["article"] for line in notice.lines} == {"《诉讼费用交纳办法》第十三条第（一）项"}
    assert sum(Decimal(line["amount"]) for line in notice.lines) == Decimal("4300.00")
    # Issued Monday 2026-11-23: 7 日 from the next day end on Monday 2026-11-30.
    assert notice.due_on == date(2026, 11, 30)
    assert notice.payer_name == "张三丰" and notice.payer_kind == PayerKind.PERSON
    assert notice.payer_phone_masked == "139****5678"
    assert "13912345678" not in notice.payer_phone_encrypted
    assert decrypt_text(notice.payer_phone_encrypted) == "13912345678"
    assert [event.verb for event in timeline_for(notice)] == ["issued"]
    case_events = list(timeline_for(notice.court_case))
    assert [event.verb for event in case_events] == ["fee_notice_issued"]
    assert case_events[0].data["notice"] == notice.number
    sms = Outbox.objects.get(dedupe_key=f"fees:{notice.number}:issued")
    token = services.notice_token(notice)
    assert f"/fees/pay/{token}/" in sms.body and "4,300.00元" in sms.body
    second = issue(receptionist, notice.court_case, amount="1000")
    assert second.number == "（2026）内0206诉费2号"
    assert second.total_amount == Decimal("50.00")  # Art. 13(1): 50 per case up to 10,000


def test_the_last_day_on_a_holiday_moves_to_the_next_working_day(
    receptionist: Any, court_case: Any
) -> None:
    # Issued Thursday 2026-09-24: the 7th day is 2026-10-01, 国庆节 (10-01 to 10-07), so the
    # period ends on Thursday 2026-10-08 (民事诉讼法 Art. 85, 民法典 Art. 203).
    with time_machine.travel(datetime(2026, 9, 24, 16, 0, tzinfo=SHANGHAI), tick=False):
        notice = issue(receptionist, court_case)
    assert notice.due_on == date(2026, 10, 8)
    assert services.notice_due_on(date(2026, 11, 2)) == date(2026, 11, 9)


def test_a_range_or_a_stranger_is_refused(
    receptionist: Any, court_case: Any, city_officer: Any, frozen: Any
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        issue(receptionist, court_case, fee_kind="divorce", amount="1000")
    assert refused.value.code == "fee_range"
    assert "50.00元至300.00元" in refused.value.message
    with pytest.raises(PermissionDenied):
        issue(city_officer, court_case)
    with pytest.raises(ValidationFailed) as bad_phone:
        issue(receptionist, court_case, phone="12345")
    assert "payer_phone" in bad_phone.value.fields
    assert not FeeNotice.objects.exists()


def test_overdue_only_when_unpaid_past_the_day_and_no_relief_is_under_review(
    receptionist: Any, judge: Any, frozen: Any
) -> None:
    late = issue(receptionist, make_case(judge=judge, sequence=901))
    reviewed = issue(receptionist, make_case(judge=judge, sequence=902))
    services.relief_apply(
        notice=reviewed,
        kind=ReliefKind.DEFER,
        applicant_name="张三丰",
        applicant_kind=PayerKind.PERSON,
        reasons="交通事故受害人，正在治疗",
        requested_until=date(2027, 1, 15),
        files=[_pdf()],
    )
    # On the last day (11-30) nothing is overdue yet: the period ends at 24:00.
    assert list(selectors.fee_notices_overdue_unpaid(on=date(2026, 11, 30))) == []
    assert list(selectors.fee_notices_overdue_unpaid(on=date(2026, 12, 1))) == [late]
    frozen.move_to(datetime(2026, 12, 1, 0, 20, tzinfo=SHANGHAI))
    assert tasks.fees_mark_overdue.call_local() == 1
    assert tasks.fees_mark_overdue.call_local() is None  # the same tick, claimed already
    late.refresh_from_db()
    reviewed.refresh_from_db()
    assert late.status == NoticeStatus.OVERDUE
    assert reviewed.status == NoticeStatus.ISSUED
    assert [event.verb for event in timeline_for(late)] == ["issued", "overdue"]
    assert Event.objects.filter(verb="fee_overdue", subject_id=str(late.court_case_id)).count() == 1
    with pytest.raises(InvalidTransition):
        services.payment_order_create(notice=late)


def test_cancel_needs_a_reason_and_no_payment(notice: FeeNotice, receptionist: Any) -> None:
    with pytest.raises(ValidationFailed):
        services.notice_cancel(actor=receptionist, notice=notice, reason="  ")
    services.notice_cancel(actor=receptionist, notice=notice, reason="计费有误，重新开具")
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.CANCELLED
    assert NOW.date() == notice.issued_at.astimezone(SHANGHAI).date()


def _pdf() -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("低保证明.pdf", b"%PDF-1.4\n" + b"0" * 64, "application/pdf")
