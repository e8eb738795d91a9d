"""/api/v1/desk actions one by one: routing, decline, clock changes, merge, withdraw, the
checklist, stale forms and refused transitions, lists with filters and Chinese search."""

# ruff: noqa: F811  (shared fixtures are imported from test_api_support and used by name)

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from youjie.desk.models import ClockChange, ServiceRequest
from youjie.notifications.models import Notification
from youjie.people.services import person_create

from .test_api_support import (  # noqa: F401
    CASE_NUMBER,
    as_user,
    court_api,
    create_body,
    intake,
)

pytestmark = pytest.mark.django_db

PARTY_MOBILE = "13812345678"  # the plaintiff 张三 of the conftest case


def verbs(api, request_id: int) -> list[str]:
    return [event["verb"] for event in api.get(f"/requests/{request_id}").json()["timeline"]]


def test_route_decline_route_accept(receptionist, judge, civil_division, matter_types):
    reception = as_user(receptionist)
    request_id = intake(receptionist, matter_type_code="contact_judge").pk
    missing = reception.post(f"/requests/{request_id}/route", {"division_code": "NO-SUCH"})
    assert missing.status_code == 422 and "division_code" in missing.json()["fields"]
    nobody = reception.post(f"/requests/{request_id}/route", {"username": "nobody"})
    assert nobody.status_code == 422 and "username" in nobody.json()["fields"]
    neither = reception.post(f"/requests/{request_id}/route", {})
    assert neither.status_code == 422

    routed = reception.post(
        f"/requests/{request_id}/route",
        {"username": "judge_li", "reason": "联系承办法官", "expected_status": "registered"},
    )
    assert routed.status_code == 200, routed.content
    assert routed.json()["status"] == "awaiting_acceptance"
    assert routed.json()["transfer_user"] == "李敏"
    assert routed.json()["transfer_division"] == civil_division.name

    judge_api = as_user(judge)
    no_reason = judge_api.post(f"/requests/{request_id}/decline", {"reason": " "})
    assert no_reason.status_code == 422 and "reason" in no_reason.json()["fields"]
    declined = judge_api.post(
        f"/requests/{request_id}/decline", {"reason": "当事人案件不在本人名下"}
    )
    assert declined.status_code == 200, declined.content
    assert declined.json()["status"] == "registered"

    again = reception.post(
        f"/requests/{request_id}/route",
        {"division_code": civil_division.code, "username": "judge_li", "reason": "改派民事庭李敏"},
    )
    assert again.json()["status"] == "awaiting_acceptance"
    accepted = judge_api.post(f"/requests/{request_id}/accept", {})
    assert accepted.status_code == 200, accepted.content
    assert (
        accepted.json()["assignee"] == "李敏" and accepted.json()["division"] == civil_division.name
    )
    assert verbs(reception, request_id) == [
        "registered",
        "routed",
        "declined",
        "routed",
        "accepted",
    ]


def test_request_routed_to_a_division_is_accepted_by_its_head(
    receptionist, division_head, civil_division, matter_types
):
    request_id = intake(receptionist, matter_type_code="contact_judge").pk
    routed = as_user(receptionist).post(
        f"/requests/{request_id}/route", {"division_code": civil_division.code}
    )
    assert routed.status_code == 200, routed.content
    head = as_user(division_head)
    assert [item["id"] for item in head.get("/requests").json()["items"]] == [request_id]
    accepted = head.post(f"/requests/{request_id}/accept", {})
    assert accepted.status_code == 200, accepted.content


def test_stale_form_and_invalid_transitions(receptionist, judge, civil_case, matter_types):
    judge_api = as_user(judge)
    request_id = intake(
        receptionist,
        matter_type_code="contact_judge",
        related_case_number=CASE_NUMBER,
        requester_mobile=PARTY_MOBILE,  # a verified party: the reply needs no confirmation
        route=True,
    ).pk
    stale = judge_api.post(
        f"/requests/{request_id}/reply", {"body": "答复", "expected_status": "in_progress"}
    )
    assert stale.status_code == 422
    assert stale.json()["code"] == "stale"
    assert stale.json()["extra"] == {"status": "awaiting_acceptance"}
    assert judge_api.post(f"/requests/{request_id}/accept", {}).status_code == 200
    again = judge_api.post(f"/requests/{request_id}/accept", {})
    assert again.status_code == 409 and again.json()["code"] == "invalid_transition"
    resume = judge_api.post(f"/requests/{request_id}/resume", {"reason": "恢复"})
    assert resume.status_code == 409 and resume.json()["code"] == "invalid_transition"
    unknown = judge_api.post(
        f"/requests/{request_id}/reply", {"body": "答复", "expected_status": "bogus"}
    )
    assert unknown.status_code == 422 and "expected_status" in unknown.json()["fields"]
    assert judge_api.post(f"/requests/{request_id}/reply", {"body": "已答复。"}).status_code == 200
    replied_again = judge_api.post(f"/requests/{request_id}/reply", {"body": "再次答复"})
    assert replied_again.status_code == 409 and replied_again.json()["code"] == "invalid_transition"
    withdraw = judge_api.post(f"/requests/{request_id}/withdraw", {"reason": "撤回"})
    assert withdraw.status_code == 409
    assert (
        judge_api.post(f"/requests/{request_id}/interim-reply", {"body": "进展"}).status_code == 409
    )
    assert ServiceRequest.objects.get(pk=request_id).status == "replied"


def test_pause_approve_resume_and_extension_reject(
    receptionist, judge, division_head, civil_case, matter_types
):
    judge_api, head = as_user(judge), as_user(division_head)
    request_id = intake(
        receptionist,
        matter_type_code="contact_judge",
        related_case_number=CASE_NUMBER,
        requester_mobile=PARTY_MOBILE,  # a verified party: the reply needs no confirmation
        route=True,
    ).pk
    judge_api.post(f"/requests/{request_id}/accept", {})
    interim = judge_api.post(
        f"/requests/{request_id}/interim-reply", {"body": "已收到，正在联系书记员。"}
    )
    assert interim.status_code == 200
    assert interim.json()["deadlines"]["first_responded_at"] is not None
    assert interim.json()["replies"][0]["kind"] == "interim"
    bad_kind = judge_api.post(
        f"/requests/{request_id}/clock-changes", {"kind": "stop", "reason": "x"}
    )
    assert bad_kind.status_code == 422 and "kind" in bad_kind.json()["fields"]
    asked = judge_api.post(
        f"/requests/{request_id}/clock-changes", {"kind": "pause", "reason": "等待鉴定意见"}
    )
    assert asked.status_code == 200, asked.content
    change = asked.json()["clock_changes"][0]
    assert change["status"] == "pending" and change["kind"] == "pause"
    twice = judge_api.post(
        f"/requests/{request_id}/clock-changes", {"kind": "pause", "reason": "再次申请"}
    )
    assert twice.status_code == 409 and twice.json()["code"] == "conflict"
    assert (
        head.post(
            f"/requests/{request_id}/clock-changes/999999/decide", {"approve": True}
        ).status_code
        == 404
    )
    approved = head.post(
        f"/requests/{request_id}/clock-changes/{change['id']}/decide",
        {"approve": True, "note": "同意"},
    )
    assert approved.status_code == 200, approved.content
    assert approved.json()["status"] == "paused"
    assert approved.json()["clock_changes"][0]["decided_by"] == "张建国"
    decided_twice = head.post(
        f"/requests/{request_id}/clock-changes/{change['id']}/decide", {"approve": True}
    )
    assert decided_twice.status_code == 422 and decided_twice.json()["code"] == "stale"
    resumed = judge_api.post(
        f"/requests/{request_id}/resume", {"reason": "鉴定意见已到", "expected_status": "paused"}
    )
    assert resumed.status_code == 200 and resumed.json()["status"] == "in_progress"

    zero = judge_api.post(
        f"/requests/{request_id}/clock-changes", {"kind": "extension", "reason": "复杂"}
    )
    assert zero.status_code == 422 and "extra_workdays" in zero.json()["fields"]
    too_many = judge_api.post(
        f"/requests/{request_id}/clock-changes",
        {"kind": "extension", "reason": "复杂", "extra_workdays": 61},
    )
    assert too_many.status_code == 422
    extension = judge_api.post(
        f"/requests/{request_id}/clock-changes",
        {"kind": "extension", "reason": "案情复杂", "extra_workdays": 5},
    ).json()["clock_changes"][0]
    rejected = head.post(
        f"/requests/{request_id}/clock-changes/{extension['id']}/decide",
        {"approve": False, "note": "不同意"},
    )
    assert rejected.status_code == 200
    assert ClockChange.objects.get(pk=extension["id"]).status == "rejected"
    assert verbs(head, request_id)[3:] == [
        "interim_reply",
        "pause_requested",
        "paused",
        "resumed",
        "extension_requested",
        "extension_rejected",
    ]


def test_supervise_input_and_state(receptionist, judge, division_head, civil_case, matter_types):
    head = as_user(division_head)
    request_id = intake(
        receptionist,
        matter_type_code="contact_judge",
        related_case_number=CASE_NUMBER,
        requester_mobile=PARTY_MOBILE,  # a verified party: the reply needs no confirmation
        route=True,
    ).pk
    as_user(judge).post(f"/requests/{request_id}/accept", {})
    url = f"/requests/{request_id}/supervise"
    naive = head.post(url, {"reason": "督办", "new_deadline": "2030-01-01T09:00:00"})
    assert naive.status_code == 422 and "new_deadline" in naive.json()["fields"]
    past = head.post(url, {"reason": "督办", "new_deadline": "2020-01-01T09:00:00+08:00"})
    assert past.status_code == 422
    garbage = head.post(url, {"reason": "督办", "new_deadline": "明天"})
    assert garbage.status_code == 422 and "new_deadline" in garbage.json()["fields"]
    as_user(judge).post(f"/requests/{request_id}/reply", {"body": "已答复"})
    future = (timezone.now() + timedelta(days=2)).isoformat()
    late = head.post(url, {"reason": "督办", "new_deadline": future})
    assert late.status_code == 409 and late.json()["code"] == "invalid_transition"


def test_merge_withdraw_and_by_number(receptionist, matter_types):
    reception = as_user(receptionist)
    first = intake(receptionist, title="执行款未到账", requester_mobile="13900003333")
    duplicate = intake(receptionist, title="执行款还没到账", requester_mobile="13900004444")
    other = intake(receptionist, title="想撤回", requester_mobile="13900005555")
    wrong = reception.post(
        f"/requests/{duplicate.pk}/merge", {"into_number": "SS19990101-00001", "reason": "重复"}
    )
    assert wrong.status_code == 422 and "into_number" in wrong.json()["fields"]
    itself = reception.post(
        f"/requests/{duplicate.pk}/merge", {"into_number": duplicate.number, "reason": "重复"}
    )
    assert itself.status_code == 422
    merged = reception.post(
        f"/requests/{duplicate.pk}/merge",
        {"into_number": first.number.lower(), "reason": "同一诉求重复登记"},
    )
    assert merged.status_code == 200, merged.content
    assert merged.json()["status"] == "merged" and merged.json()["merged_into"] == first.number
    assert verbs(reception, first.pk)[-1] == "merged_from"
    withdrawn = reception.post(
        f"/requests/{other.pk}/withdraw",
        {"reason": "诉求人来电撤回", "expected_status": "registered"},
    )
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    again = reception.post(f"/requests/{other.pk}/withdraw", {"reason": "再次撤回"})
    assert again.status_code == 409 and again.json()["code"] == "invalid_transition"
    by_number = reception.get(f"/requests/by-number/{first.number}")
    assert by_number.status_code == 200 and by_number.json()["id"] == first.pk
    assert reception.get("/requests/by-number/" + "S" * 30).status_code == 404
    assert reception.get("/requests/by-number/SS19990101-00001").status_code == 404
    assert reception.get("/requests/999999").status_code == 404


def test_send_checklist(receptionist, matter_types):
    reception = as_user(receptionist)
    request_id = intake(receptionist).pk
    before = Notification.objects.filter(channel="sms").count()
    sent = reception.post(
        f"/requests/{request_id}/send-checklist", {"expected_status": "registered"}
    )
    assert sent.status_code == 200, sent.content
    assert Notification.objects.filter(channel="sms").count() == before + 1
    assert verbs(reception, request_id)[-1] == "checklist_sent"
    none = intake(receptionist, matter_type_code="complaint", requester_mobile="13900006666").pk
    missing = reception.post(f"/requests/{none}/send-checklist", {})
    assert missing.status_code == 422 and missing.json()["code"] == "no_checklist"


def test_disputed_feedback_reopens(receptionist, matter_types):
    from youjie.desk.models import Feedback

    from .test_api_support import anonymous

    reception = as_user(receptionist)
    request_id = intake(receptionist).pk
    reception.post(f"/requests/{request_id}/reply", {"body": "已当场告知。", "on_the_spot": True})
    token = Feedback.objects.get(service_request_id=request_id).token
    disputed = anonymous().post(
        f"/feedback/{token}", {"satisfaction": 1, "comment": "没有说清楚", "disputed": True}
    )
    assert disputed.status_code == 200
    assert disputed.json()["status"] == "in_progress"
    assert verbs(reception, request_id)[-2:] == ["feedback_received", "disputed"]


def test_list_filters_and_search(
    court_api, receptionist, judge, civil_case, civil_division, matter_types
):
    reception = as_user(receptionist)
    deputy = person_create(actor=receptionist, name="王代表", mobile="13700001111", is_deputy=True)
    divorce = intake(receptionist, content="咨询离婚诉讼需要准备哪些材料")
    priority = intake(
        receptionist,
        matter_type_code="demand",
        title="代表反映执行难",
        content="执行款长期未到位",
        requester_id=deputy.pk,
        requester_mobile="13700001111",
    )
    routed = intake(
        receptionist,
        matter_type_code="contact_judge",
        title="联系承办法官",
        content="想联系承办法官询问开庭时间",
        related_case_number=CASE_NUMBER,
        route=True,
        requester_mobile="13900007777",
    )
    as_user(judge).post(f"/requests/{routed.pk}/accept", {})
    wechat = court_api.post("/requests", create_body(content="网上立案需要哪些材料")).json()

    def ids(params):
        response = reception.get("/requests", params)
        assert response.status_code == 200, response.content
        return [item["id"] for item in response.json()["items"]]

    assert ids({}) == [wechat["id"], routed.pk, priority.pk, divorce.pk]
    assert ids({"status": "in_progress"}) == [routed.pk]
    assert ids({"matter_type": "divorce_filing"}) == [divorce.pk]
    assert ids({"channel": "wechat"}) == [wechat["id"]]
    assert ids({"priority": "priority"}) == [priority.pk]
    assert ids({"division_id": civil_division.pk}) == [routed.pk]
    assert ids({"q": "离婚"}) == [divorce.pk]
    assert ids({"q": divorce.number}) == [divorce.pk]
    assert ids({"page_size": 2, "page": 2}) == [priority.pk, divorce.pk]
    for params in (
        {"page_size": 101},
        {"page": 0},
        {"q": "字" * 51},
        {"status": "nope"},
        {"channel": "fax"},
    ):
        response = reception.get("/requests", params)
        assert response.status_code == 422, params
        assert response.json()["code"] == "validation_failed"
    search = reception.get("/search", {"q": "材料"}).json()["items"]
    assert {item["id"] for item in search} == {divorce.pk, wechat["id"]}
    assert (
        reception.get("/search", {"q": "材料", "channel": "wechat"}).json()["items"][0]["id"]
        == wechat["id"]
    )
    assert reception.get("/search").status_code == 422
    assert reception.get("/search", {"q": "火星"}).json()["items"] == []
    listed = reception.get("/requests").content.decode()
    for full in ("13700001111", "13900007777", "13700005555", "13900001111"):
        assert full not in listed
    assert "137****1111" in listed
