"""Writes for hearings (互联网+庭审): schedule, postpone, cancel, mark held, record attendance,
and the day-before reminder. (A module of its own beside ``services.py``, which holds the case
import and whose path tests/test_status_writes.py names; the layers contract treats both as
the services of this app.)

- ``hearing_schedule``: online (an https link to an external video-conference system) or in a
  courtroom, in the future; a time outside working hours or on a day off is a warning
  (``hearing_time_warnings``), not an error. The participants are the case's parties (from
  CaseParty, their phone copied from the person's record, encrypted) and the agents, witnesses
  and others given. An event on the court case's timeline and an SMS to every participant with
  a phone, through the outbox, in the same transaction.
- ``hearing_postpone``: with a reason; everyone is told; a new time makes a new hearing linked
  to the postponed one (``postponed_from``), with the same participants.
- ``hearing_cancel`` (with a reason, everyone told), ``hearing_hold`` (once it has begun),
  ``hearing_attendance_record`` (after it was held: present, absent, absent with leave).
- ``hearing_reminders_send``: the periodic task's step (``tasks.hearing_reminders_task``, which
  claims its tick): the day before, once per hearing (``reminder_sent_at``) and once per
  participant (the outbox's ``dedupe_key``).

Who may write: the case's judge or clerk, the head of its division, a leader of its court
(``permissions.can_manage_hearings``). A hearing's ``status`` changes only in
``hearing_status_set`` (transitions.HEARING_TRANSITIONS).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from youjie.core.crypto import decrypt_text, encrypt_text
from youjie.core.errors import PermissionDenied, ValidationFailed
from youjie.core.timeline import event_record
from youjie.courtcases.choices import (
    Attendance,
    CaseStage,
    HearingKind,
    HearingStatus,
    ParticipantRole,
)
from youjie.courtcases.models import (
    COURTROOM_MAX,
    DURATION_MAX_MINUTES,
    DURATION_MIN_MINUTES,
    HEARING_LINK_MAX,
    HEARING_REASON_MAX,
    PARTICIPANT_NAME_MAX,
    CaseParty,
    CourtCase,
    Hearing,
    HearingParticipant,
)
from youjie.courtcases.permissions import can_manage_hearings
from youjie.courtcases.transitions import HEARING_TRANSITIONS
from youjie.notifications.services import notification_enqueue
from youjie.notifications.sms import sms_render, sms_signature
from youjie.orgs.models import User
from youjie.people.models import PersonPhone
from youjie.people.validators import mask_mobile, normalize_mobile
from youjie.workdays.calendar import SHANGHAI, is_workday

Errors = dict[str, list[str]]

SCHEDULE_DAYS_AHEAD_MAX = 366
OTHER_PARTICIPANTS_MAX = 20
# Working hours for the warning (a court sets its own; [C] common practice 8:00-18:00 with a
# lunch break that hearings often run through, so only the outer bounds warn).
WORK_STARTS = time(8, 0)
WORK_ENDS = time(18, 0)
# The day-before reminder goes out between these hours (Beijing time), never at night.
REMINDER_FROM = time(9, 0)
REMINDER_UNTIL = time(20, 0)
SYSTEM_ACTOR = "系统"
MANAGE_REFUSED = "只有本案承办法官、书记员、所在庭室庭长或本院院领导可以安排和变更庭审"


@dataclass(frozen=True)
class ParticipantInput:
    """An agent, witness or other participant given by hand (parties come from the case)."""

    role: str
    name: str
    mobile: str = ""


# --- small helpers ------------------------------------------------------------------------------


def _add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _raise_if(errors: Errors, message: str) -> None:
    if errors:
        first = next(iter(errors.values()))[0]
        raise ValidationFailed(f"{message}：{first}", fields=errors)


def _text(errors: Errors, field: str, label: str, value: str, *, limit: int) -> str:
    text = (value or "").strip()
    if "\x00" in text:
        _add(errors, field, f"{label}含有无效字符")
    elif len(text) > limit:
        _add(errors, field, f"{label}不能超过{limit}字")
    return text


def local(moment: datetime) -> datetime:
    return timezone.localtime(moment, SHANGHAI)


def sms_when(moment: datetime, *, with_year: bool = True) -> str:
    """2026年12月8日09:30 (Beijing time): how the texts name a hearing's time."""
    at = local(moment)
    day = f"{at.month}月{at.day}日{at:%H:%M}"
    return f"{at.year}年{day}" if with_year else day


def _portal_url() -> str:
    return str(settings.YOUJIE_PUBLIC_URL).rstrip("/") + reverse("portal:cases")


def hearing_time_warnings(scheduled_at: datetime, duration_minutes: int) -> list[str]:
    """What is unusual about a time (not an error): a day off, or outside working hours."""
    start = local(scheduled_at)
    end = start + timedelta(minutes=duration_minutes)
    warnings = []
    if not is_workday(start.date()):
        warnings.append(f"{start.month}月{start.day}日不是工作日")
    if start.time() < WORK_STARTS or end.time() > WORK_ENDS or end.date() != start.date():
        warnings.append(f"开庭时间不在工作时间（{WORK_STARTS:%H:%M}—{WORK_ENDS:%H:%M}）内")
    return warnings


def clean_hearing_link(value: str) -> tuple[str, str]:
    """(link, problem): an https address of the video-conference system, no credentials in it,
    no spaces; "" problem when it is fine."""
    link = (value or "").strip()
    if not link:
        return link, "请填写在线庭审链接"
    if len(link) > HEARING_LINK_MAX:
        return link, f"链接不能超过{HEARING_LINK_MAX}个字符"
    if any(character.isspace() or ord(character) < 32 for character in link):
        return link, "链接不能包含空格或控制字符"
    try:
        URLValidator(schemes=["https"])(link)
    except ValidationError:
        return link, "在线庭审链接应为以 https:// 开头的有效网址"
    parts = urlsplit(link)
    if parts.username or parts.password:
        return link, "链接中不能包含用户名或密码"
    return link, ""


def _check_time(
    errors: Errors, field: str, value: datetime | None, *, now: datetime
) -> datetime | None:
    if value is None:
        _add(errors, field, "请填写开庭时间")
        return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value, SHANGHAI)  # a wall time given without a zone
    if value <= now:
        _add(errors, field, "开庭时间应晚于当前时间")
    elif value > now + timedelta(days=SCHEDULE_DAYS_AHEAD_MAX):
        _add(errors, field, f"开庭时间不能晚于{SCHEDULE_DAYS_AHEAD_MAX}日之后")
    return value


def _require_manager(actor: User, court_case: CourtCase) -> None:
    if not can_manage_hearings(actor, court_case):
        raise PermissionDenied(MANAGE_REFUSED)


# --- the status helper --------------------------------------------------------------------------


def hearing_status_set(
    *,
    hearing: Hearing,
    to_status: str,
    actor: User | str,
    verb: str,
    reason: str = "",
    data: dict[str, Any] | None = None,
    update_fields: list[str] | None = None,
) -> None:
    """The only place that changes a hearing's ``status``: checks HEARING_TRANSITIONS, saves
    (with ``update_fields``) and writes the event on the court case's timeline, in the
    caller's transaction."""
    source = hearing.status
    HEARING_TRANSITIONS.check(source, to_status)
    hearing.status = to_status
    hearing.save(update_fields=sorted({"status", "updated_at", *(update_fields or [])}))
    event_record(
        subject=hearing.court_case,
        verb=verb,
        actor=actor,
        from_state=source,
        to_state=to_status,
        reason=reason,
        data={"hearing_id": hearing.pk, **(data or {})},
    )


def _locked(hearing: Hearing) -> Hearing:
    return (
        Hearing.objects.select_for_update(of=("self",))
        .select_related("court_case", "court_case__court")
        .get(pk=hearing.pk)
    )


# --- messages -----------------------------------------------------------------------------------


def _notify(*, hearing: Hearing, template: str, fields: dict[str, str], key: str) -> int:
    """An SMS to every participant with a phone, through the outbox (caller's transaction);
    one per participant and ``key`` whatever happens twice (``dedupe_key``)."""
    court = hearing.court_case.court
    signature = sms_signature(name=court.name, short_name=court.short_name)
    body = sms_render(template, signature=signature, **fields)
    sent = 0
    for participant in hearing.participants.exclude(phone_encrypted="").order_by("id"):
        notification_enqueue(
            channel="sms",
            recipient=decrypt_text(participant.phone_encrypted),
            body=body,
            template_key=template,
            about=hearing,
            dedupe_key=f"courtcases:hearing:{hearing.pk}:{key}:{participant.pk}",
        )
        sent += 1
    return sent


def _scheduled_fields(hearing: Hearing) -> tuple[str, dict[str, str]]:
    fields = {
        "case_number": hearing.court_case.case_number,
        "when": sms_when(hearing.scheduled_at),
        "portal_url": _portal_url(),
    }
    if hearing.kind == HearingKind.ONLINE:
        return "courtcases.hearing_scheduled_online", fields
    return "courtcases.hearing_scheduled_in_person", {**fields, "courtroom": hearing.courtroom}


# --- scheduling ---------------------------------------------------------------------------------


def _party_participants(
    errors: Errors, court_case: CourtCase, party_ids: Sequence[int] | None
) -> list[HearingParticipant]:
    parties = list(
        CaseParty.objects.filter(court_case=court_case).select_related("enterprise").order_by("id")
    )
    if party_ids is not None:
        wanted = set(party_ids)
        unknown = wanted - {party.pk for party in parties}
        if unknown:
            _add(errors, "party_ids", "所选当事人不属于本案")
        parties = [party for party in parties if party.pk in wanted]
    # The phone on file: the person's (primary first), or an enterprise's contact person's.
    person_of = {
        party.pk: party.person_id
        or (party.enterprise.contact_person_id if party.enterprise is not None else None)
        for party in parties
    }
    phones: dict[int, tuple[str, str]] = {}
    rows = (
        PersonPhone.objects.filter(person_id__in={p for p in person_of.values() if p})
        .order_by("person_id", "-is_primary", "id")
        .values_list("person_id", "number_encrypted", "number_masked")
    )
    for person_id, encrypted, masked in rows:
        phones.setdefault(person_id, (encrypted, masked))
    participants = []
    for party in parties:
        encrypted, masked = phones.get(person_of[party.pk] or 0, ("", ""))
        participants.append(
            HearingParticipant(
                role=ParticipantRole.PARTY,
                name=party.name[:PARTICIPANT_NAME_MAX],
                case_party=party,
                phone_encrypted=encrypted,
                phone_masked=masked,
            )
        )
    return participants


def _other_participants(
    errors: Errors, others: Sequence[ParticipantInput]
) -> list[HearingParticipant]:
    if len(others) > OTHER_PARTICIPANTS_MAX:
        _add(errors, "other_participants", f"其他参加人不能超过{OTHER_PARTICIPANTS_MAX}人")
        return []
    allowed = {ParticipantRole.AGENT, ParticipantRole.WITNESS, ParticipantRole.OTHER}
    participants = []
    for number, other in enumerate(others, start=1):
        where = f"第{number}位其他参加人"
        if other.role not in allowed:
            _add(errors, "other_participants", f"{where}的身份应为诉讼代理人、证人或其他")
        name = _text(errors, "other_participants", f"{where}的姓名", other.name, limit=50)
        if not name:
            _add(errors, "other_participants", f"请填写{where}的姓名")
        mobile = ""
        if other.mobile.strip():
            try:
                mobile = normalize_mobile(other.mobile[:40])
            except ValidationError:
                _add(errors, "other_participants", f"{where}的手机号码无效")
        participants.append(
            HearingParticipant(
                role=other.role,
                name=name,
                phone_encrypted=encrypt_text(mobile) if mobile else "",
                phone_masked=mask_mobile(mobile) if mobile else "",
            )
        )
    return participants


def hearing_schedule(
    *,
    actor: User,
    court_case: CourtCase,
    hearing_kind: str,
    hearing_at: datetime | None,
    duration_minutes: int | None = 60,
    hearing_link: str = "",
    courtroom: str = "",
    party_ids: Sequence[int] | None = None,
    others: Sequence[ParticipantInput] = (),
    now: datetime | None = None,
) -> Hearing:
    """Schedule a hearing of ``court_case``; ``party_ids`` None summons every party."""
    _require_manager(actor, court_case)
    now = now or timezone.now()
    errors: Errors = {}
    if court_case.stage == CaseStage.CLOSED:
        raise ValidationFailed("案件已结案，不能安排庭审", code="case_closed")
    if hearing_kind not in HearingKind.values:
        _add(errors, "hearing_kind", "请选择开庭方式")
    at = _check_time(errors, "hearing_at", hearing_at, now=now)
    if duration_minutes is None or not (
        DURATION_MIN_MINUTES <= duration_minutes <= DURATION_MAX_MINUTES
    ):
        _add(
            errors,
            "duration_minutes",
            f"预计时长应为{DURATION_MIN_MINUTES}至{DURATION_MAX_MINUTES}分钟",
        )
    courtroom = _text(errors, "courtroom", "法庭名称", courtroom, limit=COURTROOM_MAX)
    link = ""
    if hearing_kind == HearingKind.ONLINE:
        link, problem = clean_hearing_link(hearing_link)
        if problem:
            _add(errors, "hearing_link", problem)
    elif hearing_kind == HearingKind.IN_PERSON and not courtroom:
        _add(errors, "courtroom", "现场开庭请填写法庭名称")
    participants = _party_participants(errors, court_case, party_ids)
    participants += _other_participants(errors, others)
    if not participants and "party_ids" not in errors:
        _add(errors, "party_ids", "请至少选择一名参加人")
    _raise_if(errors, "庭审安排有误")
    assert at is not None and duration_minutes is not None
    with transaction.atomic():
        CourtCase.objects.select_for_update().filter(pk=court_case.pk).first()  # one at a time
        if Hearing.objects.filter(
            court_case=court_case, status=HearingStatus.SCHEDULED, scheduled_at=at
        ).exists():
            message = "本案在该时间已安排庭审"
            raise ValidationFailed(
                message, code="hearing_duplicate", fields={"hearing_at": [message]}
            )
        hearing = _hearing_create(
            actor=actor,
            court_case=court_case,
            kind=hearing_kind,
            at=at,
            duration_minutes=duration_minutes,
            link=link,
            courtroom=courtroom,
            participants=participants,
        )
        template, fields = _scheduled_fields(hearing)
        sent = _notify(hearing=hearing, template=template, fields=fields, key="scheduled")
        event_record(
            subject=court_case,
            verb="hearing_scheduled",
            actor=actor,
            data=_scheduled_data(hearing, participants=len(participants), sms=sent),
        )
    return hearing


def _hearing_create(
    *,
    actor: User,
    court_case: CourtCase,
    kind: str,
    at: datetime,
    duration_minutes: int,
    link: str,
    courtroom: str,
    participants: list[HearingParticipant],
    postponed_from: Hearing | None = None,
) -> Hearing:
    hearing = Hearing.objects.create(
        court_case=court_case,
        kind=kind,
        scheduled_at=at,
        duration_minutes=duration_minutes,
        hearing_link=link,
        courtroom=courtroom,
        presiding_judge_id=court_case.judge_id,
        clerk_id=court_case.clerk_id,
        postponed_from=postponed_from,
        created_by=actor,
    )
    for participant in participants:
        participant.hearing = hearing
    HearingParticipant.objects.bulk_create(participants)
    return hearing


def _scheduled_data(hearing: Hearing, *, participants: int, sms: int) -> dict[str, Any]:
    return {
        "hearing_id": hearing.pk,
        "kind": hearing.kind,
        "scheduled_at": hearing.scheduled_at.isoformat(),
        "courtroom": hearing.courtroom,
        "participants": participants,
        "sms": sms,
        "warnings": hearing_time_warnings(hearing.scheduled_at, hearing.duration_minutes),
        **({"postponed_from": hearing.postponed_from_id} if hearing.postponed_from_id else {}),
    }


# --- postponing, cancelling, holding ------------------------------------------------------------


def _reason(errors: Errors, value: str, label: str) -> str:
    reason = _text(errors, "reason", label, value, limit=HEARING_REASON_MAX)
    if not reason and "reason" not in errors:
        _add(errors, "reason", f"请填写{label}")
    return reason


def hearing_postpone(
    *,
    actor: User,
    hearing: Hearing,
    reason: str,
    new_hearing_at: datetime | None = None,
    now: datetime | None = None,
) -> Hearing | None:
    """Postpone (延期开庭) with a reason; every participant is told. With ``new_hearing_at`` a
    new hearing (same kind, place and participants) is scheduled, linked to this one, and
    returned; without, the new date is told later (a new hearing scheduled as usual)."""
    _require_manager(actor, hearing.court_case)
    now = now or timezone.now()
    errors: Errors = {}
    reason = _reason(errors, reason, "延期理由")
    at = None
    if new_hearing_at is not None:
        at = _check_time(errors, "new_hearing_at", new_hearing_at, now=now)
    _raise_if(errors, "延期信息有误")
    with transaction.atomic():
        locked = _locked(hearing)
        HEARING_TRANSITIONS.check(locked.status, HearingStatus.POSTPONED)
        if at is not None and at == locked.scheduled_at:
            message = "新的开庭时间与原定时间相同"
            raise ValidationFailed(message, fields={"new_hearing_at": [message]})
        locked.reason = reason
        new_hearing = None
        if at is not None:
            new_hearing = _hearing_create(
                actor=actor,
                court_case=locked.court_case,
                kind=locked.kind,
                at=at,
                duration_minutes=locked.duration_minutes,
                link=locked.hearing_link,
                courtroom=locked.courtroom,
                participants=[
                    HearingParticipant(
                        role=participant.role,
                        name=participant.name,
                        case_party_id=participant.case_party_id,
                        phone_encrypted=participant.phone_encrypted,
                        phone_masked=participant.phone_masked,
                    )
                    for participant in locked.participants.order_by("id")
                ],
                postponed_from=locked,
            )
        new_time = f"至{sms_when(at)}" if at is not None else "，开庭时间另行通知"
        sent = _notify(
            hearing=locked,
            template="courtcases.hearing_postponed",
            fields={
                "case_number": locked.court_case.case_number,
                "when": sms_when(locked.scheduled_at, with_year=False),
                "new_time": new_time,
                "portal_url": _portal_url(),
            },
            key="postponed",
        )
        hearing_status_set(
            hearing=locked,
            to_status=HearingStatus.POSTPONED,
            actor=actor,
            verb="hearing_postponed",
            reason=reason,
            data={
                "scheduled_at": locked.scheduled_at.isoformat(),
                "new_hearing_id": new_hearing.pk if new_hearing else None,
                "new_scheduled_at": at.isoformat() if at else None,
                "sms": sent,
            },
            update_fields=["reason"],
        )
        if new_hearing is not None:
            # The new hearing's own record: its participants were told by the text above.
            event_record(
                subject=locked.court_case,
                verb="hearing_scheduled",
                actor=actor,
                data=_scheduled_data(
                    new_hearing, participants=new_hearing.participants.count(), sms=0
                ),
            )
    return new_hearing


def hearing_cancel(*, actor: User, hearing: Hearing, reason: str) -> Hearing:
    """Cancel a scheduled hearing with a reason (the case was withdrawn, settled …); every
    participant is told."""
    _require_manager(actor, hearing.court_case)
    errors: Errors = {}
    reason = _reason(errors, reason, "取消理由")
    _raise_if(errors, "取消信息有误")
    with transaction.atomic():
        locked = _locked(hearing)
        HEARING_TRANSITIONS.check(locked.status, HearingStatus.CANCELLED)
        locked.reason = reason
        sent = _notify(
            hearing=locked,
            template="courtcases.hearing_cancelled",
            fields={
                "case_number": locked.court_case.case_number,
                "when": sms_when(locked.scheduled_at, with_year=False),
                "portal_url": _portal_url(),
            },
            key="cancelled",
        )
        hearing_status_set(
            hearing=locked,
            to_status=HearingStatus.CANCELLED,
            actor=actor,
            verb="hearing_cancelled",
            reason=reason,
            data={"scheduled_at": locked.scheduled_at.isoformat(), "sms": sent},
            update_fields=["reason"],
        )
    return locked


def hearing_hold(*, actor: User, hearing: Hearing, now: datetime | None = None) -> Hearing:
    """The hearing took place (not before its time): attendance can then be recorded."""
    _require_manager(actor, hearing.court_case)
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(hearing)
        HEARING_TRANSITIONS.check(locked.status, HearingStatus.HELD)
        if locked.scheduled_at > now:
            raise ValidationFailed(
                f"庭审定于{sms_when(locked.scheduled_at)}开始，开庭后才能确认",
                code="hearing_not_begun",
            )
        locked.held_at = now
        hearing_status_set(
            hearing=locked,
            to_status=HearingStatus.HELD,
            actor=actor,
            verb="hearing_held",
            data={"scheduled_at": locked.scheduled_at.isoformat()},
            update_fields=["held_at"],
        )
    return locked


def hearing_attendance_record(
    *,
    actor: User,
    hearing: Hearing,
    attendance: Mapping[int, str],
    now: datetime | None = None,
) -> Hearing:
    """Who came (到庭), who did not (缺席) and who was excused (请假): recorded after the
    hearing was held, for every participant; a second record corrects the first."""
    _require_manager(actor, hearing.court_case)
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(hearing)
        if locked.status != HearingStatus.HELD:
            raise ValidationFailed("确认开庭后才能记录到庭情况", code="hearing_not_held")
        participants = list(locked.participants.order_by("id"))
        errors: Errors = {}
        known = {participant.pk for participant in participants}
        if set(attendance) - known:
            _add(errors, "attendance", "参加人不属于该庭审")
        if known - set(attendance):
            _add(errors, "attendance", "请记录每位参加人的到庭情况")
        if any(value not in Attendance.values for value in attendance.values()):
            _add(errors, "attendance", "到庭情况应为到庭、缺席或请假未到庭")
        _raise_if(errors, "到庭情况有误")
        corrected = locked.attendance_recorded_at is not None
        for participant in participants:
            participant.attendance = attendance[participant.pk]
        HearingParticipant.objects.bulk_update(participants, ["attendance"])
        locked.attendance_recorded_at = now
        locked.save(update_fields=["attendance_recorded_at", "updated_at"])
        counts = {
            value: sum(1 for p in participants if p.attendance == value)
            for value in Attendance.values
        }
        event_record(
            subject=locked.court_case,
            verb="hearing_attendance_corrected" if corrected else "hearing_attendance_recorded",
            actor=actor,
            data={"hearing_id": locked.pk, **counts},
        )
    return locked


# --- the day-before reminder --------------------------------------------------------------------


def hearing_reminders_send(*, now: datetime | None = None) -> int:
    """Remind every participant of tomorrow's hearings (Beijing dates), between 9:00 and
    20:00. Once per hearing: ``reminder_sent_at`` is set in the transaction that enqueues the
    texts, under the hearing's row lock; the outbox's dedupe key holds it per participant even
    if two runs raced. Returns how many hearings were reminded."""
    now = now or timezone.now()
    moment = local(now)
    if not REMINDER_FROM <= moment.time() < REMINDER_UNTIL:
        return 0
    start = datetime.combine(moment.date() + timedelta(days=1), time.min, tzinfo=SHANGHAI)
    due = list(
        Hearing.objects.filter(
            status=HearingStatus.SCHEDULED,
            reminder_sent_at__isnull=True,
            scheduled_at__gte=start,
            scheduled_at__lt=start + timedelta(days=1),
        )
        .order_by("scheduled_at", "id")
        .values_list("pk", flat=True)
    )
    reminded = 0
    for pk in due:
        with transaction.atomic():
            hearing = (
                Hearing.objects.select_for_update(of=("self",))
                .select_related("court_case", "court_case__court")
                .filter(pk=pk, status=HearingStatus.SCHEDULED, reminder_sent_at__isnull=True)
                .first()
            )
            if hearing is None:
                continue  # postponed, cancelled or reminded meanwhile
            fields = {
                "case_number": hearing.court_case.case_number,
                "time": f"{local(hearing.scheduled_at):%H:%M}",
                "portal_url": _portal_url(),
            }
            if hearing.kind == HearingKind.ONLINE:
                template = "courtcases.hearing_reminder_online"
            else:
                template = "courtcases.hearing_reminder_in_person"
                fields["courtroom"] = hearing.courtroom
            sent = _notify(hearing=hearing, template=template, fields=fields, key="reminder")
            hearing.reminder_sent_at = now
            hearing.save(update_fields=["reminder_sent_at", "updated_at"])
            event_record(
                subject=hearing.court_case,
                verb="hearing_reminded",
                actor=SYSTEM_ACTOR,
                data={"hearing_id": hearing.pk, "sms": sent},
            )
            reminded += 1
    return reminded
