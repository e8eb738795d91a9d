"""Supervision letters (督办函): drafted by an office (the city office) to a county office or a
political-legal unit about one or more matters, sent with a 发文字号 of the office's yearly
sequence and an issued .docx in the 信函 format, answered by the recipient.

- ``letter_create`` drafts (no number: a draft that is never sent uses none);
- ``letter_send`` numbers it (包政法专督〔2026〕3号: the office's counter row locked with
  ``select_for_update`` and advanced in the sending transaction, a number already used refused),
  issues the .docx (``documents.document_issue``), writes an event on each matter's timeline and
  tells the recipient unit's officers through the outbox;
- ``letter_reply`` records the written reply, which counts as progress on each matter.

A letter's ``status`` changes only in ``letter_status_set`` (LETTER_TRANSITIONS); overdue (sent,
past its deadline, not answered) is computed (``SupervisionLetterQuerySet.overdue``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from django.db import IntegrityError, transaction

from youjie.core.errors import Conflict, PermissionDenied, ValidationFailed
from youjie.core.timeline import event_build, event_record, events_record
from youjie.documents.choices import DocumentFormat, DocumentKind
from youjie.documents.numbers import document_number
from youjie.documents.official import Heading, OfficialDocument, Paragraph, chinese_date
from youjie.documents.services import document_issue
from youjie.notifications.services import notification_enqueue
from youjie.orgs.choices import OrgKind
from youjie.orgs.models import OrgUnit, User
from youjie.orgs.scoping import nearest_unit, region_subtree_codes, scope_queryset
from youjie.petitions.choices import LetterStatus, MatterStatus
from youjie.petitions.models import (
    TEXT_MAX,
    TITLE_MAX,
    DocumentNumberCounter,
    PetitionMatter,
    SupervisionLetter,
)
from youjie.petitions.permissions import (
    LETTER_RECIPIENT_ROLES,
    can_reply_letter,
    can_send_letters,
)
from youjie.petitions.policy import supervision_policy
from youjie.petitions.services.common import (
    Errors,
    add_error,
    check_not_future,
    check_order,
    clean_text,
    matter_progress_touch,
    raise_if_errors,
    today,
)
from youjie.petitions.transitions import LETTER_TRANSITIONS

LETTER_MATTERS_MAX = 50
LETTER_DUE_MAX_DAYS = 365
# Units a letter may be addressed to: a county office or committee (属地), or a political-legal
# unit (指导, 直接).
RECIPIENT_KINDS = (
    OrgKind.OFFICE,
    OrgKind.COMMITTEE,
    OrgKind.COURT,
    OrgKind.PROCURATORATE,
    OrgKind.POLICE,
    OrgKind.JUSTICE,
)


# --- numbering --------------------------------------------------------------------------------


def document_sequence_next(*, office: OrgUnit, prefix: str, year: int) -> int:
    """The next sequence number of ``office``'s ``prefix`` series in ``year``, its counter row
    locked (``select_for_update``) until the calling transaction ends: a concurrent send waits
    for it and then takes the following number; a rollback gives the number back (no gaps)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("document_sequence_next must run inside the issuing transaction")
    counters = DocumentNumberCounter.objects.select_for_update().filter(
        office=office, prefix=prefix, year=year
    )
    counter = counters.first()
    if counter is None:
        try:
            # A savepoint: a concurrent first document of the year may insert the row first,
            # and on PostgreSQL a failed INSERT would abort the caller's whole transaction.
            with transaction.atomic():
                counter = DocumentNumberCounter.objects.create(
                    office=office, prefix=prefix, year=year, last=0
                )
        except IntegrityError:
            counter = counters.get()
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def issuing_authority(office: OrgUnit) -> str:
    """The 发文机关 in whose name an office writes: its committee (中共包头市委政法委员会), or the
    office itself when it stands alone."""
    committee = nearest_unit(office, OrgKind.COMMITTEE)
    return (committee or office).name


def letter_prefix(office: OrgUnit) -> str:
    prefix = supervision_policy().letter_prefixes.get(office.code, "")
    if not prefix:
        message = f"“{office.name}”未配置督办函发文机关代字，不能发督办函"
        raise ValidationFailed(message, code="letter_prefix_missing", fields={"office": [message]})
    return prefix


# --- the document -----------------------------------------------------------------------------


def letter_document(
    *,
    letter: SupervisionLetter,
    matters: Sequence[PetitionMatter],
    number: str,
    sent_on: date,
) -> OfficialDocument:
    """The 督办函 in the 信函 format of GB/T 9704-2012 (§10.1): pure, from the letter's data."""
    authority = issuing_authority(letter.issuing_office)
    body: list[Paragraph | Heading] = [
        Paragraph(
            f"根据涉法涉诉信访积案化解工作安排，现将下列{len(matters)}件信访事项"
            f"交由你单位督促办理。"
        ),
        Heading(1, "督办事项"),
    ]
    for index, matter in enumerate(matters, start=1):
        lead = matter.lead_official.get_full_name() if matter.lead_official else "未明确"
        body.append(
            Paragraph(
                f"{index}. {matter.number}“{matter.title}”（属地：{matter.region.name}；"
                f"包案领导：{lead}）"
            )
        )
    body += [
        Heading(1, "督办要求"),
        Paragraph(letter.requirements),
        Heading(1, "办理时限"),
        Paragraph(
            f"请于{chinese_date(letter.due_on)}前将办理情况书面报送{authority}。"
            f"逾期未报的，将在每日通报中予以通报。"
        ),
    ]
    return OfficialDocument(
        format=DocumentFormat.LETTER,
        authority=authority,
        number=number,
        title=letter.title,
        addressee=letter.recipient_unit.name,
        body=tuple(body),
        signatory=authority,
        date=sent_on,
    )


def default_letter_title(matters: Sequence[PetitionMatter]) -> str:
    if len(matters) == 1:
        title = f"关于督促办理“{matters[0].title}”信访事项的函"
        if len(title) <= TITLE_MAX:
            return title
    return f"关于督促办理{len(matters)}件涉法涉诉信访事项的函"


# --- the status helper ------------------------------------------------------------------------


def letter_status_set(
    *,
    letter: SupervisionLetter,
    to_status: str,
    actor: User,
    verb: str,
    data: dict[str, Any] | None = None,
    update_fields: list[str] | None = None,
) -> None:
    """The only place that changes a letter's ``status`` (LETTER_TRANSITIONS): checks the map,
    saves, writes the event on the letter's timeline."""
    source = letter.status
    LETTER_TRANSITIONS.check(source, to_status)
    letter.status = to_status
    letter.save(update_fields=sorted({"status", "updated_at", *(update_fields or [])}))
    event_record(
        subject=letter,
        verb=verb,
        actor=actor,
        from_state=source,
        to_state=to_status,
        data=data,
    )


# --- checks -----------------------------------------------------------------------------------


def _belongs_to(matter: PetitionMatter, recipient: OrgUnit, regions: frozenset[str]) -> bool:
    """A matter is the recipient's to answer for: in its region (an office or a committee:
    属地), or with it (or a unit under it) as responsible or handling unit."""
    if recipient.kind in (OrgKind.OFFICE, OrgKind.COMMITTEE) and matter.region_id in regions:
        return True
    return any(
        unit is not None and unit.path.startswith(recipient.path)
        for unit in (matter.responsible_unit, matter.handling_unit)
    )


def _checked_matters(
    errors: Errors,
    *,
    actor: User,
    matters: Sequence[PetitionMatter],
    recipient: OrgUnit | None,
) -> list[PetitionMatter]:
    ids = list(dict.fromkeys(matter.pk for matter in matters))
    if not ids:
        add_error(errors, "matters", "请选择督办的信访事项")
        return []
    if len(ids) > LETTER_MATTERS_MAX:
        add_error(errors, "matters", f"一份督办函最多督办{LETTER_MATTERS_MAX}件事项")
        return []
    visible = {
        matter.pk: matter
        for matter in scope_queryset(
            PetitionMatter.objects.select_related(
                "region", "lead_official", "responsible_unit", "handling_unit"
            ).filter(pk__in=ids),
            actor,
        )
    }
    regions = region_subtree_codes(recipient.region_id) if recipient is not None else frozenset()
    found = []
    for pk in ids:
        matter = visible.get(pk)
        if matter is None:
            add_error(errors, "matters", f"编号为{pk}的事项不存在或无权查看")
            continue
        if matter.status == MatterStatus.TERMINATED or matter.no_further_counting:
            add_error(errors, "matters", f"{matter.number}已依法终结，不再督办")
        elif recipient is not None and not _belongs_to(matter, recipient, regions):
            add_error(
                errors,
                "matters",
                f"{matter.number}不属于“{recipient.name}”的属地或职责范围",
            )
        found.append(matter)
    return found


def _check_recipient(errors: Errors, recipient: OrgUnit | None, office: OrgUnit) -> None:
    if recipient is None:
        add_error(errors, "recipient_unit", "请选择受函单位")
    elif not recipient.is_active or recipient.kind not in RECIPIENT_KINDS:
        add_error(errors, "recipient_unit", "受函单位应为旗县区专项办、政法委或政法单位")
    elif recipient.pk == office.pk:
        add_error(errors, "recipient_unit", "不能向本单位发督办函")


# --- services ---------------------------------------------------------------------------------


def letter_create(
    *,
    actor: User,
    recipient_unit: OrgUnit | None,
    matters: Sequence[PetitionMatter],
    requirements: str,
    due_on: date | None,
    title: str = "",
    issuing_office: OrgUnit | None = None,
    drafted_on: date | None = None,
) -> SupervisionLetter:
    """A draft 督办函 from ``issuing_office`` (the actor's own office by default). Refused with
    a Chinese message naming each problem, nothing written: an office without a 发文机关代字,
    a recipient that is no county office, committee or political-legal unit, a matter the actor
    may not see, one terminated by law or outside the recipient's region and remit, a deadline
    before the day it is drafted, text the official format cannot print.

    ``drafted_on`` (today by default; not exposed on the pages or the API) records a letter
    drafted and sent earlier on paper, with ``letter_send(sent_on=…)``: its deadline may then
    have passed."""
    office = issuing_office or actor.org_unit
    if office is None or not can_send_letters(actor, office):
        raise PermissionDenied("只有专项办干部可以以本专项办名义拟制督办函")
    prefix = letter_prefix(office)
    errors: Errors = {}
    _check_recipient(errors, recipient_unit, office)
    checked = _checked_matters(
        errors, actor=actor, matters=matters, recipient=recipient_unit if not errors else None
    )
    requirements = clean_text(
        errors, "requirements", "督办要求", requirements, max_length=TEXT_MAX, required=True
    )
    title = clean_text(errors, "title", "标题", title, max_length=TITLE_MAX)
    current = drafted_on or today()
    check_not_future(errors, "drafted_on", "拟稿日期", current)
    if due_on is None:
        add_error(errors, "due_on", "请填写答复期限")
    else:
        check_order(
            errors, "due_on", "答复期限", due_on, current, "今天" if not drafted_on else "拟稿日期"
        )
        if due_on > current + timedelta(days=LETTER_DUE_MAX_DAYS):
            add_error(errors, "due_on", f"答复期限不能晚于{LETTER_DUE_MAX_DAYS}日之后")
    raise_if_errors(errors, "督办函信息有误")
    assert recipient_unit is not None and due_on is not None
    letter = SupervisionLetter(
        issuing_office=office,
        recipient_unit=recipient_unit,
        title=title or default_letter_title(checked),
        requirements=requirements,
        due_on=due_on,
        created_by=actor,
    )
    # The letter must print: check it in the official format now, with the number it would take.
    letter_document(
        letter=letter,
        matters=checked,
        number=document_number(prefix, current.year, 1),
        sent_on=current,
    )
    with transaction.atomic():
        letter.save(force_insert=True)
        letter.matters.set(checked)
        event_record(
            subject=letter,
            verb="created",
            actor=actor,
            data={
                "recipient": recipient_unit.name,
                "matters": [matter.number for matter in checked],
                "due_on": due_on.isoformat(),
            },
        )
    return letter


def _recipient_officers(recipient: OrgUnit) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            org_unit__path__startswith=recipient.path,
            user_roles__role__in=LETTER_RECIPIENT_ROLES,
        )
        .distinct()
        .order_by("pk")
    )


def _notify(*, user: User, about: SupervisionLetter, subject: str, body: str, key: str) -> None:
    """A message to a staff member through the outbox, in the caller's transaction: e-mail when
    they have an address, else the console channel (the staff home shows it)."""
    email = user.email
    notification_enqueue(
        channel="email" if email else "console",
        recipient=email or f"user:{user.pk}",
        subject=subject,
        body=body,
        about=about,
        dedupe_key=f"petitions:letter:{about.pk}:{key}:{user.pk}",
    )


def letter_send(
    *, actor: User, letter: SupervisionLetter, sent_on: date | None = None
) -> SupervisionLetter:
    """Number, issue and send a draft letter, all in one transaction (a failure leaves it a
    draft with no number used): the next number of the office's series of the year, refused
    if a letter already holds it; the .docx in the 信函 format recorded as issued; an event on
    each matter's timeline; a message to each officer of the recipient unit.

    ``sent_on`` (today by default; not exposed on the pages or the API) records a letter sent
    earlier on paper: not in the future, not after its deadline."""
    with transaction.atomic():
        locked = (
            SupervisionLetter.objects.select_for_update(of=("self",))
            .select_related("issuing_office", "recipient_unit")
            .get(pk=letter.pk)
        )
        if not can_send_letters(actor, locked.issuing_office):
            raise PermissionDenied("只有发函专项办的干部可以发出督办函")
        LETTER_TRANSITIONS.check(locked.status, LetterStatus.SENT)
        errors: Errors = {}
        matters = _checked_matters(
            errors,
            actor=actor,
            matters=list(locked.matters.all()),
            recipient=locked.recipient_unit,
        )
        sent_on = sent_on or today()
        check_not_future(errors, "sent_on", "发文日期", sent_on)
        check_order(
            errors,
            "due_on",
            "答复期限",
            locked.due_on,
            sent_on,
            "今天" if sent_on == today() else "发文日期",
        )
        raise_if_errors(errors, "督办函不能发出")
        prefix = letter_prefix(locked.issuing_office)
        sequence = document_sequence_next(
            office=locked.issuing_office, prefix=prefix, year=sent_on.year
        )
        number = document_number(prefix, sent_on.year, sequence)
        if SupervisionLetter.objects.filter(number=number).exists():
            raise Conflict(
                f"发文字号{number}已被使用，不能重复编号；请系统管理员核对督办函发文字号计数器",
                code="letter_number_used",
                extra={"number": number},
            )
        locked.prefix, locked.year, locked.sequence, locked.number = (
            prefix,
            sent_on.year,
            sequence,
            number,
        )
        locked.sent_on, locked.sent_by = sent_on, actor
        try:
            with transaction.atomic():
                letter_status_set(
                    letter=locked,
                    to_status=LetterStatus.SENT,
                    actor=actor,
                    verb="sent",
                    data={"number": number, "due_on": locked.due_on.isoformat()},
                    update_fields=["prefix", "year", "sequence", "number", "sent_on", "sent_by"],
                )
        except IntegrityError as exc:  # the number taken meanwhile outside the counter
            raise Conflict(
                f"发文字号{number}已被使用，不能重复编号", code="letter_number_used"
            ) from exc
        issued = document_issue(
            actor=actor,
            document=letter_document(
                letter=locked, matters=matters, number=number, sent_on=sent_on
            ),
            kind=DocumentKind.LETTER,
            subject=locked,
            inputs={
                "letter_id": locked.pk,
                "matter_ids": [matter.pk for matter in matters],
                "due_on": locked.due_on.isoformat(),
            },
        )
        locked.document = issued
        locked.save(update_fields=["document"])
        data = {
            "letter_id": locked.pk,
            "number": number,
            "recipient": locked.recipient_unit.name,
            "due_on": locked.due_on.isoformat(),
        }
        events_record(
            [
                event_build(subject=matter, verb="supervision_letter_sent", actor=actor, data=data)
                for matter in matters
            ]
        )
        for officer in _recipient_officers(locked.recipient_unit):
            _notify(
                user=officer,
                about=locked,
                subject=f"督办函 {number}",
                body=(
                    f"{issuing_authority(locked.issuing_office)}向{locked.recipient_unit.name}"
                    f"发出督办函{number}《{locked.title}》，督办{len(matters)}件信访事项，"
                    f"请于{chinese_date(locked.due_on)}前书面答复。"
                ),
                key="sent",
            )
    return locked


def letter_reply(
    *,
    actor: User,
    letter: SupervisionLetter,
    reply_text: str,
    replied_on: date | None = None,
) -> SupervisionLetter:
    """The recipient's written reply (a late one is recorded as such: overdue is computed from
    the dates). Counts as progress on each matter; the sender is told through the outbox."""
    errors: Errors = {}
    reply_text = clean_text(
        errors, "reply_text", "答复内容", reply_text, max_length=TEXT_MAX, required=True
    )
    day = replied_on or today()
    check_not_future(errors, "replied_on", "答复日期", day)
    with transaction.atomic():
        locked = (
            SupervisionLetter.objects.select_for_update(of=("self",))
            .select_related("recipient_unit", "issuing_office", "sent_by")
            .get(pk=letter.pk)
        )
        if not can_reply_letter(actor, locked):
            raise PermissionDenied("只有受函单位的专项办干部或单位领导可以答复督办函")
        LETTER_TRANSITIONS.check(locked.status, LetterStatus.REPLIED)
        check_order(errors, "replied_on", "答复日期", day, locked.sent_on, "发文日期")
        raise_if_errors(errors, "答复信息有误")
        locked.reply_text, locked.replied_on, locked.replied_by = reply_text, day, actor
        late = day > locked.due_on
        letter_status_set(
            letter=locked,
            to_status=LetterStatus.REPLIED,
            actor=actor,
            verb="replied",
            data={"replied_on": day.isoformat(), "late": late},
            update_fields=["reply_text", "replied_on", "replied_by"],
        )
        matters = list(locked.matters.all())
        data = {
            "letter_id": locked.pk,
            "number": locked.number,
            "replied_on": day.isoformat(),
            "late": late,
        }
        events_record(
            [
                event_build(
                    subject=matter, verb="supervision_letter_replied", actor=actor, data=data
                )
                for matter in matters
            ]
        )
        for matter in matters:
            matter_progress_touch(matter=matter)
        if locked.sent_by is not None:
            _notify(
                user=locked.sent_by,
                about=locked,
                subject=f"督办函 {locked.number} 已答复",
                body=(
                    f"{locked.recipient_unit.name}已于{chinese_date(day)}答复督办函"
                    f"{locked.number}" + ("（逾期答复）。" if late else "。")
                ),
                key="replied",
            )
    return locked
