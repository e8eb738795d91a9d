"""Mediation sessions: scheduled online (a link to an external video system, https only) or in
person (a place), the parties told by SMS through the outbox at once and again the day before
(``session_reminders_send``, run by the periodic task), then recorded as held or not.

The parties' phones stay encrypted on the filing; ``common.party_mobiles`` decrypts them only to
put the text in the outbox.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from youjie.core.errors import PermissionDenied
from youjie.core.timeline import event_record
from youjie.mediation import deadlines
from youjie.mediation.choices import MediationStatus, SessionKind, SessionStatus
from youjie.mediation.models import (
    PLACE_MAX,
    TEXT_MAX,
    URL_MAX,
    Mediation,
    MediationSession,
)
from youjie.mediation.permissions import can_conduct
from youjie.mediation.services.common import (
    Errors,
    add_error,
    clean_text,
    moment_text,
    raise_if_errors,
    refuse_state,
    session_status_set,
    shorten,
    sms_to_parties,
)
from youjie.orgs.models import User
from youjie.workdays.calendar import SHANGHAI

SCHEDULE_MAX_DAYS = 180
SYSTEM = "系统"
_HTTPS_ONLY = URLValidator(schemes=["https"])
PLACE_IN_TEXT = 30


def _check_link(errors: Errors, url: str) -> str:
    url = clean_text(errors, "video_url", "视频会议链接", url, max_length=URL_MAX, required=True)
    if not url or errors.get("video_url"):
        return url
    if not url.lower().startswith("https://"):
        add_error(errors, "video_url", "视频会议链接须以 https:// 开头")
        return url
    try:
        _HTTPS_ONLY(url)
    except DjangoValidationError:
        add_error(errors, "video_url", "视频会议链接不是有效的网址")
    return url


def _where(session: MediationSession) -> str:
    if session.kind == SessionKind.ONLINE:
        return "在线进行，请按时进入视频会议：" + session.video_url
    return f"在{shorten(session.place, PLACE_IN_TEXT)}进行，请按时到场。"


def session_schedule(
    *,
    actor: User,
    mediation: Mediation,
    kind: str,
    scheduled_at: datetime | None,
    video_url: str = "",
    place: str = "",
) -> MediationSession:
    """A session in the future, before the mediation's due date; the parties are told by SMS."""
    if not can_conduct(actor, mediation):
        raise PermissionDenied("只有被委派的调解员可以安排调解")
    if mediation.status != MediationStatus.ACCEPTED or mediation.due_on is None:
        raise refuse_state("调解", MediationStatus(mediation.status).label)
    errors: Errors = {}
    now = timezone.now()
    if kind not in SessionKind.values:
        add_error(errors, "kind", "请选择调解方式")
    if scheduled_at is None:
        add_error(errors, "scheduled_at", "请填写调解时间")
    elif timezone.is_naive(scheduled_at):
        add_error(errors, "scheduled_at", "调解时间须带时区")
    elif scheduled_at <= now:
        add_error(errors, "scheduled_at", "调解时间应晚于现在")
    elif scheduled_at > now + timedelta(days=SCHEDULE_MAX_DAYS):
        add_error(errors, "scheduled_at", f"调解时间不能晚于今天起{SCHEDULE_MAX_DAYS}日")
    elif deadlines.local_date(scheduled_at) > mediation.due_on:
        add_error(
            errors,
            "scheduled_at",
            f"调解时间不能晚于调解期限（{mediation.due_on:%Y-%m-%d}），"
            "需要延长的，请先经各方当事人同意延长期限",
        )
    if kind == SessionKind.ONLINE:
        video_url = _check_link(errors, video_url)
        place = clean_text(errors, "place", "调解地点", place, max_length=PLACE_MAX)
    else:
        place = clean_text(errors, "place", "调解地点", place, max_length=PLACE_MAX, required=True)
        video_url = ""
    raise_if_errors(errors, "不能安排调解")
    assert scheduled_at is not None
    with transaction.atomic():
        session = MediationSession.objects.create(
            mediation=mediation,
            kind=kind,
            scheduled_at=scheduled_at,
            video_url=video_url,
            place=place,
            scheduled_by=actor,
        )
        data = {
            "session": session.pk,
            "kind": kind,
            "scheduled_at": timezone.localtime(scheduled_at, SHANGHAI).isoformat(),
        }
        event_record(
            subject=session, verb="scheduled", actor=actor, to_state=session.status, data=data
        )
        told = sms_to_parties(
            mediation=mediation,
            body=(
                f"您的纠纷诉前调解（{mediation.number}）定于{moment_text(scheduled_at)}"
                f"{_where(session)}"
            ),
            key=f"session_scheduled:{session.pk}",
            about=session,
        )
        event_record(
            subject=mediation,
            verb="session_scheduled",
            actor=actor,
            data={**data, "notified": told},
        )
    return session


def session_record(
    *, actor: User, session: MediationSession, held: bool, notes: str
) -> MediationSession:
    """Whether the session took place, with what happened (or why not)."""
    mediation = session.mediation
    if not can_conduct(actor, mediation):
        raise PermissionDenied("只有被委派的调解员可以记录调解情况")
    if session.status != SessionStatus.SCHEDULED:
        raise refuse_state("调解会议", SessionStatus(session.status).label)
    errors: Errors = {}
    now = timezone.now()
    if held and session.scheduled_at > now:
        add_error(errors, "held", "调解时间未到，不能登记为已进行")
    notes = clean_text(errors, "notes", "调解情况", notes, max_length=TEXT_MAX, required=True)
    raise_if_errors(errors, "不能记录调解情况")
    to_status = SessionStatus.HELD if held else SessionStatus.NOT_HELD
    with transaction.atomic():
        session.notes = notes
        session.recorded_by = actor
        session.recorded_at = now
        session_status_set(
            session=session,
            to_status=to_status,
            actor=actor,
            verb="recorded",
            reason=notes if not held else "",
            update_fields=["notes", "recorded_by", "recorded_at"],
        )
        event_record(
            subject=mediation,
            verb="session_held" if held else "session_not_held",
            actor=actor,
            reason=notes,
            data={"session": session.pk},
        )
    return session


def sessions_to_remind(now: datetime) -> list[MediationSession]:
    """Scheduled sessions of mediations under way that take place tomorrow (Beijing time) and
    have not been reminded of."""
    tomorrow = deadlines.local_date(now) + timedelta(days=1)
    start = datetime.combine(tomorrow, datetime.min.time(), tzinfo=SHANGHAI)
    return list(
        MediationSession.objects.filter(
            status=SessionStatus.SCHEDULED,
            reminded_at__isnull=True,
            scheduled_at__gte=start,
            scheduled_at__lt=start + timedelta(days=1),
            mediation__status=MediationStatus.ACCEPTED,
        )
        .select_related("mediation__court", "mediation__filing")
        .order_by("scheduled_at", "id")
    )


def session_reminders_send(*, now: datetime | None = None) -> int:
    """The day-before reminders: one SMS per party mobile and session, each session claimed
    with a compare-and-set (``reminded_at`` from NULL) so that two runs never send twice."""
    moment = now or timezone.now()
    sent = 0
    for session in sessions_to_remind(moment):
        with transaction.atomic():
            claimed = MediationSession.objects.filter(
                pk=session.pk, reminded_at__isnull=True
            ).update(reminded_at=moment)
            if not claimed:
                continue
            mediation = session.mediation
            local = timezone.localtime(session.scheduled_at, SHANGHAI)
            told = sms_to_parties(
                mediation=mediation,
                body=f"提醒：诉前调解（{mediation.number}）明天{local:%H:%M}{_where(session)}",
                key=f"session_reminder:{session.pk}",
                about=session,
            )
            event_record(
                subject=mediation,
                verb="session_reminded",
                actor=SYSTEM,
                data={"session": session.pk, "notified": told},
            )
        sent += 1
    return sent
