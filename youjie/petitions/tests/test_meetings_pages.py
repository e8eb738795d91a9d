"""The meeting pages: a dispatch meeting created, its matters taken one by one, a decision
given as a task to its owner, who reports it done; the 三日一研究 agenda generated from the page
on a review day and shown; refusals in Chinese; the list in a fixed number of queries."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from youjie.petitions.choices import MeetingKind, MeetingStatus, MeetingTaskStatus
from youjie.petitions.models import MeetingMatter, MeetingTask, ReviewMeeting

from .conftest import NOW, SHANGHAI, assign, make_matter

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _settings(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.YOUJIE_OTP_ENFORCED = False
    settings.YOUJIE_PETITIONS_REVIEW_START = "2026-11-23"  # NOW is a review day


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.usefixtures("frozen")
def test_a_dispatch_meeting_from_creation_to_a_task_done(
    city_officer, county_officer, lead_official
):
    matter = assign(
        city_officer, make_matter(city_officer, region_code="150205"), lead=lead_official
    )
    city = signed_in(city_officer)
    created = city.post(
        reverse("petitions:meeting_create"),
        {
            "submission_key": "m" * 32,
            "title": "全市信访积案化解调度会",
            "held_on": NOW.date().isoformat(),
            "chair": str(city_officer.pk),
            "attendees": "陈华、孙立",
            "summary": "",
        },
    )
    meeting = ReviewMeeting.objects.get()
    assert created.status_code == 302 and meeting.kind == MeetingKind.DISPATCH
    detail_url = reverse("petitions:meeting_detail", args=[meeting.pk])
    minute = city.post(
        reverse("petitions:meeting_minute", args=[meeting.pk]),
        {"number": matter.number, "minute": "症结在补偿标准。"},
    )
    assert minute.status_code == 302 and MeetingMatter.objects.get().minute == "症结在补偿标准。"
    task = city.post(
        reverse("petitions:meeting_task", args=[meeting.pk]),
        {
            "number": matter.number,
            "description": "三日内约见信访人",
            "owner": str(lead_official.pk),
            "due_on": (NOW.date() + timedelta(days=3)).isoformat(),
        },
    )
    assert task.status_code == 302
    task_row = MeetingTask.objects.get()
    # The owner sees the meeting through the task and reports it done.
    lead = signed_in(lead_official)
    page = lead.get(detail_url).content.decode()
    assert "三日内约见信访人" in page and "报告已落实" in page
    done = lead.post(
        reverse("petitions:task_done", args=[task_row.pk]),
        {"note": "已约见", "done_on": ""},
    )
    assert done.status_code == 302
    task_row.refresh_from_db()
    assert task_row.status == MeetingTaskStatus.DONE
    # The matter's page shows the meeting's opinion on it and the task, with its state.
    matter_page = lead.get(reverse("petitions:detail", args=[matter.pk])).content.decode()
    assert 'id="supervision"' in matter_page and "症结在补偿标准。" in matter_page
    assert "三日内约见信访人" in matter_page and "已落实" in matter_page
    held = city.post(
        reverse("petitions:meeting_hold", args=[meeting.pk]),
        {"expected_status": "scheduled", "attendees": "", "summary": "研究1件"},
    )
    assert held.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    # Another county's officer: the meeting does not exist for them.
    assert signed_in(county_officer).get(detail_url).status_code == 404


@pytest.mark.usefixtures("frozen")
def test_refusals_on_the_meeting_page_are_in_chinese(city_officer, lead_official, receptionist):
    meeting_page = signed_in(city_officer)
    meeting_page.post(
        reverse("petitions:meeting_create"),
        {"submission_key": "n" * 32, "title": "调度会", "held_on": NOW.date().isoformat()},
    )
    meeting = ReviewMeeting.objects.get()
    unknown = meeting_page.post(
        reverse("petitions:meeting_minute", args=[meeting.pk]),
        {"number": "信访〔2026〕404号", "minute": "研究"},
    )
    assert unknown.status_code == 422
    assert "信访〔2026〕404号不存在或无权查看" in unknown.content.decode()
    bad_owner = meeting_page.post(
        reverse("petitions:meeting_task", args=[meeting.pk]),
        {"number": "x", "description": "落实", "owner": str(receptionist.pk), "due_on": "明天"},
    )
    assert bad_owner.status_code == 422
    body = bad_owner.content.decode()
    assert "所选责任人不存在" in body and "日期格式应为 年-月-日" in body
    assert not MeetingTask.objects.exists() and not MeetingMatter.objects.exists()
    # A lead official runs no meetings.
    assert signed_in(lead_official).get(reverse("petitions:meeting_create")).status_code == 403


def test_the_review_agenda_is_generated_from_the_page_on_a_review_day(
    city_officer, lead_official, django_assert_max_num_queries
):
    with time_machine.travel(datetime(2026, 11, 17, 9, 0, tzinfo=SHANGHAI), tick=False):
        stalled = assign(
            city_officer,
            make_matter(
                city_officer, region_code="150205", received_on=datetime(2026, 11, 17).date()
            ),
            lead=lead_official,
        )
    with time_machine.travel(NOW, tick=False):
        city = signed_in(city_officer)
        listing = city.get(reverse("petitions:meeting_list")).content.decode()
        assert "今天是三日一研究会议日" in listing
        generated = city.post(reverse("petitions:review_generate"), {"day": ""})
        review = ReviewMeeting.objects.get(kind=MeetingKind.THREE_DAY)
        assert generated.status_code == 302
        page = city.get(reverse("petitions:meeting_detail", args=[review.pk])).content.decode()
        assert "三个工作日无进展的事项（1）" in page and stalled.number in page
        with django_assert_max_num_queries(14):
            city.get(reverse("petitions:meeting_list"))
    with time_machine.travel(NOW + timedelta(days=1), tick=False):
        city = signed_in(city_officer)  # a new day, a new session
        refused = city.post(reverse("petitions:review_generate"), {"day": ""}, follow=True)
    assert "不是三日一研究的会议日" in refused.content.decode()
    assert ReviewMeeting.objects.count() == 1
