"""The receiving court's form check and forwarding (跨域立案, DOMAIN.md §6), and supplements
(补正) asked by either court and provided by the submitter.

- ``filing_forward``: the receiving court (协作法院) has checked identity and materials; the
  competent court (管辖法院) receives the filing at once, and its 7-day decision clock starts
  (民事诉讼法 Art. 126). Both receipt times are kept.
- ``filing_request_supplement``: one written notice listing everything missing at once
  (一次告知, 登记立案规定 Art. 7). The decision clock stops; the submitter gets an SMS with the
  items and a one-time code for the public supplement page (only its keyed hash is kept).
- ``filing_supplement_provide``: the submitter's materials (round N+1) go back to the court that
  asked — the receiving court's check (待协作核对) or the competent court's review (待审查),
  where the clock starts again from the day they arrive (民诉解释 Art. 208 ¶2).
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from youjie.core.errors import InvalidTransition, PermissionDenied
from youjie.filings.choices import FilingStatus, SubmitterKind
from youjie.filings.codes import SUPPLEMENT_CODE_DIGITS, supplement_code_hash
from youjie.filings.models import Filing
from youjie.filings.permissions import can_check, can_decide
from youjie.filings.services.common import filing_status_set
from youjie.filings.services.helpers import (
    Errors,
    add_error,
    clean_text,
    decision_due_from,
    public_link,
    raise_if_errors,
    sms_to_submitter,
)
from youjie.filings.services.submission import (
    ACTOR_LABELS,
    MaterialInput,
    check_materials,
    store_materials,
)
from youjie.orgs.models import User

SUPPLEMENT_ITEMS_MAX = 20
SUPPLEMENT_ITEM_MAX = 200
NOTE_MAX = 500


def _locked(filing: Filing) -> Filing:
    return Filing.objects.select_for_update(of=("self",)).get(pk=filing.pk)


def _expect(filing: Filing, *statuses: str, what: str) -> None:
    if filing.status not in statuses:
        raise InvalidTransition(
            f"该立案申请当前为“{filing.get_status_display()}”，不能{what}",
            extra={"status": filing.status},
        )


def filing_forward(*, actor: User, filing: Filing, note: str = "") -> Filing:
    """形式核对 passed at the receiving court: the competent court receives the filing now."""
    errors: Errors = {}
    clean_note = clean_text(errors, "note", "核对意见", note, max_length=NOTE_MAX)
    raise_if_errors(errors, "核对意见有误")
    with transaction.atomic():
        locked = _locked(filing)
        if not can_check(actor, locked):
            raise PermissionDenied("只有收件法院的立案人员可以核对转交")
        _expect(locked, FilingStatus.RECEIVED, what="转交")
        now = timezone.now()
        locked.forwarded_at = now
        locked.competent_received_at = now
        locked.decision_due = decision_due_from(now)
        filing_status_set(
            filing=locked,
            to_status=FilingStatus.REVIEW,
            actor=actor,
            verb="forwarded",
            reason=clean_note,
            data={
                "from_court": locked.receiving_court.code,
                "to_court": locked.competent_court.code,
                "decision_due": locked.decision_due.isoformat(),
            },
            update_fields=["forwarded_at", "competent_received_at", "decision_due"],
        )
    return locked


def clean_items(errors: Errors, items: Sequence[str]) -> list[str]:
    cleaned: list[str] = []
    for raw in items:
        text = " ".join(str(raw or "").split())
        if not text:
            continue
        if "\x00" in text:
            add_error(errors, "items", "补正事项含有无效字符")
            continue
        if len(text) > SUPPLEMENT_ITEM_MAX:
            add_error(errors, "items", f"每项补正事项不能超过{SUPPLEMENT_ITEM_MAX}个字")
            continue
        if text not in cleaned:
            cleaned.append(text)
    if not cleaned and "items" not in errors:
        add_error(errors, "items", "请逐项列明需要补正的全部内容（一次告知）")
    if len(cleaned) > SUPPLEMENT_ITEMS_MAX:
        add_error(errors, "items", f"补正事项最多{SUPPLEMENT_ITEMS_MAX}项")
    return cleaned


@dataclass(frozen=True)
class SupplementRequested:
    filing: Filing
    code: str  # sent by SMS; kept only as a keyed hash


def filing_request_supplement(
    *, actor: User, filing: Filing, items: Sequence[str]
) -> SupplementRequested:
    """One notice listing everything that is missing (一次告知), from the court that has the
    filing now: the receiving court during its check, the competent court during review."""
    errors: Errors = {}
    cleaned = clean_items(errors, items)
    raise_if_errors(errors, "补正通知有误")
    with transaction.atomic():
        locked = _locked(filing)
        _expect(locked, FilingStatus.RECEIVED, FilingStatus.REVIEW, what="通知补正")
        at_receiving = locked.status == FilingStatus.RECEIVED
        allowed = can_check(actor, locked) if at_receiving else can_decide(actor, locked)
        if not allowed:
            raise PermissionDenied("只有当前办理法院的立案人员可以通知补正")
        court = locked.receiving_court if at_receiving else locked.competent_court
        code = f"{secrets.randbelow(10**SUPPLEMENT_CODE_DIGITS):0{SUPPLEMENT_CODE_DIGITS}d}"
        locked.supplement_requested_at = timezone.now()
        locked.supplement_items = cleaned
        locked.supplement_code_hash = supplement_code_hash(locked, code)
        locked.decision_due = None  # the clock stops; it starts again when the supplement arrives
        filing_status_set(
            filing=locked,
            to_status=FilingStatus.SUPPLEMENT,
            actor=actor,
            verb="supplement_requested",
            data={"items": cleaned, "court": court.code, "round": locked.supplement_round + 1},
            update_fields=[
                "supplement_requested_at",
                "supplement_items",
                "supplement_code_hash",
                "decision_due",
            ],
        )
        listed = "；".join(f"{n}.{item}" for n, item in enumerate(cleaned, start=1))
        sms_to_submitter(
            filing=locked,
            court=court,
            text=(
                f"立案申请{locked.number}需补正（共{len(cleaned)}项）：{listed[:300]}。"
                f"补正码{code}，请凭编号、手机号和补正码提交："
                f"{public_link(f'/filings/apply/{locked.number}/supplement/')}"
            ),
            key=f"supplement:{locked.supplement_round + 1}",
        )
    return SupplementRequested(filing=locked, code=code)


def filing_supplement_provide(
    *,
    filing: Filing,
    materials: Sequence[MaterialInput],
    note: str = "",
    actor: User | None = None,
) -> Filing:
    """The submitter's supplement (from the public page, or handed in at the counter): round
    N+1 of the materials; the filing goes back to the court that asked for it."""
    errors: Errors = {}
    clean_note = clean_text(errors, "note", "补正说明", note, max_length=NOTE_MAX)
    rows = check_materials(errors, materials)
    if not any(found is not None for _row, _file, found in rows) and not any(
        key.startswith("materials-") for key in errors
    ):
        add_error(errors, "materials", "请至少上传一份补正材料")
    raise_if_errors(errors, "补正材料有误")
    with transaction.atomic():
        locked = _locked(filing)
        _expect(locked, FilingStatus.SUPPLEMENT, what="提交补正材料")
        if actor is not None and not (can_check(actor, locked) or can_decide(actor, locked)):
            raise PermissionDenied("只有收件法院或管辖法院的立案人员可以代收补正材料")
        now = timezone.now()
        locked.supplement_round += 1
        for row, _file, _found in rows:
            row.supplement_round = locked.supplement_round
        store_materials(locked, rows)
        # Back to whoever asked: a cross-domain filing not yet forwarded to its check at the
        # receiving court, anything else to review with the clock started again.
        back_to_check = locked.cross_domain and locked.forwarded_at is None
        locked.supplement_received_at = now
        locked.supplement_code_hash = ""  # the code is spent
        if back_to_check:
            to_status = FilingStatus.RECEIVED
        else:
            to_status = FilingStatus.REVIEW
            locked.decision_due = decision_due_from(now)
        label: User | str = (
            actor if actor is not None else ACTOR_LABELS[SubmitterKind(locked.submitter_kind)]
        )
        filing_status_set(
            filing=locked,
            to_status=to_status,
            actor=label,
            verb="supplement_provided",
            reason=clean_note,
            data={
                "round": locked.supplement_round,
                "materials": len(rows),
                "decision_due": locked.decision_due.isoformat() if locked.decision_due else None,
            },
            update_fields=[
                "supplement_round",
                "supplement_received_at",
                "supplement_code_hash",
                "decision_due",
            ],
        )
    return locked
