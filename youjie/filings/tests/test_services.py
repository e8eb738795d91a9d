"""The filing services: submission checks, the cross-domain flow with its events, the decision
clock (7 days from the competent court's receipt, restarting on a supplement, moved past a
holiday), numbering without gaps, acceptance into a court case, refusal, withdrawal."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from youjie.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from youjie.courtcases.models import CaseParty, CourtCase
from youjie.filings import services
from youjie.filings.choices import FilingStatus
from youjie.filings.models import Filing, FilingMaterial, FilingParty
from youjie.filings.tests.support import (
    NOW,
    PLAINTIFF_ID,
    SHANGHAI,
    SUBMITTER_PHONE,
    parties,
    pdf,
    sms_bodies,
    submit,
    unit,
    verbs,
)
from youjie.orgs.models import User
from youjie.people.identity import id_number_hash, phone_hash
from youjie.people.models import Enterprise, Person
from youjie.people.services import person_create

pytestmark = pytest.mark.usefixtures("frozen")


def test_a_filing_at_its_competent_court_goes_to_review_with_the_seven_day_clock(
    org_tree: None,
) -> None:
    filing = submit()
    assert re.fullmatch(r"网立2026-\d{6}", filing.number)
    assert filing.status == FilingStatus.REVIEW and not filing.cross_domain
    assert filing.competent_received_at == filing.submitted_at == NOW
    # Received Monday 23 November: 7 days → Monday 30 November (a working day).
    assert filing.decision_due == date(2026, 11, 30)
    assert verbs(filing) == ["submitted"]
    assert filing.submitter_phone_hash == phone_hash(SUBMITTER_PHONE)
    assert filing.submitter_phone_masked == "139****5678"
    party = FilingParty.objects.filter(filing=filing).order_by("id").first()
    assert party is not None
    assert PLAINTIFF_ID not in party.id_number_encrypted  # encrypted, not clear
    assert party.id_number_masked.startswith("150206") and "1985" not in party.id_number_masked
    material = FilingMaterial.objects.get(filing=filing, kind="complaint")
    assert material.content_type == "application/pdf" and len(material.sha256) == 64
    assert "编号" + filing.number in sms_bodies(filing)[0]


def test_numbers_follow_each_other_without_gaps_and_a_refused_submission_takes_none(
    org_tree: None,
) -> None:
    first = submit()
    with pytest.raises(ValidationFailed):
        submit(amount="-1")
    second = submit()
    assert second.sequence == first.sequence + 1
    assert second.number == f"网立2026-{second.sequence:06d}"


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"amount": "-0.01"}, "amount", "负数"),
        ({"amount": "99999999999999"}, "amount", "一万亿"),
        ({"amount": "12.345"}, "amount", "两位小数"),
        ({"amount": "NaN"}, "amount", "数字"),
        ({"currency": "USD"}, "currency", "人民币"),
        (
            {"materials": [services.MaterialInput(kind="evidence", title="借条")]},
            "complaint",
            "起诉状",
        ),
        (
            {
                "materials": [
                    services.MaterialInput(
                        kind="complaint",
                        title="起诉状",
                        file=SimpleUploadedFile("起诉状.png", b"just some text, not an image"),
                    )
                ]
            },
            "materials-0-file",
            "不符",
        ),
        ({"parties": parties()[1:]}, "parties", "原告"),
        ({"submitter_phone": "12345"}, "submitter_phone", ""),
        ({"submitter_kind": "lawyer"}, "authorisation", "授权委托书"),
    ],
)
def test_bad_input_is_refused_with_its_reason_and_nothing_is_written(
    org_tree: None, overrides: dict[str, Any], field: str, words: str
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        submit(**overrides)
    assert field in caught.value.fields, caught.value.fields
    assert words in "".join(caught.value.fields[field])
    assert not Filing.objects.exists() and not FilingParty.objects.exists()


def test_a_bad_id_number_is_refused_on_its_party(org_tree: None) -> None:
    bad = [
        services.PartyInput(
            role="plaintiff", kind="person", name="张晓明", id_number="150206198503120021"
        ),
        *parties()[1:],
    ]
    with pytest.raises(ValidationFailed) as caught:
        submit(parties=bad)
    assert "parties-0-id_number" in caught.value.fields
    assert not Filing.objects.exists()


def test_cross_domain_flow_forward_supplement_provide_accept_with_every_event(
    receptionist: User, qingshan_receptionist: User
) -> None:
    # Filed at 白云鄂博 for 青山区: waits at 白云鄂博 for the form check.
    filing = submit(competent="BT-QS-FY")
    assert filing.status == FilingStatus.RECEIVED and filing.cross_domain
    assert filing.decision_due is None and filing.competent_received_at is None
    with pytest.raises(PermissionDenied):  # the competent court does not check
        services.filing_forward(actor=qingshan_receptionist, filing=filing)
    # Form check at 白云鄂博 finds a missing identity copy: one notice listing everything.
    notice = services.filing_request_supplement(
        actor=receptionist, filing=filing, items=["原告身份证复印件", "借条原件照片", ""]
    )
    filing.refresh_from_db()
    assert filing.status == FilingStatus.SUPPLEMENT
    assert filing.supplement_items == ["原告身份证复印件", "借条原件照片"]
    assert re.fullmatch(r"\d{8}", notice.code) and notice.code not in filing.supplement_code_hash
    text = sms_bodies(filing)[-1]
    assert "原告身份证复印件" in text and "借条原件照片" in text and notice.code in text
    # The submitter provides: back to the receiving court's check (it asked).
    later = NOW + timedelta(days=2)
    with time_machine.travel(later, tick=False):
        services.filing_supplement_provide(
            filing=filing, materials=[services.MaterialInput("identity", "身份证", pdf("id.pdf"))]
        )
    filing.refresh_from_db()
    assert filing.status == FilingStatus.RECEIVED and filing.supplement_round == 1
    assert filing.supplement_code_hash == ""
    assert FilingMaterial.objects.get(filing=filing, kind="identity").supplement_round == 1
    # Forwarded on Wednesday 25 November: 青山区 receives it now, 7 days → 2 December.
    with time_machine.travel(later, tick=False):
        services.filing_forward(actor=receptionist, filing=filing, note="身份、材料核对无误")
    filing.refresh_from_db()
    assert filing.status == FilingStatus.REVIEW
    assert filing.forwarded_at == filing.competent_received_at == later
    assert filing.submitted_at == NOW  # both receipt times are kept
    assert filing.decision_due == date(2026, 12, 2)
    # 青山区 accepts: a case numbered （2026）内0204民初N号, parties linked to persons.
    known = person_create(actor=receptionist, name="张晓明", id_number=PLAINTIFF_ID)
    case = services.filing_accept(
        actor=qingshan_receptionist,
        filing=filing,
        data=services.AcceptInput(division=unit("BT-QS-MS"), fast_track=True),
    )
    assert re.fullmatch(r"（2026）内0204民初\d+号", case.case_number)
    assert case.court == unit("BT-QS-FY") and case.division == unit("BT-QS-MS")
    assert case.filed_on == NOW.date() and case.amount == Decimal("50000.00")
    filing.refresh_from_db()
    assert filing.status == FilingStatus.ACCEPTED and filing.court_case == case
    assert filing.fast_track
    rows = list(CaseParty.objects.filter(court_case=case).order_by("id"))
    assert [row.role for row in rows] == ["plaintiff", "defendant", "defendant"]
    assert rows[0].person == known  # found by the ID-number hash, not registered twice
    assert rows[1].person is not None
    assert rows[1].person.id_number_hash == id_number_hash("150204199001010033")
    assert rows[2].enterprise == Enterprise.objects.get(uscc="91150206MA0N2X3K1L")
    assert Person.objects.filter(id_number_hash=id_number_hash(PLAINTIFF_ID)).count() == 1
    assert verbs(filing) == [
        "submitted",
        "supplement_requested",
        "supplement_provided",
        "forwarded",
        "accepted",
    ]
    assert case.case_number in sms_bodies(filing)[-1]


def test_a_supplement_asked_in_review_restarts_the_clock_from_its_arrival(
    receptionist: User,
) -> None:
    filing = submit()
    services.filing_request_supplement(actor=receptionist, filing=filing, items=["证据目录"])
    filing.refresh_from_db()
    assert filing.decision_due is None  # stopped while waiting
    arrival = datetime(2026, 11, 26, 15, 0, tzinfo=SHANGHAI)  # Thursday
    with time_machine.travel(arrival, tick=False):
        services.filing_supplement_provide(
            filing=filing, materials=[services.MaterialInput("evidence", "证据目录", pdf("e.pdf"))]
        )
    filing.refresh_from_db()
    assert filing.status == FilingStatus.REVIEW
    assert filing.competent_received_at == NOW  # the first receipt is kept
    assert filing.decision_due == date(2026, 12, 3)  # 7 days from Thursday 26 November


def test_a_last_day_on_a_holiday_moves_to_the_next_working_day(org_tree: None) -> None:
    # Received Thursday 24 September 2026: day 7 is Thursday 1 October (National Day), the
    # holiday runs to 7 October; the decision is due on the first working day after it.
    with time_machine.travel(datetime(2026, 9, 24, 10, 0, tzinfo=SHANGHAI), tick=False):
        filing = submit()
    assert filing.decision_due == date(2026, 10, 8)


def test_refusal_needs_reasons_and_only_the_competent_court_decides(
    receptionist: User, qingshan_receptionist: User
) -> None:
    filing = submit()
    with pytest.raises(ValidationFailed):
        services.filing_refuse(actor=receptionist, filing=filing, reason="不符合")
    with pytest.raises(PermissionDenied):
        services.filing_refuse(
            actor=qingshan_receptionist,
            filing=filing,
            reason="原告不是本案适格当事人，起诉不符合条件",
        )
    services.filing_refuse(
        actor=receptionist, filing=filing, reason="原告不是本案适格当事人，起诉不符合法定条件"
    )
    filing.refresh_from_db()
    assert filing.status == FilingStatus.REFUSED and filing.decided_by == receptionist
    assert verbs(filing)[-1] == "refused"
    with pytest.raises(InvalidTransition):
        services.filing_withdraw(filing=filing)


def test_withdrawal_before_a_decision_and_treated_as_withdrawn_after_acceptance(
    receptionist: User,
) -> None:
    first = submit()
    services.filing_withdraw(filing=first, reason="已与被告和解")
    first.refresh_from_db()
    assert first.status == FilingStatus.WITHDRAWN
    second = submit()
    services.filing_accept(
        actor=receptionist, filing=second, data=services.AcceptInput(division=unit("BT-BYEB-MS"))
    )
    services.filing_treat_as_withdrawn(filing=second, reason="逾期未交纳案件受理费")
    second.refresh_from_db()
    assert second.status == FilingStatus.TREATED_WITHDRAWN
    assert verbs(second)[-1] == "treated_as_withdrawn"


def test_case_numbers_run_per_court_year_and_type(receptionist: User) -> None:
    cases = []
    for kind in ("civil_first", "civil_first", "execution"):
        overrides: dict[str, Any] = {"case_kind": kind}
        if kind == "execution":
            overrides["parties"] = [
                services.PartyInput("enforcement_applicant", "person", "张晓明", PLAINTIFF_ID),
                services.PartyInput("enforcement_respondent", "person", "李大力"),
            ]
        filing = submit(**overrides)
        cases.append(
            services.filing_accept(
                actor=receptionist,
                filing=filing,
                data=services.AcceptInput(division=unit("BT-BYEB-MS")),
            )
        )
    first, second, execution = cases
    assert first.type_code == second.type_code == "民初"
    assert second.sequence == first.sequence + 1
    assert execution.case_number == "（2026）内0206执1号"
    assert CourtCase.objects.filter(case_number=second.case_number).count() == 1


def test_accepting_refuses_a_division_of_another_court_and_writes_nothing(
    receptionist: User,
) -> None:
    filing = submit()
    with pytest.raises(ValidationFailed) as caught:
        services.filing_accept(
            actor=receptionist, filing=filing, data=services.AcceptInput(division=unit("BT-QS-MS"))
        )
    assert "division" in caught.value.fields
    filing.refresh_from_db()
    assert filing.status == FilingStatus.REVIEW
    assert not CourtCase.objects.exists() and not Person.objects.exists()


def test_a_lawyer_files_with_licence_firm_and_authorisation(org_tree: None) -> None:
    filing = submit(
        submitter_kind="lawyer",
        submitter_name="王律师",
        lawyer_licence_number="11502201510123456",
        law_firm="内蒙古某律师事务所",
        materials=[
            services.MaterialInput("complaint", "起诉状", pdf()),
            services.MaterialInput("authorisation", "授权委托书", pdf("授权.pdf")),
        ],
    )
    assert filing.lawyer_licence_number == "11502201510123456"
    from youjie.core.timeline import timeline_for

    assert timeline_for(filing).get(verb="submitted").actor_label == "律师"
