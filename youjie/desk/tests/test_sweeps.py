"""The periodic desk jobs reach every request they must act on, however many are pending
(DESIGN flow 4: "never silently dropped").

Each job reads its candidates in batches of ``sweeps.BATCH``; the tests make a batch two
requests long, so that five pending requests span three batches. Before, each job read only
the first batch of candidates: the rest waited for ever once more than a batch was pending, and
a batch of requests already flagged hid a request newly overdue.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import time_machine

from youjie.core.models import Event
from youjie.desk import selectors, services
from youjie.desk.choices import RequestStatus
from youjie.desk.deadlines import compute_deadlines
from youjie.desk.models import Feedback, ServiceRequest
from youjie.desk.services import IntakeData, sweeps
from youjie.orgs.models import User

from .conftest import MONDAY_9AM

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sweeps, "BATCH", 2)


@pytest.fixture
def clock() -> Iterator[Any]:
    with time_machine.travel(MONDAY_9AM, tick=False) as traveller:
        yield traveller


def routed(receptionist: User, title: str) -> ServiceRequest:
    """A request about the judge's case, sent to the judge to accept."""
    service_request, created = services.service_request_create(
        actor=receptionist,
        data=IntakeData(
            channel="phone",
            matter_type_code="contact_judge",
            title=title,
            content=f"{title}：当事人来电要求联系承办法官。",
            requester_name="张三",
            requester_mobile="13812345678",
            related_case_number="（2026）内0206民初123号",
            route=True,
        ),
    )
    assert created and service_request.status == RequestStatus.AWAITING_ACCEPTANCE
    return service_request


def accepted(receptionist: User, judge: User, title: str) -> ServiceRequest:
    service_request = routed(receptionist, title)
    services.service_request_accept(actor=judge, service_request=service_request)
    service_request.refresh_from_db()
    return service_request


def statuses(requests: list[ServiceRequest]) -> list[str]:
    return [ServiceRequest.objects.get(pk=one.pk).status for one in requests]


def flagged(service_request: ServiceRequest) -> list[str]:
    """Which of the request's deadlines were flagged overdue, one entry per flag."""
    keys = Event.objects.filter(
        subject_type="desk.servicerequest",
        subject_id=str(service_request.pk),
        verb="became_overdue",
    ).values_list("data__key", flat=True)
    return sorted(str(key).split(":")[0] for key in keys)


BOTH = ["completion", "first_response"]  # accepted, never answered: both clocks ran out


@pytest.mark.usefixtures("civil_case", "matter_types")
def test_every_expired_transfer_returns_in_one_sweep(
    receptionist: User, judge: User, clock: Any
) -> None:
    expired = [routed(receptionist, f"第{n}件") for n in range(5)]
    clock.move_to(MONDAY_9AM + timedelta(hours=3))
    recent = routed(receptionist, "刚转来的")
    # Four working hours after 9:00 on a Monday have passed by 15:00 (lunch aside), not for
    # the one sent at noon.
    assert services.desk_expire_transfers(now=MONDAY_9AM + timedelta(hours=6)) == 5
    assert statuses(expired) == [RequestStatus.REGISTERED] * 5
    assert statuses([recent]) == [RequestStatus.AWAITING_ACCEPTANCE]
    assert services.desk_expire_transfers(now=MONDAY_9AM + timedelta(hours=6)) == 0


@pytest.mark.usefixtures("civil_case", "matter_types")
def test_every_reply_past_its_feedback_window_closes_in_one_sweep(
    receptionist: User, judge: User, clock: Any
) -> None:
    replied = []
    for n in range(5):
        service_request = accepted(receptionist, judge, f"第{n}件")
        services.service_request_reply(
            actor=judge, service_request=service_request, body="已联系承办法官，答复如下。"
        )
        replied.append(service_request)
    clock.move_to(MONDAY_9AM + timedelta(days=3))
    late = accepted(receptionist, judge, "周四答复的")
    services.service_request_reply(actor=judge, service_request=late, body="已答复。")
    # Five working days from Monday 23 November end on Monday 30 November; from Thursday 26,
    # on Thursday 3 December.
    assert services.desk_close_unrated(now=MONDAY_9AM + timedelta(days=8)) == 5
    assert statuses(replied) == [RequestStatus.CLOSED] * 5
    assert statuses([late]) == [RequestStatus.REPLIED]
    assert services.desk_close_unrated(now=MONDAY_9AM + timedelta(days=8)) == 0
    assert services.desk_close_unrated(now=MONDAY_9AM + timedelta(days=11)) == 1
    assert statuses([late]) == [RequestStatus.CLOSED]


@pytest.mark.usefixtures("civil_case", "matter_types")
def test_a_newly_overdue_request_is_flagged_behind_a_batch_already_flagged(
    receptionist: User, judge: User, clock: Any
) -> None:
    early = [accepted(receptionist, judge, f"第{n}件") for n in range(5)]
    last_due = max(one.completion_due for one in early)
    after = last_due + timedelta(minutes=5)
    assert services.desk_remind_and_flag_overdue(now=after)["overdue"] == 10
    assert [flagged(one) for one in early] == [BOTH] * 5
    assert services.desk_remind_and_flag_overdue(now=after)["overdue"] == 0  # once per deadline

    clock.move_to(MONDAY_9AM + timedelta(days=2))
    newer = accepted(receptionist, judge, "后来的")
    assert newer.completion_due > last_due
    result = services.desk_remind_and_flag_overdue(now=newer.completion_due + timedelta(minutes=5))
    # The five flagged before come first (oldest deadline first) and fill more than a batch.
    assert result["overdue"] == 2 and flagged(newer) == BOTH
    assert [flagged(one) for one in early] == [BOTH] * 5


@pytest.mark.usefixtures("civil_case", "matter_types")
def test_reminders_reach_every_request_near_its_deadline_once(
    receptionist: User, judge: User, clock: Any
) -> None:
    running = [accepted(receptionist, judge, f"第{n}件") for n in range(5)]
    due = min(one.completion_due for one in running)
    before = due - timedelta(hours=1)
    assert services.desk_remind_and_flag_overdue(now=before)["reminded"] == 5
    assert services.desk_remind_and_flag_overdue(now=before)["reminded"] == 0
    reminders = Event.objects.filter(
        subject_type="desk.servicerequest",
        subject_id__in=[str(one.pk) for one in running],
        verb="reminder_sent",
    )
    assert reminders.count() == 5


@pytest.mark.usefixtures("civil_case", "matter_types")
def test_a_reopened_request_gets_a_fresh_completion_deadline(
    receptionist: User, judge: User, division_head: User, clock: Any
) -> None:
    """Disputed feedback (and a return visit that reopens) hands the work back with the matter
    type's completion limit counted from the reopening: not overdue the moment it returns."""
    service_request = accepted(receptionist, judge, "对答复有异议的")
    services.service_request_reply(
        actor=judge, service_request=service_request, body="已联系承办法官，答复如下。"
    )
    old_due = ServiceRequest.objects.get(pk=service_request.pk).completion_due
    clock.move_to(MONDAY_9AM + timedelta(days=4))  # Friday: the old deadline has passed
    assert old_due < MONDAY_9AM + timedelta(days=4)
    token = Feedback.objects.get(service_request=service_request).token
    services.feedback_submit(token=token, satisfaction=2, comment="没有解决", disputed=True)
    reopened = ServiceRequest.objects.get(pk=service_request.pk)
    assert reopened.status == RequestStatus.IN_PROGRESS and reopened.reopened_count == 1
    fresh = compute_deadlines(
        matter_type=reopened.matter_type,
        priority=reopened.priority,
        received_at=MONDAY_9AM + timedelta(days=4),
    ).completion_due
    assert reopened.completion_due == fresh > MONDAY_9AM + timedelta(days=4)
    disputed = Event.objects.filter(subject_id=str(reopened.pk), verb="disputed").get()
    assert disputed.data["completion_due"] == fresh.isoformat()
    now = MONDAY_9AM + timedelta(days=4, minutes=5)
    assert reopened not in selectors.overdue_list(user=division_head, now=now)
    services.desk_remind_and_flag_overdue(now=now)
    assert "completion" not in flagged(reopened)
    # Past the fresh deadline it is overdue like any other.
    later = fresh + timedelta(minutes=5)
    assert reopened in selectors.overdue_list(user=division_head, now=later)
    services.desk_remind_and_flag_overdue(now=later)
    assert "completion" in flagged(reopened)
