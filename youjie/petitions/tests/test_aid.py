"""Aid (国家司法救助 and social assistance, DOMAIN.md §8): the cap of 36 months of the wage base at
its edges, in Decimal; the special approval above it and the court award it never exceeds; one
aid per person per case (constraint and message); the 10- and 2-working-day clocks over a
holiday; the transition map, the approvals and the events; amounts refused when malformed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from youjie.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from youjie.core.timeline import timeline_for
from youjie.courtcases.models import CourtCase
from youjie.orgs.models import OrgUnit
from youjie.petitions import deadlines, selectors, services
from youjie.petitions.choices import AidApprovalKind, AidStatus, EvidenceKind
from youjie.petitions.models import Aid, AidApproval, AidWageBase, OutcomeEvidence, PetitionMatter
from youjie.petitions.transitions import AID_TRANSITIONS

from .conftest import TODAY, assign, make_matter, make_person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

WAGE = Decimal("8123.45")
CAP = Decimal("292444.20")  # 36 × 8 123.45


def court_case(number: int = 123) -> CourtCase:
    court = OrgUnit.objects.get(code="BT-BYEB-FY")
    return CourtCase.objects.create(
        case_number=f"（2025）内0206民初{number}号",
        year=2025,
        court_code="内0206",
        type_code="民初",
        sequence=number,
        court=court,
        cause="机动车交通事故责任纠纷",
    )


@pytest.fixture
def wage_base() -> AidWageBase:
    return AidWageBase.objects.create(
        year=2025, monthly_wage=WAGE, source="内蒙古自治区统计局（测试数据）"
    )


@pytest.fixture
def case() -> CourtCase:
    return court_case()


@pytest.fixture
def matter(city_officer, lead_official, case_handler, case) -> PetitionMatter:
    petitioner = make_person(city_officer, "张三")
    return assign(
        city_officer,
        make_matter(
            city_officer, petitioner=petitioner, court_cases=[case], received_on=date(2026, 9, 1)
        ),
        lead=lead_official,
        handler=case_handler,
    )


def apply(actor, matter, **overrides) -> Aid:
    values = {
        "actor": actor,
        "matter": matter,
        "person": matter.petitioners.first(),
        "kind": "judicial",
        "amount": Decimal("50000.00"),
        "reason": "交通事故致残，肇事者无力赔偿，家庭生活困难。",
        "applied_on": date(2026, 11, 20),
        "court_case": matter.court_cases.first(),
    }
    values.update(overrides)
    return services.aid_apply(**values)


def test_the_transition_map():
    assert AID_TRANSITIONS.can("applied", "approved")
    assert AID_TRANSITIONS.can("applied", "refused")
    assert AID_TRANSITIONS.can("approved", "paid")
    for source, target in [
        ("applied", "paid"),
        ("refused", "approved"),
        ("paid", "approved"),
        ("approved", "refused"),
    ]:
        assert not AID_TRANSITIONS.can(source, target)


def test_the_cap_is_36_months_of_the_previous_years_wage_to_the_cent(
    case_handler, matter, wage_base
):
    assert selectors.aid_cap_amount(Decimal("8123.45")) == CAP
    assert selectors.aid_cap_amount(Decimal("0.005")) == Decimal("0.18")
    aid = apply(case_handler, matter)
    assert (aid.wage_year, aid.monthly_wage, aid.cap_amount) == (2025, WAGE, CAP)
    # The 2026 figure is not used for a 2026 application; the latest published before it is.
    AidWageBase.objects.create(year=2026, monthly_wage=Decimal("9000.00"), source="测试")
    in_2026 = selectors.aid_wage_base_for(on=date(2026, 11, 20))
    in_2028 = selectors.aid_wage_base_for(on=date(2028, 1, 2))
    assert in_2026 is not None and in_2026.year == 2025
    assert in_2028 is not None and in_2028.year == 2026
    assert selectors.aid_wage_base_for(on=date(2025, 6, 1)) is None


def test_judicial_aid_without_a_wage_base_or_a_case_is_refused(case_handler, matter):
    with pytest.raises(ValidationFailed) as refused:
        apply(case_handler, matter, court_case=None)
    assert (
        "国家司法救助须关联本事项的案件（每人每案救助一次）" in refused.value.fields["court_case"]
    )
    assert "尚未录入2025年度（或此前）职工月平均工资" in refused.value.fields["amount"][0]
    other = court_case(456)
    with pytest.raises(ValidationFailed) as refused:
        apply(case_handler, matter, court_case=other)
    assert refused.value.fields["court_case"] == ["所选案件不是本事项关联的案件"]
    assert not Aid.objects.exists()


def test_the_cap_band_edges(city_officer, county_officer, case_handler, matter, wage_base):
    # At the cap: approved without a special approval.
    at_cap = apply(case_handler, matter, amount=CAP)
    approved = services.aid_approve(
        actor=county_officer, aid=at_cap, approved_amount=CAP, opinion="符合救助条件"
    )
    assert approved.status == AidStatus.APPROVED and approved.approved_amount == CAP

    # One cent above: the court's award must be given, and it bounds everything.
    second = make_person(city_officer, "李四")
    matter.petitioner_links.create(person=second)
    above = CAP + Decimal("0.01")
    with pytest.raises(ValidationFailed) as refused:
        apply(case_handler, matter, person=second, amount=above)
    assert refused.value.fields["awardable_amount"] == [
        "申请金额超过司法救助上限（292,444.20元）的，须填写应判赔或判决未执行金额"
    ]
    award = Decimal("300000.00")
    with pytest.raises(ValidationFailed) as refused:
        apply(
            case_handler,
            matter,
            person=second,
            amount=award + Decimal("0.01"),
            awardable_amount=award,
        )
    assert refused.value.fields["amount"] == [
        "申请金额不能超过应判赔或判决未执行金额（300,000.00元）"
    ]
    aid = apply(case_handler, matter, person=second, amount=award, awardable_amount=award)

    # Above the cap without a special approval: refused, naming the cap and the rule.
    with pytest.raises(ValidationFailed) as refused:
        services.aid_approve(actor=county_officer, aid=aid, approved_amount=above, opinion="同意")
    assert refused.value.code == "above_cap"
    assert "超过司法救助上限292,444.20元" in refused.value.message
    # The matter's own county office may not grant the special approval; the city office may,
    # up to the court's award and never beyond.
    with pytest.raises(PermissionDenied):
        services.aid_cap_exceed_approve(actor=county_officer, aid=aid, amount=above, opinion="特批")
    with pytest.raises(ValidationFailed) as refused:
        services.aid_cap_exceed_approve(
            actor=city_officer, aid=aid, amount=award + Decimal("0.01"), opinion="特批"
        )
    assert refused.value.code == "above_award"
    with pytest.raises(ValidationFailed) as refused:
        services.aid_cap_exceed_approve(actor=city_officer, aid=aid, amount=CAP, opinion="特批")
    assert refused.value.code == "within_cap"
    special = services.aid_cap_exceed_approve(
        actor=city_officer, aid=aid, amount=Decimal("295000.00"), opinion="伤情特别严重，特批"
    )
    assert special.kind == AidApprovalKind.CAP_EXCEEDED and special.approver == city_officer
    # The special approval covers up to its amount, not a cent more.
    with pytest.raises(ValidationFailed) as refused:
        services.aid_approve(
            actor=county_officer,
            aid=aid,
            approved_amount=Decimal("295000.01"),
            opinion="同意",
        )
    assert refused.value.code == "above_cap"
    aid = services.aid_approve(
        actor=county_officer, aid=aid, approved_amount=Decimal("295000.00"), opinion="同意"
    )
    assert aid.approved_amount == Decimal("295000.00")
    assert timeline_for(aid).get(verb="approved").data["special_approval"] == special.pk
    assert [a.kind for a in aid.approvals.order_by("id")] == ["cap_exceeded", "approved"]


def test_one_judicial_aid_per_person_per_case(
    city_officer, case_handler, lead_official, matter, case, wage_base
):
    first = apply(case_handler, matter)
    person = first.person
    # The same person and case through another matter: refused with the rule's message.
    other = assign(
        city_officer,
        make_matter(
            city_officer, petitioner=person, court_cases=[case], received_on=date(2026, 9, 1)
        ),
        lead=lead_official,
        handler=case_handler,
    )
    with pytest.raises(ValidationFailed) as refused:
        apply(case_handler, other)
    assert refused.value.code == "aid_duplicate"
    assert refused.value.message == (
        "张三已就（2025）内0206民初123号申请或获得国家司法救助，同一案件每人只能救助一次"
    )
    # The database holds the rule too.
    with pytest.raises(IntegrityError), transaction.atomic():
        Aid.objects.create(
            matter=other,
            person=person,
            kind="judicial",
            court_case=case,
            amount=Decimal("1.00"),
            reason="x",
            applied_on=TODAY,
            applied_by=case_handler,
        )
    # Other kinds of aid are not limited, and a refused application does not count.
    apply(case_handler, other, kind="subsistence", court_case=None)
    services.aid_refuse(actor=city_officer, aid=first, opinion="损失已通过诉讼获得赔偿")
    again = apply(case_handler, other)
    assert again.status == AidStatus.APPLIED
    assert Aid.objects.filter(kind="judicial").count() == 2


def test_the_clocks_count_working_days_over_the_national_day_holiday(
    city_officer, case_handler, matter, wage_base
):
    # Applied Tuesday 2026-09-29; 10月1日–7日 off, Saturday 10月10日 a make-up workday.
    aid = apply(case_handler, matter, applied_on=date(2026, 9, 29))
    assert aid.decision_due_on == date(2026, 10, 19)
    clock = deadlines.aid_decision_deadline(date(2026, 9, 29))
    assert clock.label == (
        "审批期限 10个工作日（中政委〔2014〕3号《关于建立完善国家司法救助制度的意见（试行）》"
        "救助程序·审批）"
    )
    assert aid.decision_overdue(date(2026, 10, 20)) and not aid.decision_overdue(date(2026, 10, 19))
    aid = services.aid_approve(
        actor=city_officer,
        aid=aid,
        approved_amount=Decimal("40000.00"),
        opinion="同意",
        decided_on=date(2026, 9, 30),
    )
    aid = services.aid_funds_arrive(actor=city_officer, aid=aid, funds_arrived_on=date(2026, 9, 30))
    assert aid.payment_due_on == date(2026, 10, 9)  # 10月8日, 9日
    assert aid.payment_overdue(date(2026, 10, 10))
    assert list(selectors.aid_list(user=city_officer, overdue=True)) == [aid]
    aid = services.aid_pay(actor=city_officer, aid=aid, paid_on=date(2026, 10, 12))
    assert aid.status == AidStatus.PAID
    assert timeline_for(aid).get(verb="paid").data["late"] is True
    assert not selectors.aid_list(user=city_officer, overdue=True).exists()


def test_the_life_of_an_aid_writes_its_events_approvals_and_the_matters_evidence(
    city_officer, case_handler, matter, wage_base
):
    aid = apply(case_handler, matter, kind="civil_affairs", court_case=None)
    assert (aid.cap_amount, aid.decision_due_on) == (None, None)  # §8's rules are judicial aid's
    with pytest.raises(PermissionDenied):
        services.aid_approve(
            actor=case_handler, aid=aid, approved_amount=Decimal("1.00"), opinion="同意"
        )
    with pytest.raises(InvalidTransition):
        services.aid_pay(actor=city_officer, aid=aid)
    with pytest.raises(ValidationFailed) as refused:
        services.aid_approve(
            actor=city_officer, aid=aid, approved_amount=Decimal("50000.01"), opinion="同意"
        )
    assert refused.value.code == "above_application"
    aid = services.aid_approve(
        actor=city_officer, aid=aid, approved_amount=Decimal("30000.00"), opinion="同意救助"
    )
    aid = services.aid_pay(actor=city_officer, aid=aid, paid_on=TODAY)
    assert [(e.verb, e.to_state) for e in timeline_for(aid)] == [
        ("applied", "applied"),
        ("approved", "approved"),
        ("paid", "paid"),
    ]
    matter_verbs = [e.verb for e in timeline_for(matter) if e.verb.startswith("aid_")]
    assert matter_verbs == ["aid_applied", "aid_approved", "aid_paid"]
    (evidence,) = OutcomeEvidence.objects.filter(matter=matter, kind=EvidenceKind.AID_PAID)
    assert evidence.dated_on == TODAY and "30,000.00元" in evidence.description
    assert AidApproval.objects.get(aid=aid).approver == city_officer
    with pytest.raises(InvalidTransition):
        services.aid_refuse(actor=city_officer, aid=aid, opinion="撤销")


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (Decimal("1.005"), "申请金额应为金额，最多保留两位小数"),
        (Decimal("NaN"), "申请金额应为金额，最多保留两位小数"),
        (Decimal("Infinity"), "申请金额应为金额，最多保留两位小数"),
        (Decimal("0.00"), "申请金额应大于零"),
        (Decimal("-100"), "申请金额应大于零"),
        (Decimal("1E+10"), "申请金额过大"),
        (None, "请填写申请金额"),
    ],
)
def test_malformed_amounts_are_refused(case_handler, matter, wage_base, amount, message):
    with pytest.raises(ValidationFailed) as refused:
        apply(case_handler, matter, amount=amount)
    assert refused.value.fields["amount"] == [message]
    assert not Aid.objects.exists()


def test_aid_is_for_a_petitioner_of_the_matter_and_the_scope_holds(
    city_officer, byeb_county_officer, case_handler, matter, wage_base
):
    stranger = make_person(city_officer, "赵五")
    with pytest.raises(ValidationFailed) as refused:
        apply(case_handler, matter, person=stranger)
    assert refused.value.fields["person"] == ["赵五不是本事项的信访人"]
    aid = apply(case_handler, matter)
    assert list(selectors.aid_list(user=city_officer)) == [aid]
    assert not selectors.aid_list(user=byeb_county_officer).exists()
    with pytest.raises(PermissionDenied):
        services.aid_approve(
            actor=byeb_county_officer, aid=aid, approved_amount=Decimal("1.00"), opinion="同意"
        )
