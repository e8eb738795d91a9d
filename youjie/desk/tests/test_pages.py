"""The desk's staff pages walked with the test client: DESIGN flows 2 and 4 through the real
forms, stale forms, permissions (404 outside scope, 403 without the right), bad input."""

from __future__ import annotations

import re
import time
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import make_user
from youjie.core.models import Event
from youjie.desk import services
from youjie.desk.choices import RequestStatus
from youjie.desk.models import Feedback, ReturnVisit, ServiceRequest, Supervision
from youjie.notifications.models import Notification
from youjie.portal.formguard import form_token_issue
from youjie.workdays.calendar import SHANGHAI

pytestmark = pytest.mark.django_db

INTAKE = reverse("desk:intake")


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page_verbs(html: str) -> list[str]:
    """The verbs of the timeline as the detail page shows them, in order."""
    return re.findall(r'data-verb="([a-z_]+)"', html)


def db_verbs(service_request: ServiceRequest) -> list[str]:
    return list(
        Event.objects.filter(subject_type="desk.servicerequest", subject_id=str(service_request.pk))
        .order_by("id")
        .values_list("verb", flat=True)
    )


def intake_form(**overrides: str) -> dict[str, str]:
    data = {
        "submission_key": "k-" + overrides.pop("key", "1"),
        "channel": "walk_in",
        "line": "",
        "requester_mobile": "139 0000 1111",
        "id_number": "",
        "requester_name": "李四",
        "matter_type": "divorce_filing",
        "title": "咨询如何起诉离婚",
        "content": "来访群众询问离婚诉讼需要准备哪些材料、诉讼费多少。",
        "related_case_number": "",
        "answer": "",
        "auto_route": "on",
    }
    data.update(overrides)
    return data


def action_url(service_request: ServiceRequest, action: str) -> str:
    return reverse("desk:action", args=[service_request.pk, action])


def detail_url(service_request: ServiceRequest) -> str:
    return reverse("desk:detail", args=[service_request.pk])


# --- DESIGN flow 2 ------------------------------------------------------------------------


def test_flow2_walk_in_divorce_answered_on_the_spot(receptionist, matter_types, settings):
    """Reception registers a walk-in asking how to file for divorce: the checklist goes out by
    SMS, the request is answered on the spot, the rating closes it, the return visit follows."""
    settings.YOUJIE_DESK_POLICY = {"return_visit_sample_percent": 100}
    client = client_for(receptionist)
    assert client.get(INTAKE).status_code == 200

    response = client.post(
        INTAKE,
        intake_form(
            answer_on_the_spot="on",
            answer="已当场告知离婚诉讼所需材料、流程和诉讼费标准。",
            send_checklist="on",
        ),
        follow=True,
    )

    assert response.status_code == 200
    service_request = ServiceRequest.objects.get()
    assert response.redirect_chain[-1][0] == detail_url(service_request)
    html = response.content.decode()
    assert f"诉求已登记，编号 {service_request.number}" in html
    assert '<span class="badge green">已答复</span>' in html
    assert service_request.status == RequestStatus.REPLIED
    assert service_request.first_contact == receptionist
    assert service_request.transfer_division is None  # answered at the counter: not routed
    sms = list(Notification.objects.filter(subject_id=str(service_request.pk)).order_by("id"))
    assert [n.channel for n in sms] == ["sms", "sms", "sms"]
    assert service_request.number in sms[0].body
    # The checklist goes as its link (issue 12, item 16): the page shows it whole.
    assert (
        "离婚诉讼立案咨询" in sms[1].body and "/portal/checklists/divorce_filing/v1/" in sms[1].body
    )
    feedback = Feedback.objects.get(service_request=service_request)
    assert feedback.token in sms[2].body
    assert page_verbs(html) == ["registered", "checklist_sent", "replied_on_the_spot"]

    # The requester rates the answer later, without logging in, by the link in the reply SMS.
    link = re.search(r"https?://[^/\s]+(/portal/feedback/[^/\s]+/)", sms[2].body)
    assert link is not None and feedback.token in link.group(1)
    citizen = Client()
    assert citizen.get(link.group(1)).status_code == 200
    rated = citizen.post(
        link.group(1),
        {
            "satisfaction": "5",
            "comment": "很方便",
            "form_token": form_token_issue("feedback", issued_at=time.time() - 30),
            "website": "",
        },
    )
    assert rated.status_code == 302
    html = client.get(detail_url(service_request)).content.decode()
    assert '<span class="badge green">已办结</span>' in html
    assert "满意度 <strong>5</strong> 分" in html

    # The return visit (sampled at 100 % here) is recorded through the queue page.
    visit = ReturnVisit.objects.get(service_request=service_request)
    queue = client.get(reverse("desk:return_visits")).content.decode()
    assert service_request.number in queue
    response = client.post(
        reverse("desk:return_visit_record", args=[visit.pk]),
        {"result": "resolved", "action": "none", "satisfaction": "5", "note": "群众表示满意"},
    )
    assert response.status_code == 302
    html = client.get(detail_url(service_request)).content.decode()
    expected = [
        "registered",
        "checklist_sent",
        "replied_on_the_spot",
        "feedback_received",
        "closed_by_feedback",
        "return_visit_queued",
        "return_visit_done",
    ]
    assert page_verbs(html) == expected == db_verbs(service_request)
    assert "当场答复" in html and "评价后办结" in html and "完成回访" in html


# --- DESIGN flow 4 ------------------------------------------------------------------------


def test_flow4_overdue_supervised_then_replied(
    receptionist, judge, division_head, civil_case, matter_types
):
    """A request routed to the case's judge goes overdue; the division head sees it and
    supervises it; it leaves the overdue list only with the reply, each step an event."""
    reception = client_for(receptionist)
    response = reception.post(
        INTAKE,
        intake_form(
            channel="phone",
            requester_mobile="13812345678",
            requester_name="张三",
            matter_type="contact_judge",
            title="要求联系承办法官",
            content="当事人询问案件开庭时间，要求与承办法官通话。",
            related_case_number="(2026)内0206民初123号",
        ),
    )
    assert response.status_code == 302
    service_request = ServiceRequest.objects.get()
    assert service_request.status == RequestStatus.AWAITING_ACCEPTANCE
    assert service_request.transfer_user == judge and service_request.routing_rule == "case"

    # The judge accepts through the page.
    judge_client = client_for(judge)
    page = judge_client.get(detail_url(service_request)).content.decode()
    assert action_url(service_request, "accept") in page
    response = judge_client.post(
        action_url(service_request, "accept"), {"expected_status": "awaiting_acceptance"}
    )
    assert response.status_code == 302
    service_request.refresh_from_db()
    assert service_request.status == RequestStatus.IN_PROGRESS and service_request.assignee == judge

    # Time passes: both deadlines are behind us, and the sweep records it.
    now = timezone.now()
    ServiceRequest.objects.filter(pk=service_request.pk).update(
        first_response_due=now - timedelta(hours=2), completion_due=now - timedelta(hours=1)
    )
    assert services.desk_remind_and_flag_overdue(now=now)["overdue"] == 2

    head = client_for(division_head)
    overdue_page = head.get(reverse("desk:overdue")).content.decode()
    assert service_request.number in overdue_page and "已超期" in overdue_page
    assert service_request.number in judge_client.get(reverse("desk:overdue")).content.decode()
    assert service_request.number not in head.get(reverse("desk:supervised")).content.decode()

    # The division head supervises through the page, with a new deadline in Beijing time.
    deadline = timezone.localtime(now + timedelta(days=3), SHANGHAI).replace(
        second=0, microsecond=0
    )
    detail_page = head.get(detail_url(service_request)).content.decode()
    assert action_url(service_request, "supervise") in detail_page
    response = head.post(
        action_url(service_request, "supervise"),
        {
            "expected_status": "in_progress",
            "reason": "当事人多次来电，请三日内答复",
            "new_deadline": deadline.strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302
    supervision = Supervision.objects.get(service_request=service_request)
    assert supervision.new_deadline == deadline and supervision.supervisor == division_head
    assert service_request.number in head.get(reverse("desk:supervised")).content.decode()
    # The first response is still overdue: supervision alone does not clear it.
    assert service_request.number in head.get(reverse("desk:overdue")).content.decode()

    # The judge replies; the request leaves the overdue and supervised lists with that event.
    response = judge_client.post(
        action_url(service_request, "reply"),
        {"expected_status": "in_progress", "body": "已与当事人通话，告知开庭时间。"},
    )
    assert response.status_code == 302
    assert service_request.number not in head.get(reverse("desk:overdue")).content.decode()
    assert service_request.number not in head.get(reverse("desk:supervised")).content.decode()

    html = head.get(detail_url(service_request)).content.decode()
    expected = [
        "registered",
        "routed",
        "accepted",
        "became_overdue",
        "became_overdue",
        "supervised",
        "replied",
    ]
    assert page_verbs(html) == expected == db_verbs(service_request)
    assert "督办" in html and "超期" in html and "已答复" in html
    assert "已办结" not in html


# --- stale forms and permissions ------------------------------------------------------------


@pytest.fixture
def routed_request(receptionist: Any, civil_case: Any, matter_types: None) -> ServiceRequest:
    service_request, _ = services.service_request_create(
        actor=receptionist,
        data=services.IntakeData(
            channel="phone",
            matter_type_code="case_query",
            title="查询案件进度",
            content="询问（2026）内0206民初123号的审理进度。",
            requester_name="张三",
            requester_mobile="13812345678",
            related_case_number="（2026）内0206民初123号",
        ),
    )
    return service_request


def test_stale_accept_is_refused_with_the_expired_message(judge, routed_request):
    client = client_for(judge)
    url = action_url(routed_request, "accept")
    assert client.post(url, {"expected_status": "awaiting_acceptance"}).status_code == 302
    events = len(db_verbs(routed_request))

    response = client.post(url, {"expected_status": "awaiting_acceptance"})

    assert response.status_code == 422
    assert "已过期" in response.content.decode()
    assert len(db_verbs(routed_request)) == events
    assert ServiceRequest.objects.get(pk=routed_request.pk).status == RequestStatus.IN_PROGRESS


def test_form_without_expected_status_is_refused(judge, routed_request):
    response = client_for(judge).post(action_url(routed_request, "accept"), {})
    assert response.status_code == 422
    assert (
        ServiceRequest.objects.get(pk=routed_request.pk).status == RequestStatus.AWAITING_ACCEPTANCE
    )


def test_judge_of_another_division_gets_404_and_cannot_act(routed_request, org_tree):
    enforcement_judge = make_user("judge_zhao", "judge", "BT-BYEB-ZX", "赵军")
    client = client_for(enforcement_judge)
    assert client.get(detail_url(routed_request)).status_code == 404
    for action in ("accept", "reply", "route", "withdraw", "supervise"):
        response = client.post(
            action_url(routed_request, action),
            {"expected_status": "awaiting_acceptance", "reason": "x", "body": "x"},
        )
        assert response.status_code == 404
    assert (
        routed_request.number not in client.get(reverse("desk:search") + "?q=案件").content.decode()
    )
    assert db_verbs(routed_request) == ["registered", "routed"]


def test_same_division_judge_not_assigned_cannot_see_it(other_judge, routed_request):
    assert client_for(other_judge).get(detail_url(routed_request)).status_code == 404


def test_visible_but_not_permitted_action_is_403_and_writes_nothing(receptionist, routed_request):
    """The receptionist (first contact) sees the request but may not supervise or accept."""
    client = client_for(receptionist)
    page = client.get(detail_url(routed_request)).content.decode()
    assert action_url(routed_request, "supervise") not in page
    assert action_url(routed_request, "accept") not in page
    response = client.post(
        action_url(routed_request, "supervise"),
        {
            "expected_status": "awaiting_acceptance",
            "reason": "督办",
            "new_deadline": "2027-01-05T17:00",
        },
    )
    assert response.status_code == 403
    assert "督办" in response.content.decode()
    response = client.post(
        action_url(routed_request, "accept"), {"expected_status": "awaiting_acceptance"}
    )
    assert response.status_code == 403
    assert not Supervision.objects.exists()
    assert db_verbs(routed_request) == ["registered", "routed"]


def test_unknown_action_is_404_and_get_is_405(judge, routed_request):
    client = client_for(judge)
    assert (
        client.post(action_url(routed_request, "explode"), {"expected_status": "x"}).status_code
        == 404
    )
    assert client.get(action_url(routed_request, "accept")).status_code == 405


def test_county_officer_sees_no_desk_content(county_officer, routed_request, party):
    client = client_for(county_officer)
    for name in (
        "my_queue",
        "division_queue",
        "intake_queue",
        "overdue",
        "supervised",
        "priority",
        "return_visits",
        "search",
        "intake",
        "lookup",
        "matter_types",
    ):
        response = client.get(reverse(f"desk:{name}"))
        assert response.status_code == 403, name
        assert routed_request.number not in response.content.decode()
    assert client.get(detail_url(routed_request)).status_code == 404
    response = client.post(
        action_url(routed_request, "withdraw"),
        {"expected_status": "awaiting_acceptance", "reason": "x"},
    )
    assert response.status_code == 404
    assert (
        ServiceRequest.objects.get(pk=routed_request.pk).status == RequestStatus.AWAITING_ACCEPTANCE
    )


def test_pages_require_login(routed_request):
    client = Client()
    for url in (
        reverse("desk:my_queue"),
        INTAKE,
        detail_url(routed_request),
        reverse("desk:lookup"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/" in response["Location"]
    response = client.post(
        action_url(routed_request, "withdraw"), {"expected_status": "awaiting_acceptance"}
    )
    assert response.status_code == 302
    assert (
        ServiceRequest.objects.get(pk=routed_request.pk).status == RequestStatus.AWAITING_ACCEPTANCE
    )


# --- bad input ------------------------------------------------------------------------------


def test_oversized_content_is_rejected_and_nothing_written(receptionist, matter_types):
    response = client_for(receptionist).post(INTAKE, intake_form(content="诉" * 5001))
    assert response.status_code == 422
    assert "不能超过5000字" in response.content.decode()
    assert not ServiceRequest.objects.exists()
    assert not Notification.objects.exists()
    assert not Event.objects.filter(subject_type="desk.servicerequest").exists()


def test_invalid_phone_id_and_matter_type_get_chinese_messages(receptionist, matter_types):
    response = client_for(receptionist).post(
        INTAKE,
        intake_form(requester_mobile="12345", id_number="150206198005171234", matter_type="nope"),
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "手机号码应为11位数字" in html
    assert "未知或已停用的事项类型" in html
    assert "身份证" in html
    assert not ServiceRequest.objects.exists()


def test_failing_later_step_rolls_back_the_creation(receptionist, matter_types):
    """'其他诉求' has no checklist: sending it fails, so the request is not created either."""
    response = client_for(receptionist).post(
        INTAKE,
        intake_form(matter_type="demand", send_checklist="on", title="其他诉求", content="内容"),
    )
    assert response.status_code == 422
    assert "尚未发布一次告知清单" in response.content.decode()
    assert not ServiceRequest.objects.exists()
    assert not Notification.objects.exists()
    assert not Event.objects.filter(subject_type="desk.servicerequest").exists()


def test_on_the_spot_without_answer_and_checklist_without_phone(receptionist, matter_types):
    response = client_for(receptionist).post(
        INTAKE, intake_form(requester_mobile="", answer_on_the_spot="on", send_checklist="on")
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "勾选当场答复时必须填写答复内容" in html and "发送一次告知清单需要手机号码" in html
    assert not ServiceRequest.objects.exists()


def test_double_submit_creates_one_request(receptionist, matter_types):
    client = client_for(receptionist)
    first = client.post(INTAKE, intake_form(key="same"))
    second = client.post(INTAKE, intake_form(key="same"))
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert ServiceRequest.objects.count() == 1


def test_action_with_missing_reason_rerenders_with_field_error(receptionist, routed_request):
    response = client_for(receptionist).post(
        action_url(routed_request, "withdraw"),
        {"expected_status": "awaiting_acceptance", "reason": ""},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "请填写理由" in html and "撤回：请检查填写内容" in html
    assert db_verbs(routed_request) == ["registered", "routed"]


def test_service_refusal_rerenders_detail_with_message(receptionist, routed_request):
    """Merging into an unknown number: the service-side check fails, nothing is written."""
    response = client_for(receptionist).post(
        action_url(routed_request, "merge"),
        {"expected_status": "awaiting_acceptance", "into": "SS20260101-09999", "reason": "重复"},
    )
    assert response.status_code == 422
    assert "未找到诉求 SS20260101-09999" in response.content.decode()
    assert (
        ServiceRequest.objects.get(pk=routed_request.pk).status == RequestStatus.AWAITING_ACCEPTANCE
    )
