"""Aid for petitioners in hardship: 国家司法救助 (DOMAIN.md §8) and social assistance (社会保险,
民政救助, 低保, 临时救助; 信访工作条例 Art. 37).

The life of an aid (``transitions.AID_TRANSITIONS``): applied → approved → paid, or refused; the
status changes only in ``aid_status_set``, which writes the aid's event; every step also writes
its event on the matter's timeline and moves the matter's progress. Each approval step is kept
as an ``AidApproval`` (who, when, opinion, amount).

国家司法救助 rules (DOMAIN.md §8):

- the cap is 36 × the previous year's average monthly wage of the province (the latest published
  figure when that year's is not out yet, ``selectors.aid_wage_base_for``), kept on the aid as it
  was on application;
- an amount above the cap is approved only after a recorded special approval (特批) by an office
  one level above the matter's region, and never above the amount the court should award (or the
  adjudicated but unexecuted amount), which must then be given;
- one aid per person per case (a database constraint; a refused application does not count);
- the decision within 10 working days of the application, the applicant told within 2 working
  days of the funds arriving (``deadlines.aid_decision_deadline`` / ``aid_payment_deadline``).

Amounts are ``Decimal`` with at most two places (元, 分), never floats.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction

from youjie.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from youjie.core.timeline import event_record
from youjie.courtcases.models import CourtCase
from youjie.orgs.models import User
from youjie.people.models import Person
from youjie.petitions import deadlines
from youjie.petitions.choices import (
    AidApprovalKind,
    AidKind,
    AidStatus,
    EvidenceKind,
    MatterStatus,
)
from youjie.petitions.models import (
    MONEY_DIGITS,
    MONEY_PLACES,
    TEXT_MAX,
    Aid,
    AidApproval,
    OutcomeEvidence,
    PetitionMatter,
)
from youjie.petitions.permissions import (
    can_apply_aid,
    can_approve_aid_over_cap,
    can_decide_aid,
)
from youjie.petitions.selectors import CENT, aid_cap_amount, aid_wage_base_for
from youjie.petitions.services.common import (
    Errors,
    add_error,
    check_not_future,
    check_order,
    clean_text,
    matter_progress_touch,
    notify_user,
    raise_if_errors,
    today,
)
from youjie.petitions.transitions import AID_TRANSITIONS

MAX_AIDS_PER_MATTER = 100
MONEY_LIMIT = Decimal(10) ** (MONEY_DIGITS - MONEY_PLACES)  # 10 000 000 000 元: the column's size
DUPLICATE_MESSAGE = "{person}已就{case}申请或获得国家司法救助，同一案件每人只能救助一次"


def aid_status_set(
    *,
    aid: Aid,
    to_status: str,
    actor: User,
    verb: str,
    reason: str = "",
    data: dict[str, Any] | None = None,
    update_fields: list[str] | None = None,
) -> None:
    """The only place that changes an aid's ``status`` (AID_TRANSITIONS); the event goes on the
    aid's own timeline."""
    source = aid.status
    AID_TRANSITIONS.check(source, to_status)
    aid.status = to_status
    aid.save(update_fields=sorted({"status", "updated_at", *(update_fields or [])}))
    event_record(
        subject=aid,
        verb=verb,
        actor=actor,
        from_state=source,
        to_state=to_status,
        reason=reason,
        data=data,
    )


def clean_amount(
    errors: Errors, field: str, label: str, value: Decimal | None, *, required: bool = True
) -> Decimal | None:
    """``value`` as a Decimal with two places, or an error: missing, not a finite number, not
    above zero, more than two decimal places, or beyond the column."""
    if value is None:
        if required:
            add_error(errors, field, f"请填写{label}")
        return None
    try:
        amount = Decimal(value)
        exact = amount.is_finite() and amount == amount.quantize(CENT)
    except (InvalidOperation, TypeError, ValueError):
        exact = False
        amount = Decimal(0)
    if not exact:
        add_error(errors, field, f"{label}应为金额，最多保留两位小数")
        return None
    if amount <= 0:
        add_error(errors, field, f"{label}应大于零")
        return None
    if amount >= MONEY_LIMIT:
        add_error(errors, field, f"{label}过大")
        return None
    return amount.quantize(CENT)


def _yuan(amount: Decimal) -> str:
    return f"{amount:,.2f}元"


def _duplicate(person: Person, court_case: CourtCase) -> ValidationFailed:
    message = DUPLICATE_MESSAGE.format(person=person.name, case=court_case.case_number)
    return ValidationFailed(
        message, code="aid_duplicate", fields={"person": [message]}, extra={"rule": "one_aid"}
    )


def aid_apply(
    *,
    actor: User,
    matter: PetitionMatter,
    person: Person,
    kind: str,
    amount: Decimal | None,
    reason: str,
    applied_on: date | None = None,
    court_case: CourtCase | None = None,
    awardable_amount: Decimal | None = None,
) -> Aid:
    """Apply for aid for ``person``, a petitioner of ``matter``.

    国家司法救助 needs one of the matter's court cases; its cap (36 months of the wage base) and
    decision clock are computed and kept. An amount above the cap may be applied for only with
    the amount the court should award (or the unexecuted amount) given, which it may never
    exceed; it is approved only after a special approval (``aid_cap_exceed_approve``)."""
    if not can_apply_aid(actor, matter):
        raise PermissionDenied("只有包案领导、承办人、专班成员或属地专项办可以申请救助")
    errors: Errors = {}
    applied_on = applied_on or today()
    if kind not in AidKind.values:
        add_error(errors, "kind", "请选择救助类型")
    if not matter.petitioner_links.filter(person_id=person.pk).exists():
        add_error(errors, "person", f"{person.name}不是本事项的信访人")
    amount = clean_amount(errors, "amount", "申请金额", amount)
    awardable = clean_amount(
        errors, "awardable_amount", "应判赔或判决未执行金额", awardable_amount, required=False
    )
    reason = clean_text(
        errors, "reason", "申请理由及困难情况", reason, max_length=TEXT_MAX, required=True
    )
    check_not_future(errors, "applied_on", "申请日期", applied_on)
    check_order(errors, "applied_on", "申请日期", applied_on, matter.received_on, "收到日期")
    if court_case is not None and not matter.court_cases.filter(pk=court_case.pk).exists():
        add_error(errors, "court_case", "所选案件不是本事项关联的案件")
    if amount is not None and awardable is not None and amount > awardable:
        add_error(
            errors,
            "amount",
            f"申请金额不能超过应判赔或判决未执行金额（{_yuan(awardable)}）",
        )
    cap: Decimal | None = None
    wage_base = None
    if kind == AidKind.JUDICIAL:
        if court_case is None:
            add_error(errors, "court_case", "国家司法救助须关联本事项的案件（每人每案救助一次）")
        wage_base = aid_wage_base_for(on=applied_on)
        if wage_base is None:
            add_error(
                errors,
                "amount",
                f"尚未录入{applied_on.year - 1}年度（或此前）职工月平均工资，无法计算司法救助上限，"
                "请系统管理员在“司法救助工资基数”中录入",
            )
        else:
            cap = aid_cap_amount(wage_base.monthly_wage)
            if amount is not None and amount > cap and awardable is None:
                add_error(
                    errors,
                    "awardable_amount",
                    f"申请金额超过司法救助上限（{_yuan(cap)}）的，须填写应判赔或判决未执行金额",
                )
    raise_if_errors(errors, "救助申请有误")
    assert amount is not None

    decision = deadlines.aid_decision_deadline(applied_on) if kind == AidKind.JUDICIAL else None
    try:
        with transaction.atomic():
            locked = PetitionMatter.objects.select_for_update(of=("self",)).get(pk=matter.pk)
            if locked.status == MatterStatus.TERMINATED:
                raise InvalidTransition(f"{locked.number}已依法终结，不能再申请救助")
            if Aid.objects.filter(matter=locked).count() >= MAX_AIDS_PER_MATTER:
                raise ValidationFailed(
                    f"每个事项最多登记{MAX_AIDS_PER_MATTER}次救助", code="too_many_aids"
                )
            if (
                kind == AidKind.JUDICIAL
                and court_case is not None
                and Aid.objects.filter(person=person, court_case=court_case, kind=kind)
                .exclude(status=AidStatus.REFUSED)
                .exists()
            ):
                raise _duplicate(person, court_case)
            aid = Aid.objects.create(
                matter=locked,
                person=person,
                kind=kind,
                court_case=court_case,
                amount=amount,
                awardable_amount=awardable,
                reason=reason,
                applied_on=applied_on,
                wage_year=wage_base.year if wage_base is not None else None,
                monthly_wage=wage_base.monthly_wage if wage_base is not None else None,
                cap_amount=cap,
                decision_due_on=decision.due if decision is not None else None,
                calendar_warning=((decision.warning or "") if decision else "")[:200],
                applied_by=actor,
            )
            event_record(
                subject=aid,
                verb="applied",
                actor=actor,
                to_state=AidStatus.APPLIED,
                data={"amount": str(amount), "cap": str(cap) if cap is not None else None},
            )
            event_record(
                subject=locked,
                verb="aid_applied",
                actor=actor,
                data={
                    "aid": aid.pk,
                    "kind": kind,
                    "person": person.pk,
                    "amount": str(amount),
                    "cap": str(cap) if cap is not None else None,
                    "decision_due_on": decision.due.isoformat() if decision else None,
                },
            )
            matter_progress_touch(matter=locked)
    except IntegrityError:
        # A concurrent application for the same person and case won the race: the constraint
        # (uniq_pet_judicial_aid_person_case) holds, and the message says which rule.
        if kind == AidKind.JUDICIAL and court_case is not None:
            raise _duplicate(person, court_case) from None
        raise
    return aid


def _lock_aid(aid: Aid) -> Aid:
    return (
        Aid.objects.select_for_update(of=("self",))
        .select_related("matter", "person", "court_case")
        .get(pk=aid.pk)
    )


def _require_status(aid: Aid, status: str, action: str) -> None:
    if aid.status != status:
        raise InvalidTransition(
            f"该救助当前状态为“{aid.get_status_display()}”，不能{action}",
            extra={"from": aid.status},
        )


def _check_decision_date(errors: Errors, aid: Aid, decided_on: date) -> None:
    check_not_future(errors, "decided_on", "审批日期", decided_on)
    check_order(errors, "decided_on", "审批日期", decided_on, aid.applied_on, "申请日期")


def _special_approval_covering(aid: Aid, amount: Decimal) -> AidApproval | None:
    return (
        AidApproval.objects.filter(aid=aid, kind=AidApprovalKind.CAP_EXCEEDED, amount__gte=amount)
        .order_by("-id")
        .first()
    )


def aid_cap_exceed_approve(
    *,
    actor: User,
    aid: Aid,
    amount: Decimal | None,
    opinion: str,
    decided_on: date | None = None,
) -> AidApproval:
    """The special approval (特批) of a 国家司法救助 amount above the cap, for especially serious
    loss or hardship (DOMAIN.md §8): by an office one level above the matter's region, up to
    ``amount``, which never exceeds the amount the court should award."""
    if not can_approve_aid_over_cap(actor, aid):
        raise PermissionDenied("超出上限的司法救助须经上一级专项办特批")
    errors: Errors = {}
    decided_on = decided_on or today()
    allowed = clean_amount(errors, "amount", "特批金额", amount)
    opinion = clean_text(errors, "opinion", "审批意见", opinion, max_length=TEXT_MAX, required=True)
    _check_decision_date(errors, aid, decided_on)
    raise_if_errors(errors, "特批有误")
    assert allowed is not None
    with transaction.atomic():
        locked = _lock_aid(aid)
        _require_status(locked, AidStatus.APPLIED, "特批")
        if locked.kind != AidKind.JUDICIAL or locked.cap_amount is None:
            raise ValidationFailed("只有国家司法救助设有上限，无需特批", code="no_cap")
        if allowed <= locked.cap_amount:
            raise ValidationFailed(
                f"特批金额未超过司法救助上限（{_yuan(locked.cap_amount)}），无需特批",
                code="within_cap",
                fields={"amount": ["未超过上限"]},
            )
        if locked.awardable_amount is None or allowed > locked.awardable_amount:
            limit = (
                f"（{_yuan(locked.awardable_amount)}）"
                if locked.awardable_amount is not None
                else "（申请时未填写）"
            )
            raise ValidationFailed(
                f"特批金额不能超过应判赔或判决未执行金额{limit}",
                code="above_award",
                fields={"amount": ["超过应判赔或判决未执行金额"]},
            )
        approval = AidApproval.objects.create(
            aid=locked,
            kind=AidApprovalKind.CAP_EXCEEDED,
            approver=actor,
            decided_on=decided_on,
            opinion=opinion,
            amount=allowed,
        )
        data = {"approval": approval.pk, "amount": str(allowed), "cap": str(locked.cap_amount)}
        event_record(subject=locked, verb="cap_exceed_approved", actor=actor, data=data)
        event_record(
            subject=locked.matter,
            verb="aid_cap_exceed_approved",
            actor=actor,
            data={"aid": locked.pk, **data},
        )
        matter_progress_touch(matter=locked.matter)
    return approval


def aid_approve(
    *,
    actor: User,
    aid: Aid,
    approved_amount: Decimal | None,
    opinion: str,
    decided_on: date | None = None,
) -> Aid:
    """Approve the aid for ``approved_amount`` (at most what was applied for). For 国家司法救助
    an amount above the cap needs a special approval covering it, and no amount exceeds what
    the court should award."""
    if not can_decide_aid(actor, aid):
        raise PermissionDenied("只有属地专项办可以审批救助")
    errors: Errors = {}
    decided_on = decided_on or today()
    approved = clean_amount(errors, "approved_amount", "核定金额", approved_amount)
    opinion = clean_text(errors, "opinion", "审批意见", opinion, max_length=TEXT_MAX, required=True)
    _check_decision_date(errors, aid, decided_on)
    raise_if_errors(errors, "审批有误")
    assert approved is not None
    with transaction.atomic():
        locked = _lock_aid(aid)
        _require_status(locked, AidStatus.APPLIED, "批准")
        if approved > locked.amount:
            raise ValidationFailed(
                f"核定金额不能超过申请金额（{_yuan(locked.amount)}）",
                code="above_application",
                fields={"approved_amount": ["超过申请金额"]},
            )
        if locked.awardable_amount is not None and approved > locked.awardable_amount:
            raise ValidationFailed(
                f"核定金额不能超过应判赔或判决未执行金额（{_yuan(locked.awardable_amount)}）",
                code="above_award",
                fields={"approved_amount": ["超过应判赔或判决未执行金额"]},
            )
        special = None
        if locked.cap_amount is not None and approved > locked.cap_amount:
            special = _special_approval_covering(locked, approved)
            if special is None:
                raise ValidationFailed(
                    f"核定金额{_yuan(approved)}超过司法救助上限{_yuan(locked.cap_amount)}"
                    f"（{locked.wage_year}年度职工月平均工资{_yuan(locked.monthly_wage or CENT)}"
                    "×36个月），须先经上一级专项办特批",
                    code="above_cap",
                    fields={"approved_amount": ["超过司法救助上限，须特批"]},
                    extra={"cap": str(locked.cap_amount)},
                )
        approval = AidApproval.objects.create(
            aid=locked,
            kind=AidApprovalKind.APPROVED,
            approver=actor,
            decided_on=decided_on,
            opinion=opinion,
            amount=approved,
        )
        locked.approved_amount = approved
        locked.decided_on = decided_on
        late = locked.decision_due_on is not None and decided_on > locked.decision_due_on
        data = {
            "approval": approval.pk,
            "approved_amount": str(approved),
            "special_approval": special.pk if special is not None else None,
            "late": late,
        }
        aid_status_set(
            aid=locked,
            to_status=AidStatus.APPROVED,
            actor=actor,
            verb="approved",
            reason=opinion,
            data=data,
            update_fields=["approved_amount", "decided_on"],
        )
        event_record(
            subject=locked.matter, verb="aid_approved", actor=actor, data={"aid": locked.pk, **data}
        )
        matter_progress_touch(matter=locked.matter)
        notify_user(
            user=locked.applied_by,
            matter=locked.matter,
            subject=f"救助已批准：{locked.matter.number}",
            body=(
                f"信访事项{locked.matter.number}的{locked.get_kind_display()}申请已批准，"
                f"核定金额{_yuan(approved)}。请登录有解系统查看。"
            ),
            key=f"aid_approved:{locked.pk}",
        )
    return locked


def aid_refuse(*, actor: User, aid: Aid, opinion: str, decided_on: date | None = None) -> Aid:
    """Refuse the aid (不予救助), with the opinion saying why."""
    if not can_decide_aid(actor, aid):
        raise PermissionDenied("只有属地专项办可以审批救助")
    errors: Errors = {}
    decided_on = decided_on or today()
    opinion = clean_text(
        errors, "opinion", "不予救助理由", opinion, max_length=TEXT_MAX, required=True
    )
    _check_decision_date(errors, aid, decided_on)
    raise_if_errors(errors, "审批有误")
    with transaction.atomic():
        locked = _lock_aid(aid)
        _require_status(locked, AidStatus.APPLIED, "不予救助")
        approval = AidApproval.objects.create(
            aid=locked,
            kind=AidApprovalKind.REFUSED,
            approver=actor,
            decided_on=decided_on,
            opinion=opinion,
        )
        locked.decided_on = decided_on
        data = {"approval": approval.pk, "decided_on": decided_on.isoformat()}
        aid_status_set(
            aid=locked,
            to_status=AidStatus.REFUSED,
            actor=actor,
            verb="refused",
            reason=opinion,
            data=data,
            update_fields=["decided_on"],
        )
        event_record(
            subject=locked.matter,
            verb="aid_refused",
            actor=actor,
            reason=opinion,
            data={"aid": locked.pk, **data},
        )
        matter_progress_touch(matter=locked.matter)
    return locked


def aid_funds_arrive(*, actor: User, aid: Aid, funds_arrived_on: date | None = None) -> Aid:
    """Record that the approved funds have arrived: for 国家司法救助 the applicant is to be told
    (paid) within 2 working days from then."""
    if not can_decide_aid(actor, aid):
        raise PermissionDenied("只有属地专项办可以登记救助资金到位")
    errors: Errors = {}
    funds_arrived_on = funds_arrived_on or today()
    check_not_future(errors, "funds_arrived_on", "资金到位日期", funds_arrived_on)
    if aid.decided_on is not None:
        check_order(
            errors, "funds_arrived_on", "资金到位日期", funds_arrived_on, aid.decided_on, "审批日期"
        )
    raise_if_errors(errors, "资金到位信息有误")
    with transaction.atomic():
        locked = _lock_aid(aid)
        _require_status(locked, AidStatus.APPROVED, "登记资金到位")
        if locked.funds_arrived_on is not None:
            raise InvalidTransition("该救助已登记资金到位")
        payment = deadlines.aid_payment_deadline(funds_arrived_on) if locked.is_judicial else None
        locked.funds_arrived_on = funds_arrived_on
        locked.payment_due_on = payment.due if payment is not None else None
        if payment is not None and payment.warning:
            locked.calendar_warning = payment.warning[:200]
        locked.save(
            update_fields=["funds_arrived_on", "payment_due_on", "calendar_warning", "updated_at"]
        )
        data = {
            "funds_arrived_on": funds_arrived_on.isoformat(),
            "payment_due_on": payment.due.isoformat() if payment is not None else None,
        }
        event_record(subject=locked, verb="funds_arrived", actor=actor, data=data)
        event_record(
            subject=locked.matter,
            verb="aid_funds_arrived",
            actor=actor,
            data={"aid": locked.pk, **data},
        )
        matter_progress_touch(matter=locked.matter)
    return locked


def aid_pay(
    *,
    actor: User,
    aid: Aid,
    paid_on: date | None = None,
    funds_arrived_on: date | None = None,
) -> Aid:
    """Record the payment (发放). The funds' arrival is recorded with it when it was not before
    (then on ``funds_arrived_on``, or the day of payment). The payment is filed as the matter's
    evidence 救助金发放凭证 for the current resolution round (帮扶救助到位 needs it)."""
    if not can_decide_aid(actor, aid):
        raise PermissionDenied("只有属地专项办可以登记救助金发放")
    errors: Errors = {}
    paid_on = paid_on or today()
    arrived = aid.funds_arrived_on or funds_arrived_on or paid_on
    check_not_future(errors, "paid_on", "发放日期", paid_on)
    check_not_future(errors, "funds_arrived_on", "资金到位日期", arrived)
    if aid.decided_on is not None:
        check_order(errors, "funds_arrived_on", "资金到位日期", arrived, aid.decided_on, "审批日期")
    check_order(errors, "paid_on", "发放日期", paid_on, arrived, "资金到位日期")
    raise_if_errors(errors, "发放信息有误")
    with transaction.atomic():
        locked = _lock_aid(aid)
        _require_status(locked, AidStatus.APPROVED, "登记发放")
        if locked.funds_arrived_on is None:
            payment = deadlines.aid_payment_deadline(arrived) if locked.is_judicial else None
            locked.funds_arrived_on = arrived
            locked.payment_due_on = payment.due if payment is not None else None
        assert locked.approved_amount is not None
        locked.paid_on = paid_on
        late = locked.payment_due_on is not None and paid_on > locked.payment_due_on
        data = {
            "paid_on": paid_on.isoformat(),
            "amount": str(locked.approved_amount),
            "funds_arrived_on": locked.funds_arrived_on.isoformat(),
            "late": late,
        }
        aid_status_set(
            aid=locked,
            to_status=AidStatus.PAID,
            actor=actor,
            verb="paid",
            data=data,
            update_fields=["paid_on", "funds_arrived_on", "payment_due_on"],
        )
        matter = PetitionMatter.objects.select_for_update(of=("self",)).get(pk=locked.matter_id)
        evidence = None
        if matter.status != MatterStatus.TERMINATED:
            evidence = OutcomeEvidence.objects.create(
                matter=matter,
                resolution_round=matter.resolution_round,
                kind=EvidenceKind.AID_PAID,
                description=(
                    f"{locked.get_kind_display()} {_yuan(locked.approved_amount)}"
                    f"已于{paid_on:%Y-%m-%d}发放（救助记录{locked.pk}）"
                )[:500],
                dated_on=paid_on,
                recorded_by=actor,
            )
        event_record(
            subject=matter,
            verb="aid_paid",
            actor=actor,
            data={"aid": locked.pk, "evidence": evidence.pk if evidence else None, **data},
        )
        matter_progress_touch(matter=matter)
    return locked


__all__ = [
    "aid_apply",
    "aid_approve",
    "aid_cap_exceed_approve",
    "aid_funds_arrive",
    "aid_pay",
    "aid_refuse",
    "aid_status_set",
    "clean_amount",
]
