"""The desk's rules at the service level: deadlines, transitions, routing, overdue, feedback."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from youjie.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from youjie.core.models import Event
from youjie.desk import selectors, services
from youjie.desk.choices import Priority, RequestStatus, ReturnVisitReason
from youjie.desk.models import Feedback, RequestNumberCounter, ReturnVisit, ServiceRequest
from youjie.desk.services import IntakeData
from youjie.desk.services.common import next_request_number, transition
from youjie.notifications.models import Notification
from youjie.people.services import person_create

from .conftest import MONDAY_9AM

SHANGHAI = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


def verbs(service_request: ServiceRequest) -> list[str]:
    return [event.verb for event in selectors.service_request_timeline(service_request)]


def intake(actor, **overrides) -> ServiceRequest:
    values: dict[str, Any] = {
        "channel": "walk_in",
        "matter_type_code": "divorce_filing",
        "title": "咨询如何起诉离婚",
        "content": "来访群众询问离婚诉讼需要准备哪些材料、诉讼费多少。",
        "requester_name": "李四",
        "requester_mobile": "139 0000 1111",
        "received_at": MONDAY_9AM,
        "route": False,
    }
    values.update(overrides)
    service_request, created = services.service_request_create(
        actor=actor, data=IntakeData(**values)
    )
    assert created
    return service_request


def test_request_numbers_count_per_day_from_one():
    monday, tuesday = date(2026, 11, 23), date(2026, 11, 24)
    with transaction.atomic():
        numbers = [next_request_number(day=monday) for _ in range(3)]
        numbers.append(next_request_number(day=tuesday))
    assert numbers == [
        "SS20261123-00001",
        "SS20261123-00002",
        "SS20261123-00003",
        "SS20261124-00001",
    ]
    assert dict(RequestNumberCounter.objects.values_list("day", "last")) == {monday: 3, tuesday: 1}


def test_a_day_row_inserted_by_a_concurrent_registration_is_counted_on():
    """Our UPDATE found no row for the day, then another registration inserted it first: our
    INSERT fails in its savepoint and the number comes from that row, in a usable transaction."""
    monday = date(2026, 11, 23)
    RequestNumberCounter.objects.create(day=monday, last=4)
    real_update = QuerySet.update
    calls: list[dict[str, Any]] = []

    def update_that_misses_the_row_once(self: QuerySet[Any], **kwargs: Any) -> int:
        calls.append(kwargs)
        return 0 if len(calls) == 1 else real_update(self, **kwargs)

    with (
        transaction.atomic(),
        mock.patch.object(QuerySet, "update", update_that_misses_the_row_once),
    ):
        assert next_request_number(day=monday) == "SS20261123-00005"
        assert next_request_number(day=monday) == "SS20261123-00006"
    assert len(calls) == 3
    assert RequestNumberCounter.objects.get(day=monday).last == 6


def test_walk_in_answered_on_the_spot_with_checklist(receptionist, matter_types):
    """DESIGN flow 2: checklist sent in one message, closed as answered, rated later."""
    request = intake(receptionist)
    assert request.first_contact == receptionist
    assert request.number.startswith("SS")
    # 4 work hours from Monday 09:00: 3 h until 12:00, lunch does not count, 1 h from 14:00.
    assert request.first_response_due == datetime(2026, 11, 23, 15, 0, tzinfo=SHANGHAI)
    assert request.completion_due == datetime(2026, 11, 24, 17, 30, tzinfo=SHANGHAI)
    services.checklist_send(actor=receptionist, service_request=request)
    services.service_request_reply(
        actor=receptionist,
        service_request=request,
        body="已当场告知离婚诉讼所需材料和费用。",
        on_the_spot=True,
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.REPLIED
    assert request.first_responded_at is not None
    sms = list(Notification.objects.filter(subject_id=str(request.pk)).order_by("id"))
    assert [n.channel for n in sms] == ["sms", "sms", "sms"]
    assert "一次告知" in sms[1].body and "/portal/checklists/divorce_filing/v1/" in sms[1].body
    feedback = Feedback.objects.get(service_request=request)
    assert feedback.token in sms[2].body
    services.feedback_submit(token=feedback.token, satisfaction=5, comment="很方便")
    request.refresh_from_db()
    assert request.status == RequestStatus.CLOSED
    expected = [
        "registered",
        "checklist_sent",
        "replied_on_the_spot",
        "feedback_received",
        "closed_by_feedback",
    ]
    # A satisfied consultation gets a return visit only if the configured sample picks it.
    if ReturnVisit.objects.filter(service_request=request).exists():
        expected.append("return_visit_queued")
    assert verbs(request) == expected


def test_routing_by_case_number_goes_to_the_case_judge(
    receptionist, judge, civil_case, matter_types
):
    request = intake(
        receptionist,
        matter_type_code="case_query",
        related_case_number="(2026)内0206民初123号",
        route=True,
    )
    assert request.status == RequestStatus.AWAITING_ACCEPTANCE
    assert request.transfer_user == judge
    assert request.routing_rule == "case"
    routed = Event.objects.get(subject_id=str(request.pk), verb="routed")
    assert routed.data["rule"] == "case" and routed.from_state == "registered"
    services.service_request_accept(actor=judge, service_request=request)
    request.refresh_from_db()
    assert request.status == RequestStatus.IN_PROGRESS and request.assignee == judge
    assert request.first_contact == receptionist  # 首接负责 stays on record


def test_a_declined_routing_or_transfer_goes_back_with_one_declined_event(
    receptionist, judge, other_judge, civil_case, matter_types
):
    """Back to the first-contact owner (registered) when nobody accepted it yet; back to the
    assignee who transferred it (in progress) otherwise. Either way one move, one event."""
    routed = intake(receptionist, related_case_number="（2026）内0206民初123号", route=True)
    services.service_request_decline(actor=judge, service_request=routed, reason="非本人案件")
    transferred = intake(receptionist, related_case_number="（2026）内0206民初123号", route=True)
    services.service_request_accept(actor=judge, service_request=transferred)
    services.service_request_route(
        actor=judge, service_request=transferred, user=other_judge, reason="属王法官承办"
    )
    services.service_request_decline(
        actor=other_judge, service_request=transferred, reason="非本人案件"
    )
    for request, back_to, actor in (
        (routed, RequestStatus.REGISTERED, judge),
        (transferred, RequestStatus.IN_PROGRESS, other_judge),
    ):
        request.refresh_from_db()
        assert request.status == back_to
        assert request.transfer_user is None and request.transfer_division is None
        declined = [
            (event.from_state, event.to_state, event.actor_id)
            for event in selectors.service_request_timeline(request)
            if event.verb == "declined"
        ]
        assert declined == [(RequestStatus.AWAITING_ACCEPTANCE, back_to, actor.pk)]
    assert transferred.assignee == judge


def test_only_the_target_can_accept_and_transitions_are_checked(
    receptionist, judge, other_judge, civil_case, matter_types
):
    request = intake(receptionist, related_case_number="（2026）内0206民初123号", route=True)
    with pytest.raises(PermissionDenied):
        services.service_request_accept(actor=other_judge, service_request=request)
    with pytest.raises(InvalidTransition):
        transition(
            service_request=request,
            to_status=RequestStatus.CLOSED,
            actor=receptionist,
            verb="closed",
        )
    assert ServiceRequest.objects.get(pk=request.pk).status == RequestStatus.AWAITING_ACCEPTANCE


def test_stale_form_is_refused(receptionist, judge, civil_case, matter_types):
    request = intake(receptionist, related_case_number="（2026）内0206民初123号", route=True)
    services.service_request_accept(actor=judge, service_request=request)
    with pytest.raises(ValidationFailed) as info:
        services.service_request_accept(
            actor=judge, service_request=request, expected_status=RequestStatus.AWAITING_ACCEPTANCE
        )
    assert info.value.code == "stale"


def test_unaccepted_transfer_returns_after_the_configured_time(
    receptionist, judge, civil_case, matter_types
):
    request = intake(receptionist, related_case_number="（2026）内0206民初123号", route=True)
    ServiceRequest.objects.filter(pk=request.pk).update(transfer_sent_at=MONDAY_9AM)
    assert services.desk_expire_transfers(now=MONDAY_9AM + timedelta(hours=2)) == 0
    assert services.desk_expire_transfers(now=MONDAY_9AM + timedelta(hours=7)) == 1
    request.refresh_from_db()
    assert request.status == RequestStatus.REGISTERED and request.transfer_user is None
    assert verbs(request)[-1] == "transfer_expired"


def test_overdue_reminded_supervised_and_never_silently_dropped(
    receptionist, judge, division_head, civil_case, matter_types
):
    """DESIGN flow 4."""
    request = intake(
        receptionist,
        matter_type_code="contact_judge",
        related_case_number="（2026）内0206民初123号",
        route=True,
    )
    services.service_request_accept(actor=judge, service_request=request)
    request.refresh_from_db()
    before_due = request.completion_due - timedelta(hours=1)
    result = services.desk_remind_and_flag_overdue(now=before_due)
    assert result["reminded"] >= 1
    assert services.desk_remind_and_flag_overdue(now=before_due)["reminded"] == 0  # once only
    after_due = request.completion_due + timedelta(minutes=5)
    assert request in selectors.overdue_list(user=division_head, now=after_due)
    assert services.desk_remind_and_flag_overdue(now=after_due)["overdue"] >= 1
    events_before = Event.objects.filter(subject_id=str(request.pk)).count()
    services.service_request_supervise(
        actor=division_head,
        service_request=request,
        reason="当事人多次来电，请三日内答复",
        new_deadline=timezone.now() + timedelta(days=3),
    )
    request.refresh_from_db()
    assert request.is_supervised
    assert verbs(request)[-1] == "supervised"
    assert Event.objects.filter(subject_id=str(request.pk)).count() == events_before + 1
    assert request in selectors.supervised_list(user=division_head)


def test_priority_line_for_deputies(receptionist, matter_types):
    deputy = person_create(actor=receptionist, name="王代表", mobile="13700001111", is_deputy=True)
    request = intake(receptionist, requester_id=deputy.pk, matter_type_code="demand")
    assert request.priority == Priority.PRIORITY
    normal = intake(receptionist, matter_type_code="demand", requester_mobile="13700002222")
    assert request.completion_due < normal.completion_due
    assert list(selectors.priority_list(user=receptionist)) == [request]


def test_repeat_detection_links_and_counts(receptionist, matter_types):
    first = intake(
        receptionist,
        title="执行款一直未到账",
        content="我的案件执行款到现在还没有到账，请法院尽快处理。",
        matter_type_code="enforcement_demand",
    )
    second = intake(
        receptionist,
        title="执行款还未到账",
        content="案件执行款到现在还没有到账，再次请法院尽快处理。",
        matter_type_code="enforcement_demand",
    )
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.repeat_of == first and first.repeat_count == 1
    assert "flagged_repeat" in verbs(second)


def test_pause_and_resume_moves_deadlines(
    receptionist, judge, division_head, civil_case, matter_types
):
    request = intake(
        receptionist,
        related_case_number="（2026）内0206民初123号",
        route=True,
        matter_type_code="contact_judge",
    )
    services.service_request_accept(actor=judge, service_request=request)
    change = services.clock_change_request(
        actor=judge, service_request=request, kind="pause", reason="等待当事人补充材料"
    )
    with pytest.raises(PermissionDenied):
        services.clock_change_decide(actor=judge, change=change, approve=True)
    services.clock_change_decide(actor=division_head, change=change, approve=True)
    request.refresh_from_db()
    assert request.status == RequestStatus.PAUSED
    due = request.completion_due
    ServiceRequest.objects.filter(pk=request.pk).update(
        paused_at=timezone.now() - timedelta(days=7)
    )
    request.refresh_from_db()
    services.service_request_resume(actor=judge, service_request=request)
    request.refresh_from_db()
    assert request.status == RequestStatus.IN_PROGRESS
    assert request.completion_due - due >= timedelta(days=5)
    assert verbs(request)[-3:] == ["pause_requested", "paused", "resumed"]


def test_idempotent_create(receptionist, matter_types):
    data = IntakeData(
        channel="api", matter_type_code="demand", title="标题", content="内容", requester_name="甲"
    )
    first, created = services.service_request_create(
        actor=receptionist, data=data, idempotency_key="k-1", idempotency_scope="t", body_hash="h1"
    )
    again, created_again = services.service_request_create(
        actor=receptionist, data=data, idempotency_key="k-1", idempotency_scope="t", body_hash="h1"
    )
    assert created and not created_again and again.pk == first.pk
    with pytest.raises(Exception) as info:
        services.service_request_create(
            actor=receptionist,
            data=data,
            idempotency_key="k-1",
            idempotency_scope="t",
            body_hash="h2",
        )
    assert getattr(info.value, "code", "") == "idempotency_key_reused"
    assert ServiceRequest.objects.count() == 1


def test_bad_input_writes_nothing(receptionist, matter_types):
    with pytest.raises(ValidationFailed) as info:
        intake(receptionist, matter_type_code="nope", requester_mobile="12345", content="x" * 6000)
    assert set(info.value.fields) >= {"matter_type", "requester_mobile", "content"}
    assert ServiceRequest.objects.count() == 0
    assert Notification.objects.count() == 0


def test_complaints_and_dissatisfied_get_return_visits(receptionist, division_head, matter_types):
    complaint = intake(
        receptionist,
        matter_type_code="complaint",
        title="投诉窗口态度",
        content="窗口工作人员态度不好。",
    )
    services.service_request_reply(
        actor=receptionist, service_request=complaint, body="已核实并致歉。", on_the_spot=True
    )
    token = Feedback.objects.get(service_request=complaint).token
    services.feedback_submit(token=token, satisfaction=4)
    visit = ReturnVisit.objects.get(service_request=complaint)
    assert visit.reason == ReturnVisitReason.COMPLAINT
    services.return_visit_record(
        actor=receptionist, visit=visit, result="unresolved", action="reopen", note="仍不满意"
    )
    complaint.refresh_from_db()
    assert complaint.status == RequestStatus.IN_PROGRESS and complaint.reopened_count == 1
    assert verbs(complaint)[-1] == "reopened_by_return_visit"


def test_search_finds_two_character_words(receptionist, matter_types):
    request = intake(
        receptionist, title="关于诉讼保全的咨询", content="想了解诉讼保全需要交多少保全费。"
    )
    intake(receptionist, title="立案咨询", content="如何网上立案。")
    assert list(selectors.search(user=receptionist, query="保全")) == [request]
    assert list(selectors.search(user=receptionist, query="诉讼")) == [request]
    assert list(selectors.search(user=receptionist, query=request.number)) == [request]
