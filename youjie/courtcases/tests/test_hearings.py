"""Hearings (互联网+庭审) through their services: scheduling with a text to every participant,
postponement, cancellation, holding, attendance, the day-before reminder, and who may write."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
import time_machine

from conftest import make_user
from youjie.core.crypto import decrypt_text
from youjie.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from youjie.core.models import Event
from youjie.courtcases import tasks
from youjie.courtcases.choices import Attendance, HearingKind, HearingStatus, ParticipantRole
from youjie.courtcases.hearings import (
    ParticipantInput,
    hearing_attendance_record,
    hearing_cancel,
    hearing_hold,
    hearing_postpone,
    hearing_reminders_send,
    hearing_schedule,
    hearing_time_warnings,
)
from youjie.courtcases.models import CourtCase, Hearing, HearingParticipant
from youjie.courtcases.tests.hearingworld import (
    DEFENDANT_MOBILE,
    LINK,
    NOW,
    PLAINTIFF_MOBILE,
    beijing,
    civil_case,
)
from youjie.notifications.models import Notification
from youjie.orgs.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def clerk(org_tree: None) -> User:
    return make_user("clerk_zhao", "clerk", "BT-BYEB-MS", "赵晓")


@pytest.fixture
def court_case(receptionist: User, judge: User, clerk: User) -> CourtCase:
    return civil_case(receptionist=receptionist, judge=judge, clerk=clerk)


def schedule_online(actor: User, court_case: CourtCase, **overrides: object) -> Hearing:
    arguments: dict[str, object] = {
        "actor": actor,
        "court_case": court_case,
        "hearing_kind": HearingKind.ONLINE,
        "hearing_at": beijing(12, 8, 9, 30),
        "duration_minutes": 90,
        "hearing_link": LINK,
        "others": [
            ParticipantInput(role=ParticipantRole.AGENT, name="王律师", mobile="139 0000 1111"),
            ParticipantInput(role=ParticipantRole.WITNESS, name="刘某"),
        ],
    }
    arguments.update(overrides)
    return hearing_schedule(**arguments)  # type: ignore[arg-type]


def texts(hearing: Hearing) -> list[Notification]:
    return list(
        Notification.objects.filter(
            subject_type="courtcases.hearing", subject_id=str(hearing.pk)
        ).order_by("id")
    )


def case_verbs(court_case: CourtCase) -> list[str]:
    return list(
        Event.objects.filter(subject_type="courtcases.courtcase", subject_id=str(court_case.pk))
        .order_by("id")
        .values_list("verb", flat=True)
    )


# --- scheduling -----------------------------------------------------------------------------


def test_schedule_texts_every_participant_with_a_phone_and_writes_the_case_event(
    judge: User, court_case: CourtCase
) -> None:
    hearing = schedule_online(judge, court_case)

    participants = list(hearing.participants.order_by("id"))
    assert [(p.role, p.name) for p in participants] == [
        (ParticipantRole.PARTY, "张三501"),
        (ParticipantRole.PARTY, "李四501"),
        (ParticipantRole.AGENT, "王律师"),
        (ParticipantRole.WITNESS, "刘某"),
    ]
    # Phones encrypted, masked for display; the witness has none.
    assert [p.phone_masked for p in participants] == [
        "138****0001",
        "138****0002",
        "139****1111",
        "",
    ]
    assert PLAINTIFF_MOBILE not in participants[0].phone_encrypted
    assert decrypt_text(participants[0].phone_encrypted) == PLAINTIFF_MOBILE

    sent = texts(hearing)
    recipients = [decrypt_text(row.recipient_encrypted) for row in sent]
    assert recipients == [PLAINTIFF_MOBILE, DEFENDANT_MOBILE, "13900001111"]
    body = sent[0].body
    assert body.startswith("【")
    assert "（2026）内0206民初501号定于2026年12月8日09:30在线开庭" in body
    assert body.endswith("/portal/cases/")
    assert LINK not in body  # the link is read on the portal after the phone check
    assert {row.template_key for row in sent} == {"courtcases.hearing_scheduled_online"}

    event = Event.objects.get(verb="hearing_scheduled")
    assert (event.subject_type, event.subject_id) == ("courtcases.courtcase", str(court_case.pk))
    assert event.actor_id == judge.pk
    assert event.data["hearing_id"] == hearing.pk
    assert (event.data["participants"], event.data["sms"], event.data["warnings"]) == (4, 3, [])
    assert (hearing.presiding_judge_id, hearing.clerk_id) == (judge.pk, court_case.clerk_id)


def test_in_person_text_names_the_courtroom(judge: User, court_case: CourtCase) -> None:
    hearing = hearing_schedule(
        actor=judge,
        court_case=court_case,
        hearing_kind=HearingKind.IN_PERSON,
        hearing_at=beijing(12, 14, 14, 30),
        courtroom="第一审判庭",
        party_ids=[court_case.parties.order_by("id").first().pk],  # type: ignore[union-attr]
    )
    assert hearing.hearing_link == ""
    sent = texts(hearing)
    assert len(sent) == 1  # only the plaintiff was summoned
    assert "定于2026年12月14日14:30在第一审判庭开庭，请准时到庭" in sent[0].body


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"hearing_link": "http://ting.court.example.cn/room/1"}, "hearing_link"),
        ({"hearing_link": "https://user:secret@ting.example.cn/r"}, "hearing_link"),
        ({"hearing_link": "javascript:alert(1)"}, "hearing_link"),
        ({"hearing_link": "https://ting.example.cn/a b"}, "hearing_link"),
        ({"hearing_link": "https://" + "a" * 500 + ".cn"}, "hearing_link"),
        ({"hearing_link": ""}, "hearing_link"),
        ({"hearing_kind": HearingKind.IN_PERSON, "courtroom": ""}, "courtroom"),
        ({"hearing_kind": "video"}, "hearing_kind"),
        ({"hearing_at": NOW - timedelta(minutes=1)}, "hearing_at"),
        ({"hearing_at": NOW}, "hearing_at"),
        ({"hearing_at": NOW + timedelta(days=367)}, "hearing_at"),
        ({"hearing_at": None}, "hearing_at"),
        ({"duration_minutes": 5}, "duration_minutes"),
        ({"duration_minutes": 481}, "duration_minutes"),
        ({"party_ids": [10**9]}, "party_ids"),
        ({"party_ids": [], "others": []}, "party_ids"),
        (
            {"others": [ParticipantInput(role=ParticipantRole.PARTY, name="冒充")]},
            "other_participants",
        ),
        (
            {"others": [ParticipantInput(role="agent", name="王", mobile="12345")]},
            "other_participants",
        ),
        ({"others": [ParticipantInput(role="agent", name="")]}, "other_participants"),
        ({"others": [ParticipantInput(role="agent", name="王")] * 21}, "other_participants"),
    ],
)
def test_bad_schedules_are_refused_and_write_nothing(
    judge: User, court_case: CourtCase, overrides: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        schedule_online(judge, court_case, **overrides)
    assert field in refused.value.fields
    assert all("\u4e00" <= text[0] <= "\u9fff" for text in refused.value.fields[field])
    assert not Hearing.objects.exists()
    assert not Notification.objects.exists()
    assert not Event.objects.filter(verb__startswith="hearing").exists()


def test_a_time_outside_working_hours_is_a_warning_not_an_error(
    judge: User, court_case: CourtCase
) -> None:
    saturday_evening = beijing(12, 12, 19, 0)
    hearing = schedule_online(judge, court_case, hearing_at=saturday_evening)
    warnings = hearing_time_warnings(hearing.scheduled_at, hearing.duration_minutes)
    assert warnings == ["12月12日不是工作日", "开庭时间不在工作时间（08:00—18:00）内"]
    assert Event.objects.get(verb="hearing_scheduled").data["warnings"] == warnings
    assert hearing_time_warnings(beijing(12, 8, 9, 0), 60) == []
    assert hearing_time_warnings(beijing(12, 8, 17, 30), 60) != []  # ends past 18:00


def test_the_same_time_twice_is_refused(judge: User, court_case: CourtCase) -> None:
    schedule_online(judge, court_case)
    with pytest.raises(ValidationFailed) as refused:
        schedule_online(judge, court_case)
    assert refused.value.code == "hearing_duplicate"
    assert Hearing.objects.count() == 1


def test_a_closed_case_gets_no_hearing(judge: User, court_case: CourtCase) -> None:
    court_case.stage = "closed"
    court_case.save(update_fields=["stage"])
    with pytest.raises(ValidationFailed) as refused:
        schedule_online(judge, court_case)
    assert refused.value.code == "case_closed"


# --- who may write --------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["judge", "clerk", "division_head", "court_leader"])
def test_the_case_judge_clerk_division_head_and_court_leader_may_schedule(
    request: pytest.FixtureRequest, court_case: CourtCase, persona: str
) -> None:
    actor = request.getfixturevalue(persona)
    hearing = schedule_online(actor, court_case)
    assert hearing.created_by_id == actor.pk


def test_others_may_not_schedule_or_change(
    request: pytest.FixtureRequest,
    judge: User,
    other_judge: User,
    receptionist: User,
    city_officer: User,
    court_case: CourtCase,
) -> None:
    criminal_judge = make_user("judge_xs", "judge", "BT-BYEB-XS", "孟刚")
    criminal_head = make_user("divhead_xs", "division_head", "BT-BYEB-XS", "白雪")
    qingshan_leader = make_user("qs_leader", "court_leader", "BT-QS-FY", "乔山")
    hearing = schedule_online(judge, court_case)
    outsiders = [
        criminal_judge,  # a judge of another division
        criminal_head,  # the head of another division
        other_judge,  # same division, not this case's judge
        receptionist,
        city_officer,
        qingshan_leader,  # a leader of another court
    ]
    for outsider in outsiders:
        with pytest.raises(PermissionDenied):
            schedule_online(outsider, court_case, hearing_at=beijing(12, 9, 9, 30))
        with pytest.raises(PermissionDenied):
            hearing_postpone(actor=outsider, hearing=hearing, reason="另有安排")
        with pytest.raises(PermissionDenied):
            hearing_cancel(actor=outsider, hearing=hearing, reason="撤诉")
    assert Hearing.objects.count() == 1
    assert Hearing.objects.get().status == HearingStatus.SCHEDULED


# --- postponement and cancellation ----------------------------------------------------------


def test_postponing_with_a_new_time_schedules_a_linked_hearing_and_tells_everyone(
    judge: User, court_case: CourtCase
) -> None:
    hearing = schedule_online(judge, court_case)
    new = hearing_postpone(
        actor=judge, hearing=hearing, reason="被告申请延期举证", new_hearing_at=beijing(12, 15, 9)
    )
    hearing.refresh_from_db()
    assert hearing.status == HearingStatus.POSTPONED
    assert hearing.reason == "被告申请延期举证"
    assert new is not None and new.postponed_from_id == hearing.pk
    assert (new.status, new.kind, new.hearing_link) == (HearingStatus.SCHEDULED, "online", LINK)
    assert [(p.name, p.phone_masked) for p in new.participants.order_by("id")] == [
        (p.name, p.phone_masked) for p in hearing.participants.order_by("id")
    ]
    postponed_texts = [row for row in texts(hearing) if row.template_key.endswith("postponed")]
    assert len(postponed_texts) == 3
    assert "原定12月8日09:30的开庭延期至2026年12月15日09:00" in postponed_texts[0].body
    assert not texts(new)  # the postponement text told them the new time
    event = Event.objects.get(verb="hearing_postponed")
    assert (event.from_state, event.to_state, event.reason) == (
        "scheduled",
        "postponed",
        "被告申请延期举证",
    )
    assert event.data["new_hearing_id"] == new.pk
    assert case_verbs(court_case) == ["hearing_scheduled", "hearing_postponed", "hearing_scheduled"]


def test_postponing_needs_a_reason_and_happens_once(judge: User, court_case: CourtCase) -> None:
    hearing = schedule_online(judge, court_case)
    for reason in ("", "   ", "理" * 501, "理由\x00"):
        with pytest.raises(ValidationFailed) as refused:
            hearing_postpone(actor=judge, hearing=hearing, reason=reason)
        assert "reason" in refused.value.fields
    with pytest.raises(ValidationFailed):
        hearing_postpone(actor=judge, hearing=hearing, reason="延期", new_hearing_at=NOW)
    assert Hearing.objects.get().status == HearingStatus.SCHEDULED

    assert hearing_postpone(actor=judge, hearing=hearing, reason="法官另有公务") is None
    postponed = [row for row in texts(hearing) if row.template_key.endswith("postponed")]
    assert "开庭延期，开庭时间另行通知" in postponed[0].body
    with pytest.raises(InvalidTransition):
        hearing_postpone(actor=judge, hearing=hearing, reason="再次延期")
    with pytest.raises(InvalidTransition):
        hearing_cancel(actor=judge, hearing=hearing, reason="撤诉")


def test_cancelling_tells_everyone(judge: User, court_case: CourtCase) -> None:
    hearing = schedule_online(judge, court_case)
    hearing_cancel(actor=judge, hearing=hearing, reason="原告撤诉")
    hearing.refresh_from_db()
    assert (hearing.status, hearing.reason) == (HearingStatus.CANCELLED, "原告撤诉")
    cancelled = [row for row in texts(hearing) if row.template_key.endswith("cancelled")]
    assert len(cancelled) == 3 and "原定12月8日09:30的开庭已取消" in cancelled[0].body


# --- held and attendance --------------------------------------------------------------------


def test_held_only_once_begun_then_attendance_for_every_participant(
    judge: User, clerk: User, court_case: CourtCase
) -> None:
    hearing = schedule_online(judge, court_case)
    with pytest.raises(ValidationFailed) as early:
        hearing_hold(actor=judge, hearing=hearing)
    assert early.value.code == "hearing_not_begun"
    participants = list(hearing.participants.order_by("id"))
    everyone: dict[int, str] = {p.pk: Attendance.PRESENT for p in participants}
    with pytest.raises(ValidationFailed) as not_held:
        hearing_attendance_record(actor=clerk, hearing=hearing, attendance=everyone)
    assert not_held.value.code == "hearing_not_held"

    with time_machine.travel(beijing(12, 8, 9, 35), tick=False):
        hearing_hold(actor=clerk, hearing=hearing)
    hearing.refresh_from_db()
    assert hearing.status == HearingStatus.HELD and hearing.held_at == beijing(12, 8, 9, 35)

    bad: list[dict[int, str]] = [
        {**everyone, 10**9: Attendance.PRESENT},  # not a participant of this hearing
        {p.pk: Attendance.PRESENT for p in participants[:-1]},  # one missing
        {**everyone, participants[0].pk: "late"},
    ]
    for attendance in bad:
        with pytest.raises(ValidationFailed):
            hearing_attendance_record(actor=clerk, hearing=hearing, attendance=attendance)
    assert not HearingParticipant.objects.exclude(attendance="").exists()

    recorded = {
        participants[0].pk: Attendance.PRESENT,
        participants[1].pk: Attendance.ABSENT,
        participants[2].pk: Attendance.PRESENT,
        participants[3].pk: Attendance.ABSENT_WITH_LEAVE,
    }
    hearing_attendance_record(actor=clerk, hearing=hearing, attendance=recorded)
    assert {
        p.pk: p.attendance for p in HearingParticipant.objects.filter(hearing=hearing)
    } == recorded
    event = Event.objects.get(verb="hearing_attendance_recorded")
    assert (event.data["present"], event.data["absent"], event.data["absent_with_leave"]) == (
        2,
        1,
        1,
    )
    hearing_attendance_record(
        actor=judge, hearing=hearing, attendance={**recorded, participants[1].pk: "present"}
    )
    assert Event.objects.filter(verb="hearing_attendance_corrected").count() == 1
    with pytest.raises(InvalidTransition):
        hearing_postpone(actor=judge, hearing=hearing, reason="已开庭不能延期")


# --- the day-before reminder ----------------------------------------------------------------


def test_the_reminder_goes_once_the_day_before_even_when_the_task_runs_twice(
    judge: User, court_case: CourtCase
) -> None:
    tomorrow = schedule_online(judge, court_case, hearing_at=beijing(12, 8, 9, 30))
    later = schedule_online(judge, court_case, hearing_at=beijing(12, 9, 9, 30))
    postponed = schedule_online(judge, court_case, hearing_at=beijing(12, 8, 15, 0))
    hearing_postpone(actor=judge, hearing=postponed, reason="调解中")

    def reminders(hearing: Hearing) -> list[Notification]:
        return [row for row in texts(hearing) if "reminder" in row.template_key]

    with time_machine.travel(beijing(12, 7, 8, 10), tick=False):
        assert hearing_reminders_send() == 0  # not before 9:00
    with time_machine.travel(beijing(12, 7, 10, 7), tick=False):
        tasks.hearing_reminders_task.call_local()
        tasks.hearing_reminders_task.call_local()  # another consumer, the same tick
    with time_machine.travel(beijing(12, 7, 11, 7), tick=False):
        tasks.hearing_reminders_task.call_local()  # the next tick: nothing left to remind
        assert hearing_reminders_send() == 0  # and called directly again

    sent = reminders(tomorrow)
    assert len(sent) == 3  # once per participant with a phone
    assert "提醒：（2026）内0206民初501号将于明天09:30在线开庭" in sent[0].body
    assert not reminders(later) and not reminders(postponed)
    tomorrow.refresh_from_db()
    assert tomorrow.reminder_sent_at == beijing(12, 7, 10, 7)
    assert Event.objects.filter(verb="hearing_reminded").count() == 1

    with time_machine.travel(beijing(12, 8, 10, 7), tick=False):
        assert hearing_reminders_send() == 1  # the next day, the next hearing
    assert len(reminders(later)) == 3


def test_a_reminder_already_enqueued_is_not_sent_twice(judge: User, court_case: CourtCase) -> None:
    """Two runs racing past the hearing's row lock still enqueue one text per participant."""
    hearing = schedule_online(judge, court_case, hearing_at=beijing(12, 8, 9, 30))
    with time_machine.travel(beijing(12, 7, 10, 7), tick=False):
        hearing_reminders_send()
        Hearing.objects.filter(pk=hearing.pk).update(reminder_sent_at=None)  # as if lost
        hearing_reminders_send()
    assert len([row for row in texts(hearing) if "reminder" in row.template_key]) == 3
