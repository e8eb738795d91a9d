"""司法救助 on fees (缓交, 减交, 免交: Art. 44–48) and refunds (Art. 15, 27, 53)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from youjie.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from youjie.core.timeline import timeline_for
from youjie.fees import services
from youjie.fees.choices import (
    NoticeStatus,
    PayerKind,
    RefundMethod,
    RefundReason,
    RefundStatus,
    ReliefKind,
    ReliefStatus,
)
from youjie.fees.models import FeeNotice, ReliefApplication, ReliefAttachment

pytestmark = pytest.mark.django_db


def pdf(name: str = "困难证明.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n" + b"0" * 64, "application/pdf")


def apply(
    notice: FeeNotice, kind: str, applicant_kind: str = PayerKind.PERSON, **extra: Any
) -> Any:
    return services.relief_apply(
        notice=notice,
        kind=kind,
        applicant_name="张三丰",
        applicant_kind=applicant_kind,
        reasons="家庭经济困难，领取最低生活保障金",
        files=extra.pop("files", [pdf()]),
        **extra,
    )


def test_a_waiver_is_for_natural_persons_only(
    notice: FeeNotice, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    with pytest.raises(ValidationFailed) as refused:
        apply(notice, ReliefKind.WAIVE, PayerKind.ORGANISATION)
    assert refused.value.fields["kind"] == [
        "诉讼费用的免交只适用于自然人（《诉讼费用交纳办法》第四十四条第二款）"
    ]
    assert not ReliefApplication.objects.exists()


def test_a_reduction_below_thirty_per_cent_is_refused(
    notice: FeeNotice, court_leader: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    with pytest.raises(ValidationFailed) as refused:
        apply(notice, ReliefKind.REDUCE, requested_percent=20)
    assert "不得低于30%" in refused.value.fields["requested_percent"][0]
    application = apply(notice, ReliefKind.REDUCE, requested_percent=40)
    with pytest.raises(ValidationFailed) as too_little:
        services.relief_decide(
            actor=court_leader, application=application, grant=True, reasons="", percent=25
        )
    assert "percent" in too_little.value.fields
    services.relief_decide(
        actor=court_leader, application=application, grant=True, reasons="属实", percent=40
    )
    notice.refresh_from_db()
    application.refresh_from_db()
    assert application.status == ReliefStatus.GRANTED and application.granted_percent == 40
    assert notice.amount_due == Decimal("2580.00")  # 4,300 × 60 %
    assert notice.status == NoticeStatus.ISSUED
    case_verbs = [event.verb for event in timeline_for(notice.court_case)]
    assert case_verbs.count("fee_relief_granted") == 1
    assert "relief_granted" in [event.verb for event in timeline_for(notice)]


def test_proofs_are_checked_by_content_and_a_refusal_needs_reasons(
    notice: FeeNotice, division_head: Any, judge: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    liar = SimpleUploadedFile("证明.pdf", b"MZ\x90\x00" + b"0" * 64, "application/pdf")
    with pytest.raises(ValidationFailed) as refused:
        apply(notice, ReliefKind.DEFER, requested_until=date(2027, 1, 15), files=[liar])
    assert refused.value.fields["files"] == ["文件“证明.pdf”的内容与扩展名不符"]
    with pytest.raises(ValidationFailed):
        apply(notice, ReliefKind.DEFER, requested_until=date(2027, 1, 15), files=[])
    application = apply(notice, ReliefKind.DEFER, requested_until=date(2027, 1, 15))
    assert ReliefAttachment.objects.get(application=application).content_type == "application/pdf"
    with pytest.raises(ValidationFailed) as second:
        apply(notice, ReliefKind.REDUCE, requested_percent=50)
    assert second.value.code == "relief_pending"
    with pytest.raises(PermissionDenied):
        services.relief_decide(actor=judge, application=application, grant=False, reasons="不符")
    with pytest.raises(ValidationFailed) as bare:
        services.relief_decide(
            actor=division_head, application=application, grant=False, reasons=""
        )
    assert "reasons" in bare.value.fields
    services.relief_decide(
        actor=division_head, application=application, grant=False, reasons="不符合第四十七条情形"
    )
    application.refresh_from_db()
    assert application.status == ReliefStatus.REFUSED
    assert application.decision_reasons == "不符合第四十七条情形"
    with pytest.raises(InvalidTransition):
        services.relief_decide(actor=division_head, application=application, grant=True, reasons="")


def test_a_deferral_moves_the_last_day_and_a_waiver_relieves(
    notice: FeeNotice,
    receptionist: Any,
    court_leader: Any,
    judge: Any,
    settings: Any,
    tmp_path: Any,
) -> None:
    from youjie.fees.tests.conftest import issue, make_case

    settings.MEDIA_ROOT = str(tmp_path)
    deferral = apply(notice, ReliefKind.DEFER, requested_until=date(2027, 1, 15))
    services.relief_decide(
        actor=court_leader, application=deferral, grant=True, reasons="", until=date(2027, 1, 15)
    )
    notice.refresh_from_db()
    assert notice.due_on == date(2027, 1, 15) and notice.status == NoticeStatus.ISSUED
    other = issue(receptionist, make_case(judge=judge, sequence=910))
    waiver = apply(other, ReliefKind.WAIVE)
    services.relief_decide(actor=court_leader, application=waiver, grant=True, reasons="低保对象")
    other.refresh_from_db()
    assert other.status == NoticeStatus.RELIEVED and other.amount_due == Decimal("0.00")


def test_refunds_online_and_offline_within_what_was_paid(
    notice: FeeNotice, receptionist: Any, payments: Any
) -> None:
    with pytest.raises(ValidationFailed):  # nothing paid yet
        services.refund_request(
            actor=receptionist,
            notice=notice,
            amount="100",
            reason=RefundReason.WITHDRAWAL,
            effective_on=date(2026, 11, 20),
            bank_reference="X1",
        )
    services.counter_payment_confirm(
        actor=receptionist,
        notice=notice,
        amount="4300.00",
        receipt_number="NM2026-1",
        paid_on=date(2026, 11, 23),
    )
    notice.refresh_from_db()
    with pytest.raises(ValidationFailed) as no_reference:
        services.refund_request(
            actor=receptionist,
            notice=notice,
            amount="2150.00",
            reason=RefundReason.WITHDRAWAL,
            effective_on=date(2026, 11, 20),
        )
    assert "bank_reference" in no_reference.value.fields
    refund = services.refund_request(
        actor=receptionist,
        notice=notice,
        amount="2150.00",
        reason=RefundReason.WITHDRAWAL,
        effective_on=date(2026, 11, 20),
        bank_reference="BOC-20261123-01",
    )
    assert refund.method == RefundMethod.OFFLINE and refund.status == RefundStatus.SUCCEEDED
    assert refund.article == "《诉讼费用交纳办法》第十五条"
    assert refund.due_on == date(2026, 12, 7)  # 15 日 from 11-20: 12-05 is a Saturday
    with pytest.raises(ValidationFailed) as too_much:
        services.refund_request(
            actor=receptionist,
            notice=notice,
            amount="2150.01",
            reason=RefundReason.OVERPAID,
            effective_on=date(2026, 11, 20),
            bank_reference="BOC-2",
        )
    assert "2,150.00元" in too_much.value.fields["amount"][0]
    notice.refresh_from_db()
    assert notice.refunded_amount == Decimal("2150.00")
