"""The competent court's decisions, and how a filing ends otherwise.

- ``filing_accept`` (登记立案): a court case numbered in the current format, （2026）内0206民初123号
  (法〔2015〕137号: year, court code, type word 民初/行初/执, sequence per court, year and type),
  filed today, in the division (and with the judge) the reviewer chose, 繁简分流/速裁 marked, its
  parties linked to persons and enterprises (found by ID-number hash or credit code, else
  registered through the people app). The submitter gets the 受理通知 by SMS. With 受理后开具
  缴费通知书 (``AcceptInput.issue_fee_notice``), the acceptance fee's notice is issued for the new
  case in the same transaction through the fees service (filings stands on fees): a refused
  notice undoes the acceptance.
- ``filing_refuse``: written reasons are required (登记立案规定 Art. 9); the 不予受理裁定书 is
  rendered from the filing (``youjie.filings.rulings``).
- ``filing_withdraw``: the submitter withdraws before a decision (recorded by the court's staff
  from the written withdrawal, or by the submitter).
- ``filing_treat_as_withdrawn``: an accepted filing whose acceptance fee went unpaid without
  relief (登记立案规定 Art. 11), called by the fee sweep.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from youjie.core.crypto import decrypt_text
from youjie.core.errors import (
    ApplicationError,
    InvalidTransition,
    PermissionDenied,
    ValidationFailed,
)
from youjie.courtcases.choices import CaseStage, PartyRole
from youjie.courtcases.models import CaseParty, CourtCase
from youjie.fees import services as fees
from youjie.fees.choices import FeeKind
from youjie.fees.choices import Procedure as FeeProcedure
from youjie.fees.models import FeeNotice
from youjie.filings.choices import (
    FilingCaseKind,
    FilingProcedure,
    FilingStatus,
    PartyKind,
    SubmitterKind,
)
from youjie.filings.models import Filing, FilingParty
from youjie.filings.permissions import can_decide, can_record_withdrawal
from youjie.filings.services.common import filing_status_set
from youjie.filings.services.helpers import (
    Errors,
    add_error,
    clean_text,
    local_date,
    raise_if_errors,
    sms_to_submitter,
    today,
)
from youjie.filings.services.submission import ACTOR_LABELS, CAUSE_MAX
from youjie.filings.transitions import OPEN_STATUSES
from youjie.orgs.choices import OrgKind, Role
from youjie.orgs.models import OrgUnit, User
from youjie.people.identity import id_number_hash
from youjie.people.models import Enterprise, Person
from youjie.people.services import enterprise_create, person_create

# 《人民法院案件类型及其代字标准》: the type word of the case a filing becomes.
TYPE_CODES = {
    FilingCaseKind.CIVIL_FIRST: "民初",
    FilingCaseKind.ADMINISTRATIVE_FIRST: "行初",
    FilingCaseKind.EXECUTION: "执",
}
REASON_MIN = 10
REASON_MAX = 4000


def _locked(filing: Filing) -> Filing:
    return Filing.objects.select_for_update(of=("self",)).get(pk=filing.pk)


def _expect(filing: Filing, statuses: frozenset[str] | tuple[str, ...], what: str) -> None:
    if filing.status not in statuses:
        raise InvalidTransition(
            f"该立案申请当前为“{filing.get_status_display()}”，不能{what}",
            extra={"status": filing.status},
        )


# --- accepting -------------------------------------------------------------------------------


@dataclass(frozen=True)
class AcceptInput:
    division: OrgUnit | None
    judge: User | None = None
    procedure: str = ""
    fast_track: bool = False
    cause: str = ""
    # 受理后开具缴费通知书: the acceptance fee's notice for the new case, in the same transaction
    # (youjie.fees; ``_fee_notice_issue``).
    issue_fee_notice: bool = False


def _check_accept(filing: Filing, data: AcceptInput) -> tuple[OrgUnit, str, str]:
    errors: Errors = {}
    division = data.division
    if (
        division is None
        or division.kind != OrgKind.DIVISION
        or division.parent_id != (filing.competent_court_id)
    ):
        add_error(errors, "division", "请选择本院的承办庭室")
    if data.judge is not None:
        judge_court_ok = (
            data.judge.is_active
            and data.judge.has_role(Role.JUDGE)
            and division is not None
            and data.judge.org_unit_id == division.pk
        )
        if not judge_court_ok:
            add_error(errors, "judge", "承办法官应为所选庭室的法官")
    procedure = data.procedure or filing.procedure
    if procedure not in FilingProcedure.values:
        add_error(errors, "procedure", "请选择适用程序")
    cause = clean_text(
        errors,
        "cause",
        "案由",
        data.cause or filing.cause,
        max_length=CAUSE_MAX,
        required=True,
        one_line=True,
    )
    if not filing.competent_court.court_code:
        add_error(errors, "division", "管辖法院未配置法院代字，无法编立案号")
    raise_if_errors(errors, "立案信息有误")
    assert division is not None
    return division, procedure, cause


def _next_case_sequence(court_code: str, year: int, type_code: str) -> int:
    last = CourtCase.objects.filter(
        court_code=court_code, year=year, type_code=type_code
    ).aggregate(last=Max("sequence"))["last"]
    return int(last or 0) + 1


def _court_case_create(
    *, filing: Filing, division: OrgUnit, judge: User | None, cause: str
) -> CourtCase:
    court = filing.competent_court
    type_code = TYPE_CODES[FilingCaseKind(filing.case_kind)]
    filed_on = today()
    for _attempt in range(5):
        sequence = _next_case_sequence(court.court_code, filed_on.year, type_code)
        case = CourtCase(
            case_number=f"（{filed_on.year}）{court.court_code}{type_code}{sequence}号",
            year=filed_on.year,
            court_code=court.court_code,
            type_code=type_code,
            sequence=sequence,
            court=court,
            division=division,
            judge=judge,
            cause=cause,
            stage=CaseStage.FILED,
            filed_on=filed_on,
            amount=filing.amount,
        )
        try:
            with transaction.atomic():
                case.save(force_insert=True)
            return case
        except IntegrityError:  # another acceptance took the number first: take the next
            continue
    raise IntegrityError("could not number the court case")  # pragma: no cover


def _person_for(actor: User, party: FilingParty, court: OrgUnit) -> Person:
    id_number = decrypt_text(party.id_number_encrypted)
    if id_number:
        found = Person.objects.filter(id_number_hash=id_number_hash(id_number)).first()
        if found is not None:
            return found
    return person_create(
        actor=actor,
        name=party.name[:50],
        id_number=id_number,
        mobile=decrypt_text(party.phone_encrypted),
        address=decrypt_text(party.address_encrypted),
        region=court.region,
        owner_unit=court,
        allow_same_phone=True,  # a family may share a phone; the ID number decides
    )


def _enterprise_for(actor: User, party: FilingParty, court: OrgUnit) -> Enterprise | None:
    uscc = decrypt_text(party.id_number_encrypted)
    if not uscc:
        return None  # no credit code given: the case names it, unlinked
    found = Enterprise.objects.filter(uscc=uscc).first()
    if found is not None:
        return found
    return enterprise_create(
        actor=actor, name=party.name, uscc=uscc, region=court.region, owner_unit=court
    )


def _link_parties(actor: User, filing: Filing, case: CourtCase) -> int:
    """CaseParty rows for the filing's parties, linked to persons and enterprises; how many
    were linked."""
    linked = 0
    court = filing.competent_court
    for party in filing.parties.order_by("id"):
        if party.kind == PartyKind.PERSON:
            party.person = _person_for(actor, party, court)
        else:
            party.enterprise = _enterprise_for(actor, party, court)
        party.save(update_fields=["person", "enterprise"])
        linked += party.person is not None or party.enterprise is not None
        CaseParty.objects.create(
            court_case=case,
            role=party.role,  # the filing's roles are the case's (courtcases.PartyRole)
            name=party.name,
            person=party.person,
            enterprise=party.enterprise,
        )
    return linked


FEE_NOTICE_FIELD = "issue_fee_notice"


def fee_notice_possible(filing: Filing) -> bool:
    """Whether the acceptance fee can be computed from the filing alone: a civil case with its
    amount (财产案件, Art. 13(1)) or an administrative case (Art. 13(5)). Others (a civil case
    without an amount: divorce, personality rights …; 申请执行费, paid after execution, Art. 20)
    get their notice from the case page."""
    if filing.case_kind == FilingCaseKind.CIVIL_FIRST:
        return filing.amount is not None and filing.amount > 0
    return filing.case_kind == FilingCaseKind.ADMINISTRATIVE_FIRST


def _fee_refused(message: str) -> ValidationFailed:
    text = f"开具缴费通知书失败：{message}。可取消“受理后开具缴费通知书”，立案后在案件页面开具"
    return ValidationFailed(text, code="fee_notice_refused", fields={FEE_NOTICE_FIELD: [text]})


def _fee_notice_issue(actor: User, filing: Filing, case: CourtCase, procedure: str) -> FeeNotice:
    """The acceptance fee's 缴费通知书 for the new case, through the fees service: the first
    plaintiff pays, the notice's SMS (with the pay page's link) goes to the filer's phone. Any
    refusal undoes the acceptance too (the caller's transaction)."""
    if not fee_notice_possible(filing):
        raise _fee_refused("该类案件须按案件具体情况计算诉讼费")
    payer = (
        CaseParty.objects.filter(court_case=case, role=PartyRole.PLAINTIFF).order_by("id").first()
    )
    if payer is None:
        raise _fee_refused("本案没有原告")
    civil = filing.case_kind == FilingCaseKind.CIVIL_FIRST
    try:
        notice, _created = fees.notice_issue(
            actor=actor,
            court_case=case,
            data=fees.NoticeInput(
                fee_kind=FeeKind.PROPERTY if civil else FeeKind.ADMINISTRATIVE,
                amount=filing.amount if civil else None,
                procedure=FeeProcedure.ORDINARY
                if procedure == FilingProcedure.ORDINARY
                else FeeProcedure.SIMPLE,
                party=payer,
                payer_phone=decrypt_text(filing.submitter_phone_encrypted),
            ),
        )
    except ApplicationError as exc:
        raise _fee_refused(exc.message) from exc
    return notice


def filing_accept(*, actor: User, filing: Filing, data: AcceptInput) -> CourtCase:
    """登记立案: the court case, its parties linked, the filing accepted, the 受理通知 sent;
    with ``data.issue_fee_notice``, the acceptance fee's notice issued with it."""
    with transaction.atomic():
        locked = _locked(filing)
        if not can_decide(actor, locked):
            raise PermissionDenied("只有管辖法院的立案人员可以登记立案")
        _expect(locked, (FilingStatus.REVIEW,), "登记立案")
        division, procedure, cause = _check_accept(locked, data)
        case = _court_case_create(filing=locked, division=division, judge=data.judge, cause=cause)
        linked = _link_parties(actor, locked, case)
        notice = (
            _fee_notice_issue(actor, locked, case, procedure) if data.issue_fee_notice else None
        )
        locked.court_case = case
        locked.decided_at = timezone.now()
        locked.decided_by = actor
        locked.procedure = procedure
        locked.fast_track = bool(data.fast_track)
        locked.cause = cause
        filing_status_set(
            filing=locked,
            to_status=FilingStatus.ACCEPTED,
            actor=actor,
            verb="accepted",
            data={
                "case_number": case.case_number,
                "division": division.code,
                "judge": data.judge.pk if data.judge is not None else None,
                "procedure": procedure,
                "fast_track": locked.fast_track,
                "parties_linked": linked,
                **({"fee_notice": notice.number} if notice is not None else {}),
            },
            update_fields=[
                "court_case",
                "decided_at",
                "decided_by",
                "procedure",
                "fast_track",
                "cause",
            ],
        )
        sms_to_submitter(
            filing=locked,
            court=locked.competent_court,
            text=(
                f"受理通知：您的立案申请{locked.number}已于{case.filed_on:%Y年%m月%d日}登记立案，"
                f"案号{case.case_number}，承办庭室{division.name}。"
                + (
                    f"缴费通知书{notice.number}已另行短信发送，"
                    if notice is not None
                    else "交费通知另行送达，"
                )
                + "请按期交纳诉讼费用。"
            ),
            key="accepted",
        )
    return case


# --- refusing, withdrawing -------------------------------------------------------------------


def filing_refuse(*, actor: User, filing: Filing, reason: str) -> Filing:
    """不予受理 with written reasons (登记立案规定 Art. 9); the ruling can be appealed within
    10 days (民事诉讼法 Art. 171), which the ruling states."""
    errors: Errors = {}
    text = clean_text(
        errors, "reason", "不予受理的理由", reason, max_length=REASON_MAX, required=True
    )
    if text and len(text) < REASON_MIN:
        add_error(errors, "reason", f"请写明不予受理的理由（至少{REASON_MIN}个字）")
    raise_if_errors(errors, "不予受理的理由有误")
    with transaction.atomic():
        locked = _locked(filing)
        if not can_decide(actor, locked):
            raise PermissionDenied("只有管辖法院的立案人员可以作出不予受理决定")
        _expect(locked, (FilingStatus.REVIEW,), "不予受理")
        locked.refusal_reason = text
        locked.decided_at = timezone.now()
        locked.decided_by = actor
        filing_status_set(
            filing=locked,
            to_status=FilingStatus.REFUSED,
            actor=actor,
            verb="refused",
            reason=text,
            data={"decided_on": local_date(locked.decided_at).isoformat()},
            update_fields=["refusal_reason", "decided_at", "decided_by"],
        )
        sms_to_submitter(
            filing=locked,
            court=locked.competent_court,
            text=(
                f"您的立案申请{locked.number}经审查不予受理，不予受理裁定书将依法送达。"
                "不服的，可在裁定书送达之日起10日内上诉。"
            ),
            key="refused",
        )
    return locked


def filing_withdraw(*, filing: Filing, actor: User | None = None, reason: str = "") -> Filing:
    """The submitter withdraws the filing before a decision. ``actor`` is the court's staff
    member recording a written withdrawal; None when the submitter does it."""
    errors: Errors = {}
    text = clean_text(errors, "reason", "撤回理由", reason, max_length=500)
    raise_if_errors(errors, "撤回信息有误")
    with transaction.atomic():
        locked = _locked(filing)
        if actor is not None and not can_record_withdrawal(actor, locked):
            raise PermissionDenied("只有收件法院或管辖法院的立案人员可以登记撤回")
        _expect(locked, OPEN_STATUSES, "撤回")
        label: User | str = (
            actor if actor is not None else ACTOR_LABELS[SubmitterKind(locked.submitter_kind)]
        )
        filing_status_set(
            filing=locked,
            to_status=FilingStatus.WITHDRAWN,
            actor=label,
            verb="withdrawn",
            reason=text,
            data={"recorded_by_court": actor is not None},
        )
    return locked


def filing_treat_as_withdrawn(*, filing: Filing, reason: str) -> Filing:
    """按撤诉处理: an accepted filing whose fee went unpaid by its deadline without 缓减免
    (登记立案规定 Art. 11). The fee sweep calls it; the system is the actor."""
    text = (reason or "").strip()
    if not text or len(text) > 500 or "\x00" in text:
        raise ValidationFailed("请写明按撤诉处理的原因", fields={"reason": ["原因无效"]})
    with transaction.atomic():
        locked = _locked(filing)
        _expect(locked, (FilingStatus.ACCEPTED,), "按撤诉处理")
        filing_status_set(
            filing=locked,
            to_status=FilingStatus.TREATED_WITHDRAWN,
            actor="系统",
            verb="treated_as_withdrawn",
            reason=text,
            data={"case_number": locked.court_case.case_number if locked.court_case else ""},
        )
    return locked
