"""Meetings: the 三日一研究 calendar counted in working days over a holiday, its agenda's
sections on a frozen clock, generated once by the periodic task; dispatch meetings taking
matters one by one, their decisions as tasks with events, done or overdue; who sees what."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
import time_machine

from youjie.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from youjie.core.models import Event
from youjie.core.timeline import timeline_for
from youjie.notifications.models import Notification
from youjie.petitions import selectors, services, tasks
from youjie.petitions.choices import MeetingKind, MeetingStatus, MeetingTaskStatus
from youjie.petitions.models import MeetingTask, PetitionMatter, ReviewMeeting

from .conftest import NOW, SHANGHAI, assign, make_matter, make_person, unit

pytestmark = pytest.mark.django_db

# 2026: 中秋 on Friday 25 September, 国庆 from Thursday 1 to Wednesday 7 October, Saturday 10
# October a make-up working day (the bundled calendar).
START = "2026-09-29"  # a Tuesday: the first review day


def at(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _review_settings(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.YOUJIE_PETITIONS_REVIEW_START = START
    settings.YOUJIE_PETITIONS_REVIEW_TIME = "08:30"
    settings.YOUJIE_PETITIONS_REVIEW_OFFICES = ["BT-ZXB"]


@pytest.fixture
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def verbs(record: Any) -> list[str]:
    return [event.verb for event in timeline_for(record)]


def matter_events(matter: PetitionMatter, verb: str) -> list[Event]:
    return list(
        Event.objects.filter(
            subject_type="petitions.petitionmatter", subject_id=str(matter.pk), verb=verb
        )
    )


# --- the 三日一研究 calendar ------------------------------------------------------------------


def test_the_review_falls_on_every_third_working_day_counted_over_the_holiday(db):
    due = {
        day: services.review_day_is_due(day)
        for day in (date(2026, 9, 28) + timedelta(days=offset) for offset in range(17))
    }
    assert [day for day, is_due in due.items() if is_due] == [
        date(2026, 9, 29),  # the start
        date(2026, 10, 9),  # 30 Sep, (holiday 1–7 Oct), 8 Oct, 9 Oct: the third working day
        date(2026, 10, 13),  # 10 Oct (a Saturday worked), 12 Oct, 13 Oct
    ]
    assert services.review_next_day(date(2026, 9, 30)) == date(2026, 10, 9)
    assert services.review_next_day(date(2026, 10, 10)) == date(2026, 10, 13)
    # Before the start nothing is due.
    assert not services.review_day_is_due(date(2026, 9, 28))


def test_the_agenda_lists_each_section_from_the_data_on_the_third_working_day(
    city_officer, lead_official, case_handler, department_liaison
):
    # Matter "stalled": last progress on Monday 28 September, the working day before the
    # three whole working days (29, 30 September, 8 October) that precede 9 October.
    with time_machine.travel(at(2026, 9, 28, 15), tick=False):
        petitioner = make_person(city_officer, "李四")
        stalled = assign(
            city_officer,
            make_matter(
                city_officer,
                region_code="150206",
                title="三日无进展的事项",
                petitioner=petitioner,
                received_on=date(2026, 9, 21),
            ),
            lead=lead_official,
            handler=case_handler,
        )
    # Matter "moving": progress on 29 September (the third working day back) is recent enough.
    with time_machine.travel(at(2026, 9, 29, 10), tick=False):
        moving = assign(
            city_officer,
            make_matter(
                city_officer,
                region_code="150206",
                title="有进展的事项",
                petitioner=make_person(city_officer, "王五"),
                received_on=date(2026, 9, 21),
            ),
            lead=lead_official,
            handler=case_handler,
        )
        letter = services.letter_send(
            actor=city_officer,
            letter=services.letter_create(
                actor=city_officer,
                recipient_unit=unit("150206-ZXB"),
                matters=[moving],
                requirements="请于国庆前报送核查情况。",
                due_on=date(2026, 9, 30),
            ),
        )
        services.coordination_request_send(
            actor=case_handler,
            matter=moving,
            department=unit("BT-ZJJ"),
            liaison=department_liaison,
            request_text="请协调解决安置房产权登记问题",
            workdays=2,
        )
        services.aid_apply(
            actor=case_handler,
            matter=moving,
            person=moving.petitioners.get(),
            kind="temporary",
            amount=Decimal("3000.00"),
            reason="家庭生活困难，申请临时救助",
        )
        meeting = services.meeting_create(
            actor=city_officer, title="百日攻坚第一次调度会", held_on=date(2026, 9, 29)
        )
        services.meeting_task_create(
            actor=city_officer,
            meeting=meeting,
            matter=moving,
            description="约见信访人释法说理",
            owner=lead_official,
            due_on=date(2026, 9, 30),
        )
    moving.refresh_from_db()
    assert moving.last_progress_at >= at(2026, 9, 29, 10)

    # The periodic task: nothing before the set time, nothing on a day that is not due.
    assert services.review_agendas_generate_if_due(now=at(2026, 10, 9, 8, 0)) == []
    assert services.review_agendas_generate_if_due(now=at(2026, 10, 8, 9, 0)) == []
    with time_machine.travel(at(2026, 10, 9, 8, 30), tick=False):
        assert tasks.petitions_review_agenda.call_local() == 1
        assert tasks.petitions_review_agenda.call_local() is None  # the same tick, claimed
    (review,) = ReviewMeeting.objects.filter(kind=MeetingKind.THREE_DAY)
    assert (review.held_on, review.office.code, review.status) == (
        date(2026, 10, 9),
        "BT-ZXB",
        MeetingStatus.SCHEDULED,
    )
    sections = {section["key"]: section for section in review.agenda["sections"]}
    assert list(sections) == [
        "stalled",
        "overdue_letters",
        "overdue_coordination",
        "aid_awaiting",
        "not_met",
        "overdue_tasks",
    ]

    def listed(key: str) -> list[tuple[str, int]]:
        return [(item["kind"], item["id"]) for item in sections[key]["items"]]

    assert listed("stalled") == [("matter", stalled.pk)]
    assert sections["stalled"]["title"] == "三个工作日无进展的事项"
    assert listed("overdue_letters") == [("letter", letter.pk)]
    assert letter.number in sections["overdue_letters"]["items"][0]["label"]
    assert listed("overdue_coordination") == [("matter", moving.pk)]
    assert "包头市住房和城乡建设局" in sections["overdue_coordination"]["items"][0]["detail"]
    assert listed("aid_awaiting") == [("matter", moving.pk)]
    assert "3000.00元" in sections["aid_awaiting"]["items"][0]["detail"]
    assert listed("not_met") == [("matter", stalled.pk), ("matter", moving.pk)]
    assert listed("overdue_tasks") == [("matter", moving.pk)]
    assert review.agenda["stalled_since"] == "2026-09-29T00:00:00+08:00"
    assert verbs(review) == ["agenda_generated"]
    # Later data does not rewrite it: the agenda is a snapshot, generated once a day.
    with time_machine.travel(at(2026, 10, 9, 11), tick=False):
        services.matter_progress_touch(matter=stalled)
        again = services.review_agenda_generate(office=unit("BT-ZXB"))
    assert again == review
    review.refresh_from_db()
    assert [item["id"] for item in review.agenda["sections"][0]["items"]] == [stalled.pk]


def test_the_agenda_is_refused_on_a_day_that_is_not_due_and_in_the_future(city_officer):
    with time_machine.travel(at(2026, 10, 8, 9), tick=False):
        with pytest.raises(ValidationFailed) as not_due:
            services.review_agenda_generate(actor=city_officer, office=unit("BT-ZXB"))
        assert "不是三日一研究的会议日（下一次：2026年10月9日）" in not_due.value.message
        with pytest.raises(ValidationFailed) as future:
            services.review_agenda_generate(
                actor=city_officer, office=unit("BT-ZXB"), day=date(2026, 10, 9)
            )
        assert future.value.code == "review_future"
    assert not ReviewMeeting.objects.exists()


# --- dispatch meetings and tasks -------------------------------------------------------------


@pytest.mark.usefixtures("frozen")
def test_a_dispatch_meeting_takes_matters_one_by_one_and_its_decisions_become_tasks(
    city_officer, county_officer, lead_official
):
    matter = assign(
        city_officer, make_matter(city_officer, region_code="150205"), lead=lead_official
    )
    meeting = services.meeting_create(
        actor=city_officer,
        title="全市信访积案化解调度会",
        held_on=NOW.date(),
        chair=city_officer,
        attendees="陈华、孙立",
    )
    assert meeting.kind == MeetingKind.DISPATCH and meeting.status == MeetingStatus.SCHEDULED
    services.meeting_matter_record(
        actor=city_officer,
        meeting=meeting,
        matter=matter,
        minute="症结在补偿标准，需住建部门协调。",
    )
    services.meeting_matter_record(
        actor=city_officer, meeting=meeting, matter=matter, minute="补偿标准已明确，转入落实。"
    )
    assert [
        row.minute for row in selectors.meeting_minutes(user=city_officer, meeting=meeting)
    ] == ["补偿标准已明确，转入落实。"]
    (discussed,) = matter_events(matter, "meeting_discussed")
    assert discussed.data["minute"] == "症结在补偿标准，需住建部门协调。"
    (updated,) = matter_events(matter, "meeting_minute_updated")
    assert updated.data["previous"] == "症结在补偿标准，需住建部门协调。"

    task = services.meeting_task_create(
        actor=city_officer,
        meeting=meeting,
        matter=matter,
        description="三日内约见信访人",
        owner=lead_official,
        due_on=NOW.date() + timedelta(days=3),
    )
    (assigned,) = matter_events(matter, "meeting_task_assigned")
    assert assigned.data["task_id"] == task.pk and assigned.data["due_on"] == "2026-11-26"
    assert Notification.objects.filter(subject__contains=matter.number).exists()
    # Overdue is computed: after the deadline the open task is listed as overdue.
    assert not selectors.tasks_of_owner(user=lead_official, owner_id=lead_official.pk).filter(
        due_on__lt=NOW.date()
    )
    later = NOW + timedelta(days=5)
    with time_machine.travel(later, tick=False):
        assert list(MeetingTask.objects.overdue(today=later.date())) == [task]
        with pytest.raises(PermissionDenied):
            services.meeting_task_complete(actor=county_officer, task=task, note="不是责任人")
        done = services.meeting_task_complete(
            actor=lead_official, task=task, note="已约见信访人，释法说理"
        )
        assert list(MeetingTask.objects.overdue(today=later.date())) == []
    assert done.status == MeetingTaskStatus.DONE and done.done_on == later.date()
    (finished,) = matter_events(matter, "meeting_task_done")
    assert finished.data["late"] is True
    matter.refresh_from_db()
    assert matter.last_progress_at == later
    assert verbs(task) == ["created", "done"]
    with pytest.raises(InvalidTransition):
        services.meeting_task_complete(actor=lead_official, task=task, note="再报一次")

    held = services.meeting_hold(actor=city_officer, meeting=meeting, summary="逐案研究2件")
    assert held.status == MeetingStatus.HELD and verbs(held) == ["created", "held"]


@pytest.mark.usefixtures("frozen")
def test_meeting_refusals_write_nothing(city_officer, county_officer, lead_official, receptionist):
    shiguai = assign(
        city_officer, make_matter(city_officer, region_code="150205"), lead=lead_official
    )
    county_meeting = services.meeting_create(
        actor=county_officer, title="石拐区调度会", held_on=NOW.date() + timedelta(days=2)
    )
    byeb = assign(city_officer, make_matter(city_officer, region_code="150206"), lead=lead_official)
    events_before = Event.objects.count()
    with pytest.raises(ValidationFailed) as outside:
        services.meeting_matter_record(
            actor=county_officer, meeting=county_meeting, matter=byeb, minute="研究"
        )
    assert "不存在或无权查看" in outside.value.message
    with pytest.raises(PermissionDenied):
        services.meeting_matter_record(
            actor=city_officer, meeting=county_meeting, matter=shiguai, minute="研究"
        )
    with pytest.raises(ValidationFailed) as early:
        services.meeting_task_create(
            actor=county_officer,
            meeting=county_meeting,
            matter=shiguai,
            description="落实",
            owner=receptionist,
            due_on=NOW.date(),
        )
    assert set(early.value.fields) == {"owner", "due_on"}
    with pytest.raises(ValidationFailed) as not_yet:
        services.meeting_hold(actor=county_officer, meeting=county_meeting)
    assert "召开后才能确认" in not_yet.value.message
    with pytest.raises(PermissionDenied):
        services.meeting_create(actor=lead_official, title="调度会", held_on=NOW.date())
    assert Event.objects.count() == events_before


@pytest.mark.usefixtures("frozen")
def test_an_office_sees_its_own_meetings_and_an_owner_the_meeting_of_their_task(
    city_officer, county_officer, byeb_county_officer, lead_official
):
    city = services.meeting_create(actor=city_officer, title="市级调度会", held_on=NOW.date())
    county = services.meeting_create(actor=county_officer, title="石拐区调度会", held_on=NOW.date())
    assert set(selectors.meeting_list(user=city_officer)) == {city, county}
    assert list(selectors.meeting_list(user=county_officer)) == [county]
    assert list(selectors.meeting_list(user=byeb_county_officer)) == []
    with pytest.raises(NotFound):
        selectors.meeting_get(user=county_officer, pk=city.pk)
    matter = assign(
        city_officer, make_matter(city_officer, region_code="150206"), lead=lead_official
    )
    task = services.meeting_task_create(
        actor=city_officer,
        meeting=city,
        matter=matter,
        description="核查",
        owner=lead_official,
        due_on=NOW.date() + timedelta(days=2),
    )
    assert selectors.meeting_get(user=lead_official, pk=city.pk) == city
    assert selectors.meeting_task_get(user=lead_official, pk=task.pk) == task
    with pytest.raises(NotFound):
        selectors.meeting_task_get(user=county_officer, pk=task.pk)
