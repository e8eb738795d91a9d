"""The mediation services end to end: delegation with consent, acceptance and its clock,
sessions with their SMS, failure sending the filing back to review, agreement and judicial
confirmation, the mediation document — every step with its events on both timelines."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from youjie.core.crypto import decrypt_text
from youjie.core.errors import Conflict, InvalidTransition, PermissionDenied, ValidationFailed
from youjie.core.models import Event
from youjie.core.timeline import timeline_for
from youjie.filings.choices import FilingStatus
from youjie.mediation import services
from youjie.mediation.choices import ConfirmationStatus, MediationStatus, SessionStatus
from youjie.mediation.models import (
    JudicialConfirmation,
    Mediation,
    MediationDocument,
    MediationSession,
)
from youjie.mediation.tests.support import (
    DEFENDANT_MOBILE,
    SUBMITTER_MOBILE,
    accepted,
    delegate,
    make_filing,
    tomorrow_at,
)
from youjie.notifications.models import Notification

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def verbs(subject) -> list[str]:
    return [event.verb for event in timeline_for(subject)]


def sms_to(mobile: str) -> list[Notification]:
    return [
        row
        for row in Notification.objects.filter(
            channel="sms", dedupe_key__startswith="mediation:"
        ).order_by("id")
        if decrypt_text(row.recipient_encrypted) == mobile
    ]


def test_delegate_accept_schedule_fail_sends_the_filing_back_to_review(receptionist, mediator):
    filing = make_filing()
    assert filing.status == FilingStatus.REVIEW
    mediation = delegate(receptionist, mediator, filing)
    filing.refresh_from_db()
    assert filing.status == FilingStatus.MEDIATION
    assert mediation.status == MediationStatus.ASSIGNED
    assert mediation.number == "（2026）内0206民诉前调1号"
    assert mediation.applied_on == date(2026, 9, 29)
    # The mediator is told to confirm within 3 working days: 09-30, 10-08, 10-09 (the holiday
    # 10-01…10-07 does not count).
    staff_message = Notification.objects.get(dedupe_key__startswith=f"mediation:{mediation.pk}:")
    assert "2026-10-09" in staff_message.body

    services.mediation_accept(actor=mediator, mediation=mediation)
    mediation.refresh_from_db()
    assert mediation.status == MediationStatus.ACCEPTED
    assert mediation.due_on == date(2026, 10, 29)  # 09-29 + 30 days

    session = services.session_schedule(
        actor=mediator,
        mediation=mediation,
        kind="online",
        scheduled_at=tomorrow_at(14),
        video_url="https://meeting.tencent.com/dm/AbCd1234",
    )
    assert session.status == SessionStatus.SCHEDULED
    # Both parties' mobiles get the text with the link at its end; the rows hold them encrypted.
    for mobile in (SUBMITTER_MOBILE, DEFENDANT_MOBILE):
        (text,) = sms_to(mobile)
        assert text.body.startswith("【")
        assert "9月30日14:00" in text.body
        assert text.body.endswith("https://meeting.tencent.com/dm/AbCd1234")
        assert text.subject_type == "mediation.mediationsession"
        assert mobile not in text.recipient_encrypted

    services.mediation_fail(actor=mediator, mediation=mediation, reason="被告拒绝调解")
    mediation.refresh_from_db()
    filing.refresh_from_db()
    assert mediation.status == MediationStatus.FAILED
    assert mediation.failure_reason == "被告拒绝调解"
    assert filing.status == FilingStatus.REVIEW
    assert filing.decision_due == date(2026, 10, 8)  # 09-29 + 7 = 10-06 (holiday) → 10-08
    assert verbs(mediation) == [
        "delegated",
        "accepted",
        "session_scheduled",
        "failed",
    ]
    assert verbs(filing) == [
        "submitted",
        "mediation_delegated",
        "mediation_accepted",
        "mediation_failed",
    ]
    failed = Event.objects.get(subject_type="filings.filing", verb="mediation_failed")
    assert (failed.from_state, failed.to_state) == ("mediation", "review")
    assert failed.data["decision_due"] == "2026-10-08"
    assert "已转入立案审查" in sms_to(SUBMITTER_MOBILE)[-1].body


def test_agreement_then_judicial_confirmation_closes_and_settles(receptionist, judge, mediator):
    mediation = accepted(receptionist, mediator)
    services.mediation_agree(
        actor=mediator,
        mediation=mediation,
        agreement="被告分两期归还借款",
        agreed_on=date(2026, 9, 29),
    )
    assert mediation.status == MediationStatus.AGREED
    confirmation = services.confirmation_apply(
        actor=mediator, mediation=mediation, applicants="王建华、李强", applied_on=date(2026, 9, 29)
    )
    assert confirmation.status == ConfirmationStatus.APPLIED
    services.confirmation_accept(
        actor=receptionist, confirmation=confirmation, accepted_on=date(2026, 9, 29)
    )
    assert confirmation.case_number == "（2026）内0206民特1号"
    services.confirmation_decide(
        actor=judge, confirmation=confirmation, result="confirmed", decided_on=date(2026, 9, 29)
    )
    mediation.refresh_from_db()
    assert confirmation.status == ConfirmationStatus.CONFIRMED
    assert mediation.status == MediationStatus.CLOSED_CONFIRMED
    assert mediation.filing.status == FilingStatus.SETTLED
    assert verbs(mediation) == [
        "delegated",
        "accepted",
        "agreed",
        "confirmation_applied",
        "confirmation_accepted",
        "confirmation_confirmed",
        "closed",
    ]
    assert verbs(confirmation) == ["applied", "accepted", "decided"]
    assert verbs(mediation.filing)[-2:] == ["mediation_agreed", "mediation_settled"]


def test_a_refused_confirmation_leaves_the_agreement_to_a_mediation_document(
    receptionist, judge, mediator
):
    mediation = accepted(receptionist, mediator)
    services.mediation_agree(
        actor=mediator, mediation=mediation, agreement="一次性归还", agreed_on=date(2026, 9, 29)
    )
    confirmation = services.confirmation_apply(
        actor=receptionist,
        mediation=mediation,
        applicants="王建华、李强",
        applied_on=date(2026, 9, 29),
    )
    with pytest.raises(ValidationFailed) as refused:
        services.mediation_close(
            actor=judge,
            mediation=mediation,
            kind="document",
            case_number="（2026）内0206民初88号",
            issued_on=date(2026, 9, 29),
        )
    assert refused.value.code == "confirmation_pending"
    services.confirmation_decide(
        actor=judge,
        confirmation=confirmation,
        result="not_accepted",
        decided_on=date(2026, 9, 29),
        reason="协议内容涉及案外人权益",
    )
    services.mediation_close(
        actor=judge,
        mediation=mediation,
        kind="document",
        case_number="(2026)内0206民初88号",
        issued_on=date(2026, 9, 29),
        summary="被告于十日内归还借款",
    )
    mediation.refresh_from_db()
    assert mediation.status == MediationStatus.CLOSED_DOCUMENT
    assert MediationDocument.objects.get().case_number == "（2026）内0206民初88号"
    assert mediation.filing.status == FilingStatus.SETTLED


def test_delegation_without_consent_is_refused_and_writes_nothing(receptionist, mediator):
    filing = make_filing(consent=False)
    events = Event.objects.count()
    with pytest.raises(ValidationFailed) as refused:
        delegate(receptionist, mediator, filing)
    assert refused.value.code == "mediation_consent_missing"
    assert "同意" in refused.value.message
    filing.refresh_from_db()
    assert filing.status == FilingStatus.REVIEW
    assert not Mediation.objects.exists()
    assert Event.objects.count() == events


def test_only_the_competent_courts_staff_delegate(qingshan_receptionist, mediator, city_officer):
    filing = make_filing()
    for outsider in (qingshan_receptionist, mediator, city_officer):
        with pytest.raises(PermissionDenied):
            delegate(outsider, mediator, filing)
    assert not Mediation.objects.exists()


def test_a_filing_is_delegated_once(receptionist, mediator, other_mediator):
    filing = make_filing()
    delegate(receptionist, mediator, filing)
    with pytest.raises(Conflict):
        delegate(receptionist, other_mediator, filing)


def test_the_mediator_must_belong_to_the_chosen_organisation(receptionist, judge):
    filing = make_filing()
    with pytest.raises(ValidationFailed) as refused:
        delegate(receptionist, judge, filing)
    assert "调解员" in refused.value.fields["mediator"][0]
    # 法官+调解: the court's own judge, no organisation.
    mediation = services.mediation_delegate(
        actor=receptionist, filing=filing, mode="court", mediator=judge
    )
    assert mediation.organisation is None and mediation.mediator == judge


def test_only_the_assigned_mediator_conducts(receptionist, mediator, other_mediator, judge):
    mediation = delegate(receptionist, mediator)
    for outsider in (other_mediator, judge, receptionist):
        with pytest.raises(PermissionDenied):
            services.mediation_accept(actor=outsider, mediation=mediation)
    services.mediation_accept(actor=mediator, mediation=mediation)
    with pytest.raises(InvalidTransition):
        services.mediation_accept(actor=mediator, mediation=mediation)


def test_a_session_is_recorded_once_and_not_before_it_takes_place(receptionist, mediator):
    mediation = accepted(receptionist, mediator)
    session = services.session_schedule(
        actor=mediator,
        mediation=mediation,
        kind="in_person",
        scheduled_at=tomorrow_at(9),
        place="白云鄂博矿区人民调解委员会调解室",
    )
    with pytest.raises(ValidationFailed) as early:
        services.session_record(actor=mediator, session=session, held=True, notes="双方到场")
    assert "held" in early.value.fields
    services.session_record(actor=mediator, session=session, held=False, notes="被告请假")
    session.refresh_from_db()
    assert session.status == SessionStatus.NOT_HELD
    with pytest.raises(InvalidTransition):
        services.session_record(actor=mediator, session=session, held=False, notes="再次")
    assert verbs(mediation)[-1] == "session_not_held"
    assert verbs(session) == ["scheduled", "recorded"]


def test_withdrawal_ends_both(receptionist, mediator):
    mediation = accepted(receptionist, mediator)
    services.mediation_withdraw(actor=receptionist, mediation=mediation, reason="当事人撤回起诉")
    mediation.refresh_from_db()
    assert mediation.status == MediationStatus.WITHDRAWN
    assert mediation.filing.status == FilingStatus.WITHDRAWN


def test_a_late_confirmation_application_is_refused(receptionist, mediator, frozen):
    mediation = accepted(receptionist, mediator)
    services.mediation_agree(
        actor=mediator, mediation=mediation, agreement="分期归还", agreed_on=date(2026, 9, 29)
    )
    frozen.shift(timedelta(days=60))
    with pytest.raises(ValidationFailed) as late:
        services.confirmation_apply(
            actor=mediator,
            mediation=mediation,
            applicants="王建华、李强",
            applied_on=date(2026, 11, 20),
        )
    # 09-29 + 30 = 10-29: the last day to apply (民事诉讼法 Art. 205).
    assert late.value.code == "confirmation_too_late"
    assert "2026-10-29" in late.value.message
    assert not JudicialConfirmation.objects.exists()


def test_the_confirmation_decision_period_is_extended_once(receptionist, judge, mediator):
    mediation = accepted(receptionist, mediator)
    services.mediation_agree(
        actor=mediator, mediation=mediation, agreement="分期归还", agreed_on=date(2026, 9, 29)
    )
    confirmation = services.confirmation_apply(
        actor=mediator, mediation=mediation, applicants="王建华、李强", applied_on=date(2026, 9, 29)
    )
    services.confirmation_accept(
        actor=receptionist, confirmation=confirmation, accepted_on=date(2026, 9, 29)
    )
    with pytest.raises(PermissionDenied):  # a receptionist registers; a judge decides
        services.confirmation_extend(
            actor=receptionist, confirmation=confirmation, approved_by="刘志强", reason="需核实"
        )
    services.confirmation_extend(
        actor=judge, confirmation=confirmation, approved_by="刘志强", reason="需要核实履行能力"
    )
    with pytest.raises(ValidationFailed) as twice:
        services.confirmation_extend(
            actor=judge, confirmation=confirmation, approved_by="刘志强", reason="再延长"
        )
    assert twice.value.code == "already_extended"
    event = Event.objects.get(subject_type="mediation.mediation", verb="confirmation_extended")
    # 09-29 + 25 = 10-24, a Saturday → Monday 10-26.
    assert event.data["decide_due"] == "2026-10-26"


def test_session_reminders_go_the_day_before_once(receptionist, mediator, frozen):
    mediation = accepted(receptionist, mediator)
    session = services.session_schedule(
        actor=mediator,
        mediation=mediation,
        kind="in_person",
        scheduled_at=tomorrow_at(15) + timedelta(days=1),  # 10-01 15:00
        place="调解室",
    )
    assert services.session_reminders_send() == 0  # two days ahead: not yet
    frozen.shift(timedelta(days=1))
    assert services.session_reminders_send() == 1
    assert services.session_reminders_send() == 0  # claimed: never twice
    session.refresh_from_db()
    assert session.reminded_at is not None
    reminders = Notification.objects.filter(dedupe_key__contains="session_reminder")
    assert reminders.count() == 2  # submitter and defendant
    assert all("明天15:00在调解室进行" in row.body for row in reminders)
    assert verbs(mediation)[-1] == "session_reminded"


def test_the_periodic_task_claims_its_tick(receptionist, mediator, frozen):
    from youjie.mediation.tasks import mediation_session_reminders

    mediation = accepted(receptionist, mediator)
    services.session_schedule(
        actor=mediator,
        mediation=mediation,
        kind="in_person",
        scheduled_at=tomorrow_at(10),
        place="调解室",
    )
    assert mediation_session_reminders.call_local() == 1
    assert mediation_session_reminders.call_local() is None  # the same tick: another consumer's
    assert MediationSession.objects.get().reminded_at is not None


def test_texts_to_parties_stay_within_two_sms_parts(receptionist, mediator):
    """An in-person session's text with the longest place, the reminder and the failure notice
    each fit two SMS parts (134 characters, notifications.sms); the place is shortened."""
    from youjie.notifications.sms import SMS_TARGET_LENGTH, sms_length

    mediation = accepted(receptionist, mediator)
    services.session_schedule(
        actor=mediator,
        mediation=mediation,
        kind="in_person",
        scheduled_at=tomorrow_at(9),
        place="白云鄂博矿区" + "人民调解委员会第一调解室" * 16,
    )
    services.session_reminders_send()
    services.mediation_fail(actor=mediator, mediation=mediation, reason="调解不成")
    texts = [row.body for row in sms_to(SUBMITTER_MOBILE)]
    assert len(texts) == 3
    assert all(sms_length(text) <= SMS_TARGET_LENGTH for text in texts), texts
    assert "…" in texts[0]
