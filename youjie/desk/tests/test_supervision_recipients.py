"""督办 and reminders reach the person the request waits on, and the division head (issue 12.15)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from youjie.desk import services
from youjie.desk.choices import RequestStatus
from youjie.notifications.models import Notification

from .test_services import intake

pytestmark = pytest.mark.django_db
CASE = "（2026）内0206民初123号"


def recipients(subject: str) -> set[str]:
    return set(
        Notification.objects.filter(subject=subject).values_list("recipient_masked", flat=True)
    )


def test_supervision_waiting_on_the_judge_notifies_the_judge_and_division_head(
    receptionist, judge, division_head, court_leader, civil_case, matter_types
):
    request = intake(receptionist, related_case_number=CASE, route=True)
    assert request.status == RequestStatus.AWAITING_ACCEPTANCE and request.assignee is None
    services.service_request_supervise(
        actor=court_leader,
        service_request=request,
        reason="当事人多次来电，请三日内答复当事人。",
        new_deadline=timezone.now() + timedelta(days=3),
    )
    sent = recipients(f"督办：{request.number}")
    assert sent == {f"user:{judge.pk}", f"user:{division_head.pk}"}  # not the receptionist
    notice = Notification.objects.filter(subject=f"督办：{request.number}").first()
    assert notice is not None
    body = notice.body
    assert "。。" not in body
    assert body.startswith("当事人多次来电，请三日内答复当事人。督办期限：")


def test_supervision_of_an_accepted_request_notifies_the_assignee_not_the_receptionist(
    receptionist, judge, division_head, civil_case, matter_types
):
    request = intake(receptionist, related_case_number=CASE, route=True)
    services.service_request_accept(actor=judge, service_request=request)
    request.refresh_from_db()
    services.service_request_supervise(
        actor=division_head,
        service_request=request,
        reason="请尽快答复",
        new_deadline=timezone.now() + timedelta(days=3),
    )
    # The head who supervised needs no message about their own act.
    assert recipients(f"督办：{request.number}") == {f"user:{judge.pk}"}


def test_reminder_waiting_on_the_judge_goes_to_the_judge(
    receptionist, judge, civil_case, matter_types
):
    request = intake(receptionist, related_case_number=CASE, route=True)
    assert request.transfer_user == judge
    before_due = request.first_response_due - timedelta(hours=1)
    assert services.desk_remind_and_flag_overdue(now=before_due)["reminded"] >= 1
    assert recipients(f"临近期限：{request.number}") == {f"user:{judge.pk}"}
