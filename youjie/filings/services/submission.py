"""Submitting a filing (网上立案, 窗口立案, 系统接口): every input checked, every error collected,
then the filing, its parties and materials written in one transaction with its number.

- Parties: at least one on each side (原告/被告, or 申请执行人/被执行人 for execution). A person's
  resident ID is checked per GB 11643 (DOMAIN.md §10), an enterprise's unified social credit
  code per GB 32100, phones as mainland mobiles. The plaintiff side's identity numbers are
  required (the receiving court checks identity, DOMAIN.md §6); the other side's are checked
  when given.
- The amount: a decimal of yuan with at most two places, not negative, not above
  ``AMOUNT_MAX``, in CNY only (诉讼标的以人民币计算; a foreign-currency claim is stated in CNY).
- Materials: a complaint (起诉状/申请书) with its file is required; a lawyer files with an
  authorisation (授权委托书) on file. Files are PDF, JPG or PNG, checked by content.
- The number 网立2026-000123: one sequence a year over all courts, taken inside the creating
  transaction (a rollback gives it back: no gaps).
- A filing at its competent court goes to review at once, with the 7-day decision clock; one
  received for another court (跨域立案) waits for the receiving court's form check.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from youjie.core.crypto import encrypt_text
from youjie.core.errors import ValidationFailed
from youjie.core.idempotency import Idempotency, run_once
from youjie.core.timeline import event_record
from youjie.filings.choices import (
    FilingCaseKind,
    FilingChannel,
    FilingPartyRole,
    FilingProcedure,
    FilingStatus,
    MaterialKind,
    PartyKind,
    SubmitterKind,
)
from youjie.filings.models import Filing, FilingMaterial, FilingParty
from youjie.filings.services.helpers import (
    CheckedFile,
    Errors,
    add_error,
    check_file,
    clean_text,
    decision_due_from,
    local_date,
    raise_if_errors,
    sms_to_submitter,
)
from youjie.orgs.choices import OrgKind
from youjie.orgs.models import OrgUnit, User
from youjie.people.identity import phone_hash
from youjie.people.validators import (
    mask_mobile,
    mask_resident_id,
    normalize_mobile,
    validate_resident_id,
    validate_uscc,
)

AMOUNT_MAX = Decimal("1000000000000")  # 一万亿元: past any claim a basic court hears
ACCEPTED_CURRENCIES = frozenset({"CNY", "RMB", "人民币", "元"})
PARTIES_MAX = 20
MATERIALS_MAX = 30
FILES_MAX = 20
CAUSE_MAX = 100
CLAIMS_MAX = 4000
FACTS_MAX = 20000
NAME_MAX = 50
ENTERPRISE_NAME_MAX = 200
ADDRESS_MAX = 200
AGENT_MAX = 100
TITLE_MAX = 200
LAW_FIRM_MAX = 100
LICENCE_DIGITS = 17  # 律师执业证号: 17 digits

PLAINTIFF_SIDE = {
    FilingCaseKind.CIVIL_FIRST: FilingPartyRole.PLAINTIFF,
    FilingCaseKind.ADMINISTRATIVE_FIRST: FilingPartyRole.PLAINTIFF,
    FilingCaseKind.EXECUTION: FilingPartyRole.ENFORCEMENT_APPLICANT,
}
DEFENDANT_SIDE = {
    FilingCaseKind.CIVIL_FIRST: FilingPartyRole.DEFENDANT,
    FilingCaseKind.ADMINISTRATIVE_FIRST: FilingPartyRole.DEFENDANT,
    FilingCaseKind.EXECUTION: FilingPartyRole.ENFORCEMENT_RESPONDENT,
}
ACTOR_LABELS = {
    SubmitterKind.PARTY: "当事人",
    SubmitterKind.LAWYER: "律师",
    SubmitterKind.AGENT: "代理人",
}


@dataclass(frozen=True)
class PartyInput:
    role: str
    kind: str
    name: str
    id_number: str = ""  # resident ID (person) or unified social credit code (enterprise)
    phone: str = ""
    address: str = ""
    agent_name: str = ""
    agent_licence_number: str = ""


@dataclass(frozen=True)
class MaterialInput:
    kind: str
    title: str
    file: File[Any] | None = None


@dataclass
class FilingInput:
    receiving_court: OrgUnit | None
    competent_court: OrgUnit | None
    case_kind: str
    cause: str
    claims: str
    facts_and_reasons: str
    submitter_kind: str
    submitter_name: str
    submitter_phone: str
    parties: Sequence[PartyInput]
    materials: Sequence[MaterialInput]
    procedure: str = FilingProcedure.ORDINARY
    amount: Decimal | str | None = None
    currency: str = "CNY"
    lawyer_licence_number: str = ""
    law_firm: str = ""
    mediation_consent: bool = False
    channel: str = FilingChannel.PORTAL


@dataclass
class _Checked:
    parties: list[FilingParty] = field(default_factory=list)
    materials: list[tuple[FilingMaterial, File[Any] | None, CheckedFile | None]] = field(
        default_factory=list
    )


def filing_number(year: int, sequence: int) -> str:
    return f"网立{year}-{sequence:06d}"


# --- checks ----------------------------------------------------------------------------------


def check_amount(errors: Errors, value: Decimal | str | None, currency: str) -> Decimal | None:
    """The claimed amount in yuan, or None when the claim states none."""
    unit = " ".join((currency or "CNY").split()).upper()
    if unit not in ACCEPTED_CURRENCIES:
        add_error(
            errors,
            "currency",
            f"只接受人民币（CNY）金额，不接受“{unit[:10]}”；外币请按起诉日汇率折算为人民币填写",
        )
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        amount = Decimal(str(value).strip().replace(",", "").replace("，", ""))
    except (InvalidOperation, ValueError):
        add_error(errors, "amount", "标的额应为数字（元），如 12000.50")
        return None
    if not amount.is_finite():
        add_error(errors, "amount", "标的额应为数字（元），如 12000.50")
        return None
    if amount < 0:
        add_error(errors, "amount", "标的额不能为负数")
        return None
    if amount > AMOUNT_MAX:
        add_error(errors, "amount", "标的额超过一万亿元，请核对金额单位（元）")
        return None
    if amount != amount.quantize(Decimal("0.01")):
        add_error(errors, "amount", "标的额最多保留两位小数（分）")
        return None
    return amount.quantize(Decimal("0.01"))


def _identity(errors: Errors, prefix: str, party: PartyInput, required: bool) -> tuple[str, str]:
    """(canonical number, masked form) of the party's ID number or credit code."""
    raw = (party.id_number or "").strip()
    label = "身份证号" if party.kind == PartyKind.PERSON else "统一社会信用代码"
    if not raw:
        if required:
            add_error(errors, f"{prefix}id_number", f"请填写{label}")
        return "", ""
    if len(raw) > 40:
        add_error(errors, f"{prefix}id_number", f"{label}格式不正确")
        return "", ""
    try:
        if party.kind == PartyKind.PERSON:
            canonical = validate_resident_id(raw)
            return canonical, mask_resident_id(canonical)
        canonical = validate_uscc(raw)
        return canonical, canonical
    except ValidationError as exc:
        for message in exc.messages:
            add_error(errors, f"{prefix}id_number", message)
        return "", ""


def check_mobile(errors: Errors, field_name: str, value: str, *, required: bool) -> str:
    raw = (value or "").strip()
    if not raw:
        if required:
            add_error(errors, field_name, "请填写手机号码")
        return ""
    if len(raw) > 32:
        add_error(errors, field_name, "手机号码格式不正确")
        return ""
    try:
        return normalize_mobile(raw)
    except ValidationError as exc:
        for message in exc.messages:
            add_error(errors, field_name, message)
        return ""


def check_licence(errors: Errors, field_name: str, value: str, *, required: bool) -> str:
    number = "".join((value or "").split())
    if not number:
        if required:
            add_error(errors, field_name, "请填写律师执业证号")
        return ""
    if len(number) != LICENCE_DIGITS or not number.isascii() or not number.isdigit():
        add_error(errors, field_name, "律师执业证号应为17位数字")
        return ""
    return number


def _check_parties(errors: Errors, case_kind: str, parties: Sequence[PartyInput]) -> _Checked:
    checked = _Checked()
    if len(parties) > PARTIES_MAX:
        add_error(errors, "parties", f"当事人最多{PARTIES_MAX}个")
        return checked
    plaintiff_role = PLAINTIFF_SIDE.get(FilingCaseKind(case_kind)) if case_kind else None
    defendant_role = DEFENDANT_SIDE.get(FilingCaseKind(case_kind)) if case_kind else None
    roles = set()
    for index, party in enumerate(parties):
        prefix = f"parties-{index}-"
        if party.role not in FilingPartyRole.values:
            add_error(errors, f"{prefix}role", "请选择诉讼地位")
        if party.kind not in PartyKind.values:
            add_error(errors, f"{prefix}kind", "请选择当事人类型")
            continue
        roles.add(party.role)
        person = party.kind == PartyKind.PERSON
        name = clean_text(
            errors,
            f"{prefix}name",
            "姓名" if person else "名称",
            party.name,
            max_length=NAME_MAX if person else ENTERPRISE_NAME_MAX,
            required=True,
            one_line=True,
        )
        plaintiff_side = party.role in (
            FilingPartyRole.PLAINTIFF,
            FilingPartyRole.ENFORCEMENT_APPLICANT,
        )
        canonical, masked = _identity(errors, prefix, party, required=plaintiff_side)
        phone = check_mobile(errors, f"{prefix}phone", party.phone, required=False)
        address = clean_text(
            errors, f"{prefix}address", "住所", party.address, max_length=ADDRESS_MAX
        )
        agent = clean_text(
            errors,
            f"{prefix}agent_name",
            "代理人",
            party.agent_name,
            max_length=AGENT_MAX,
            one_line=True,
        )
        licence = check_licence(
            errors, f"{prefix}agent_licence_number", party.agent_licence_number, required=False
        )
        checked.parties.append(
            FilingParty(
                role=party.role,
                kind=party.kind,
                name=name,
                id_number_encrypted=encrypt_text(canonical),
                id_number_masked=masked,
                phone_encrypted=encrypt_text(phone),
                phone_masked=mask_mobile(phone) if phone else "",
                address_encrypted=encrypt_text(address),
                agent_name=agent,
                agent_licence_number=licence,
            )
        )
    if plaintiff_role is not None and plaintiff_role not in roles:
        add_error(errors, "parties", f"至少填写一名{FilingPartyRole(plaintiff_role).label}")
    if defendant_role is not None and defendant_role not in roles:
        add_error(errors, "parties", f"至少填写一名{FilingPartyRole(defendant_role).label}")
    return checked


def check_materials(
    errors: Errors, materials: Sequence[MaterialInput], *, supplement_round: int = 0
) -> list[tuple[FilingMaterial, File[Any] | None, CheckedFile | None]]:
    """Each material's row (not saved), its file and what the file check found."""
    rows: list[tuple[FilingMaterial, File[Any] | None, CheckedFile | None]] = []
    if len(materials) > MATERIALS_MAX:
        add_error(errors, "materials", f"材料最多{MATERIALS_MAX}项")
        return rows
    if sum(1 for item in materials if item.file is not None) > FILES_MAX:
        add_error(errors, "materials", f"附件最多{FILES_MAX}个")
        return rows
    for index, item in enumerate(materials):
        prefix = f"materials-{index}-"
        if item.kind not in MaterialKind.values:
            add_error(errors, f"{prefix}kind", "材料类型无效")
            continue
        title = clean_text(
            errors,
            f"{prefix}title",
            "材料名称",
            item.title or MaterialKind(item.kind).label,
            max_length=TITLE_MAX,
            required=True,
            one_line=True,
        )
        found = check_file(errors, f"{prefix}file", item.file) if item.file is not None else None
        rows.append(
            (
                FilingMaterial(kind=item.kind, title=title, supplement_round=supplement_round),
                item.file,
                found,
            )
        )
    return rows


def _court(errors: Errors, field_name: str, label: str, court: OrgUnit | None) -> None:
    if court is None or court.kind != OrgKind.COURT or not court.is_active or not court.court_code:
        add_error(errors, field_name, f"请选择{label}")


def _has_file(
    rows: Sequence[tuple[FilingMaterial, File[Any] | None, CheckedFile | None]], kind: str
) -> bool:
    return any(row.kind == kind and found is not None for row, _file, found in rows)


def _check(data: FilingInput) -> tuple[_Checked, Decimal | None, str, str, str]:
    errors: Errors = {}
    _court(errors, "receiving_court", "收件法院", data.receiving_court)
    _court(errors, "competent_court", "管辖法院", data.competent_court)
    if data.case_kind not in FilingCaseKind.values:
        add_error(errors, "case_kind", "请选择案件类型")
    if data.procedure not in FilingProcedure.values:
        add_error(errors, "procedure", "请选择适用程序")
    if data.submitter_kind not in SubmitterKind.values:
        add_error(errors, "submitter_kind", "请选择提交人身份")
    if data.channel not in FilingChannel.values:
        add_error(errors, "channel", "渠道无效")
    clean_text(errors, "cause", "案由", data.cause, max_length=CAUSE_MAX, required=True)
    clean_text(errors, "claims", "诉讼请求", data.claims, max_length=CLAIMS_MAX, required=True)
    clean_text(
        errors,
        "facts_and_reasons",
        "事实与理由",
        data.facts_and_reasons,
        max_length=FACTS_MAX,
        required=True,
    )
    amount = check_amount(errors, data.amount, data.currency)
    clean_text(
        errors,
        "submitter_name",
        "提交人姓名",
        data.submitter_name,
        max_length=NAME_MAX,
        required=True,
        one_line=True,
    )
    phone = check_mobile(errors, "submitter_phone", data.submitter_phone, required=True)
    lawyer = data.submitter_kind == SubmitterKind.LAWYER
    licence = check_licence(
        errors, "lawyer_licence_number", data.lawyer_licence_number, required=lawyer
    )
    law_firm = clean_text(
        errors,
        "law_firm",
        "律师事务所",
        data.law_firm,
        max_length=LAW_FIRM_MAX,
        required=lawyer,
        one_line=True,
    )
    checked = _check_parties(
        errors, data.case_kind if data.case_kind in FilingCaseKind.values else "", data.parties
    )
    checked.materials = check_materials(errors, data.materials)
    if not _has_file(checked.materials, MaterialKind.COMPLAINT) and not any(
        key.startswith("materials-") and key.endswith("-file") for key in errors
    ):
        add_error(errors, "complaint", "缺少起诉状（申请书）：请上传起诉状文件")
    if lawyer and not _has_file(checked.materials, MaterialKind.AUTHORISATION):
        add_error(errors, "authorisation", "律师代为立案须上传授权委托书")
    raise_if_errors(errors, "立案申请有误，请检查标注的项目")
    return checked, amount, phone, licence, law_firm


# --- writing ---------------------------------------------------------------------------------


def store_materials(
    filing: Filing,
    rows: Sequence[tuple[FilingMaterial, File[Any] | None, CheckedFile | None]],
) -> list[FilingMaterial]:
    """Save checked materials of ``filing`` (inside the caller's transaction). A file is written
    before its row; a rollback leaves an unreferenced, content-addressed file behind, never a
    row without its file."""
    stored = []
    for row, upload, found in rows:
        row.filing = filing
        if upload is not None and found is not None:
            row.original_name = found.name
            row.content_type = found.content_type
            row.size = found.size
            row.sha256 = found.sha256
            stored_name = f"{found.sha256[:16]}{PurePath(found.name).suffix.lower()}"
            row.file.save(stored_name, upload, save=False)
        row.save()
        stored.append(row)
    return stored


def _next_sequence(year: int) -> int:
    last = Filing.objects.filter(year=year).aggregate(last=Max("sequence"))["last"]
    return int(last or 0) + 1


def filing_submit(
    *,
    actor: User | None,
    data: FilingInput,
    idempotency: Idempotency | None = None,
    received_at: datetime | None = None,
) -> tuple[Filing, bool]:
    """Check and register a filing: (filing, created); ValidationFailed (422) listing every
    error otherwise. With an ``idempotency`` key, a retry answers with the first filing.

    ``actor`` is the staff member at the counter or the integration account; None for the
    public page, where the timeline names the submitter's kind (当事人, 律师).
    ``received_at``: when a court took the paper materials in, for a filing entered after the
    fact by its staff (the clock counts from receipt, 民诉解释 Art. 208); never in the future,
    never from the public page."""
    checked, amount, phone, licence, law_firm = _check(data)
    now = timezone.now()
    if received_at is not None and (actor is None or received_at > now):
        raise ValidationFailed("收件时间无效", fields={"received_at": ["收件时间不能晚于现在"]})
    return run_once(
        model=Filing,
        idempotency=idempotency,
        create=lambda: _create(
            actor, data, checked, amount, phone, licence, law_firm, received_at or now
        ),
    )


def _create(
    actor: User | None,
    data: FilingInput,
    checked: _Checked,
    amount: Decimal | None,
    phone: str,
    licence: str,
    law_firm: str,
    now: datetime,
) -> Filing:
    assert data.receiving_court is not None and data.competent_court is not None
    label: User | str = (
        actor if actor is not None else ACTOR_LABELS[SubmitterKind(data.submitter_kind)]
    )
    year = local_date(now).year
    same_court = data.receiving_court.pk == data.competent_court.pk
    with transaction.atomic():
        filing = Filing(
            year=year,
            status=FilingStatus.REVIEW if same_court else FilingStatus.RECEIVED,
            channel=data.channel,
            receiving_court=data.receiving_court,
            competent_court=data.competent_court,
            cross_domain=not same_court,
            case_kind=data.case_kind,
            procedure=data.procedure,
            cause=" ".join(data.cause.split()),
            claims=data.claims.strip(),
            amount=amount,
            facts_and_reasons=data.facts_and_reasons.strip(),
            submitter_kind=data.submitter_kind,
            submitter_name=" ".join(data.submitter_name.split()),
            submitter_phone_encrypted=encrypt_text(phone),
            submitter_phone_hash=phone_hash(phone),
            submitter_phone_masked=mask_mobile(phone),
            lawyer_licence_number=licence,
            law_firm=law_firm,
            mediation_consent=bool(data.mediation_consent),
            submitted_at=now,
        )
        if same_court:
            filing.competent_received_at = now
            filing.decision_due = decision_due_from(now)
        # The year's next number, in a savepoint: a concurrent submission taking the same one
        # makes this insert fail, and the number is taken again (no gaps, no duplicates).
        for _attempt in range(5):
            filing.sequence = _next_sequence(year)
            filing.number = filing_number(year, filing.sequence)
            try:
                with transaction.atomic():
                    filing.save(force_insert=True)
                break
            except IntegrityError:
                filing.pk = None
                continue
        else:  # pragma: no cover - five lost races in a row
            raise IntegrityError("could not number the filing")
        for party in checked.parties:
            party.filing = filing
        FilingParty.objects.bulk_create(checked.parties)
        store_materials(filing, checked.materials)
        event_record(
            subject=filing,
            verb="submitted",
            actor=label,
            to_state=filing.status,
            data={
                "number": filing.number,
                "channel": filing.channel,
                "receiving_court": data.receiving_court.code,
                "competent_court": data.competent_court.code,
                "cross_domain": filing.cross_domain,
                "parties": len(checked.parties),
                "materials": len(checked.materials),
                "decision_due": filing.decision_due.isoformat() if filing.decision_due else None,
            },
        )
        # 登记立案规定 Art. 2 / 民诉解释 Art. 208: a dated receipt for every filing.
        sms_to_submitter(
            filing=filing,
            court=data.receiving_court,
            text=(
                f"您的立案申请已于{local_date(now):%Y年%m月%d日}收到，编号{filing.number}。"
                "法院将依法审查，结果以短信告知。"
            ),
            key="received",
        )
    return filing
