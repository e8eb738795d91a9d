"""/api/v1/desk end to end: DESIGN flow 4, idempotent create, bad input, OpenAPI, query counts."""

# ruff: noqa: F811  (shared fixtures are imported from test_api_support and used by name)

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from youjie.core.models import Event, IdempotencyKey
from youjie.desk import services
from youjie.desk.models import ServiceRequest
from youjie.notifications.models import Notification

from .test_api_support import (  # noqa: F401
    API,
    CASE_NUMBER,
    anonymous,
    as_user,
    court_api,
    create_body,
    feedback_token_from_sms,
    intake,
    other_court,
    other_court_api,
    token_for,
)

pytestmark = pytest.mark.django_db

MOBILE = "13812345678"


def timeline_of(api: Any, request_id: int) -> list[tuple[str, str, str, str]]:
    response = api.get(f"/requests/{request_id}")
    assert response.status_code == 200, response.content
    return [
        (event["verb"], event["actor"], event["from_state"], event["to_state"])
        for event in response.json()["timeline"]
    ]


def test_flow_4_overdue_supervised_answered_rated_closed(
    court_api, receptionist, judge, division_head, civil_case, matter_types
):
    """DESIGN flow 4 through the API: routed by case number to the judge, accepted, overdue
    for the division head, supervised, answered, rated by link, closed, visited — every step an
    event on the timeline, and nothing leaves the overdue list without one."""
    created = court_api.post(
        "/requests",
        create_body(
            matter_type="complaint",
            title="承办法官一直联系不上",
            content=f"我的案件{CASE_NUMBER}一直没有开庭通知，多次打电话也联系不上承办法官。",
            requester_name="张三",
            requester_mobile=MOBILE,
            related_case_number="(2026)内0206民初123号",
        ),
    )
    assert created.status_code == 201, created.content
    body = created.json()
    request_id = body["id"]
    assert body["number"].startswith("SS")
    assert body["status"] == "awaiting_acceptance"
    assert body["routing_rule"] == "case"
    assert body["transfer_user"] == "李敏"
    assert body["related_case_number"] == CASE_NUMBER
    assert body["requester_mobile_masked"] == "138****5678"
    assert MOBILE not in created.content.decode()

    judge_api = as_user(judge)
    accepted = judge_api.post(
        f"/requests/{request_id}/accept", {"expected_status": "awaiting_acceptance"}
    )
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["status"] == "in_progress"
    assert accepted.json()["assignee"] == "李敏"
    assert accepted.json()["first_contact"] is None  # came by WeChat: no staff received it first

    head = as_user(division_head)
    assert head.get("/requests", {"overdue": "true"}).json()["items"] == []

    # Time passes: both deadlines are now behind us; the sweep records it and tells the head.
    now = timezone.now()
    ServiceRequest.objects.filter(pk=request_id).update(
        first_response_due=now - timedelta(days=2), completion_due=now - timedelta(hours=1)
    )
    assert services.desk_remind_and_flag_overdue(now=now)["overdue"] == 2
    number = body["number"]
    # The assignee and the division head are told (outbox rows, one per person).
    assert Notification.objects.filter(subject=f"超期：{number}").count() == 4
    overdue = head.get("/requests", {"overdue": "true"})
    assert overdue.status_code == 200
    assert [item["id"] for item in overdue.json()["items"]] == [request_id]
    assert overdue.json()["items"][0]["is_overdue"] is True

    new_deadline = (timezone.now() + timedelta(days=3)).replace(microsecond=0)
    supervised = head.post(
        f"/requests/{request_id}/supervise",
        {
            "reason": "当事人多次反映联系不上法官，请三日内答复",
            "new_deadline": new_deadline.isoformat(),
        },
    )
    assert supervised.status_code == 200, supervised.content
    detail = supervised.json()
    assert detail["is_supervised"] is True
    assert parse_datetime(detail["deadlines"]["completion_due"]) == new_deadline
    assert detail["deadlines"]["completion_overdue"] is False
    # The first response is still missing, so it stays on the overdue list until answered.
    assert detail["deadlines"]["first_response_overdue"] is True
    assert detail["supervisions"][0]["supervisor"] == "张建国"
    listed = head.get("/requests", {"supervised": "true"}).json()["items"]
    assert [item["id"] for item in listed] == [request_id]
    assert [item["id"] for item in head.get("/requests", {"overdue": "true"}).json()["items"]] == [
        request_id
    ]

    replied = judge_api.post(
        f"/requests/{request_id}/reply",
        {
            "body": "已与您电话联系，开庭时间定于下周三上午九时，传票已寄出。",
            "expected_status": "in_progress",
        },
    )
    assert replied.status_code == 200, replied.content
    assert replied.json()["status"] == "replied"
    assert replied.json()["is_supervised"] is False
    assert replied.json()["replies"][0]["author"] == "李敏"
    assert head.get("/requests", {"overdue": "true"}).json()["items"] == []

    token = feedback_token_from_sms(ServiceRequest.objects.get(pk=request_id))
    rated = anonymous().post(f"/feedback/{token}", {"satisfaction": 4, "comment": "答复及时"})
    assert rated.status_code == 200, rated.content
    assert rated.json() == {
        "number": number,
        "status": "closed",
        "status_label": "已办结",
        "message": "感谢您的评价",
    }

    reception = as_user(receptionist)
    visits = reception.get("/return-visits").json()["items"]
    assert [(visit["request_id"], visit["reason"]) for visit in visits] == [
        (request_id, "complaint")
    ]
    visited = reception.post(
        f"/return-visits/{visits[0]['id']}",
        {"result": "resolved", "action": "none", "satisfaction": 5, "note": "已开庭，问题解决"},
    )
    assert visited.status_code == 200, visited.content
    assert visited.json()["return_visits"][0]["status"] == "done"

    assert timeline_of(head, request_id) == [
        ("registered", "微信公众号", "", "registered"),
        ("routed", "接口：微信公众号对接", "registered", "awaiting_acceptance"),
        ("accepted", "李敏", "awaiting_acceptance", "in_progress"),
        ("became_overdue", "系统", "", ""),
        ("became_overdue", "系统", "", ""),
        ("supervised", "张建国", "", ""),
        ("replied", "李敏", "in_progress", "replied"),
        ("feedback_received", "诉求人", "", ""),
        ("closed_by_feedback", "诉求人", "replied", "closed"),
        ("return_visit_queued", "系统", "", ""),
        ("return_visit_done", "王丽", "", ""),
    ]
    events = head.get(f"/requests/{request_id}").json()["timeline"]
    assert events[1]["data"]["rule"] == "case"
    assert [event["reason"] for event in events[3:5]] == ["已超过办结期限", "已超过首次回应期限"]
    assert events[5]["reason"] == "当事人多次反映联系不上法官，请三日内答复"
    assert events[7]["data"] == {"satisfaction": 4, "disputed": False}
    final = head.get(f"/requests/by-number/{number}").json()
    assert final["status"] == "closed" and final["feedback"]["satisfaction"] == 4
    assert "token" not in str(final["feedback"])


def test_idempotency_key(court_api, other_court_api, matter_types):
    headers = {"Idempotency-Key": "wx-msg-0001"}
    first = court_api.post("/requests", create_body(), headers=headers)
    assert first.status_code == 201, first.content
    assert "Idempotent-Replayed" not in first.headers
    notifications = Notification.objects.count()

    again = court_api.post("/requests", create_body(), headers=headers)
    assert again.status_code == 200
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["number"] == first.json()["number"]
    assert ServiceRequest.objects.count() == 1
    assert Notification.objects.count() == notifications

    reused = court_api.post("/requests", create_body(title="另一件事"), headers=headers)
    assert reused.status_code == 409
    assert reused.json()["code"] == "idempotency_key_reused"
    assert ServiceRequest.objects.count() == 1

    # The key belongs to its caller: another integration may use the same string.
    elsewhere = other_court_api.post("/requests", create_body(), headers=headers)
    assert elsewhere.status_code == 201
    assert ServiceRequest.objects.count() == 2

    # Without a key every POST is a new request.
    assert court_api.post("/requests", create_body()).status_code == 201
    assert court_api.post("/requests", create_body()).status_code == 201
    assert ServiceRequest.objects.count() == 4

    bad_key = court_api.post("/requests", create_body(), headers={"Idempotency-Key": "键" * 3})
    assert bad_key.status_code == 422
    assert bad_key.json()["code"] == "invalid_idempotency_key"
    assert ServiceRequest.objects.count() == 4


def test_idempotency_key_survives_a_rejected_first_attempt(court_api, matter_types):
    headers = {"Idempotency-Key": "retry-after-fix"}
    rejected = court_api.post("/requests", create_body(matter_type="no_such_type"), headers=headers)
    assert rejected.status_code == 422
    assert IdempotencyKey.objects.count() == 0
    fixed = court_api.post("/requests", create_body(), headers=headers)
    assert fixed.status_code == 201


BAD_INPUT = [
    ({"matter_type": "no_such_type"}, "matter_type"),
    ({"requester_mobile": "12345"}, "requester_mobile"),
    ({"title": "标" * 101}, "title"),
    ({"content": "长" * 5001}, "content"),
    ({"requester_name": "名" * 51}, "requester_name"),
    ({"requester_mobile": "1" * 33}, "requester_mobile"),
    ({"line_number": "9" * 21}, "line_number"),
    ({"line_number": "0472-0000000"}, "line"),
    ({"related_case_number": "案" * 41}, "related_case_number"),
    ({"related_case_number": "（2026）内0206民初999号"}, "related_case_number"),
    ({"related_case_number": "不是案号"}, "related_case_number"),
    ({"channel": "fax"}, "channel"),
    ({"channel": "walk_in"}, "channel"),  # a token cannot claim a walk-in
    ({"title": "   "}, "title"),
    ({"title": None}, "title"),
    ({"requester_id": 999_999}, "requester_id"),
    ({"route": "maybe"}, "route"),
]


@pytest.mark.parametrize(("overrides", "field"), BAD_INPUT)
def test_bad_input_is_422_with_fields_and_writes_nothing(court_api, matter_types, overrides, field):
    events_before = Event.objects.count()
    response = court_api.post(
        "/requests", create_body(**overrides), headers={"Idempotency-Key": "bad-input-1"}
    )
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == "validation_failed"
    assert field in body["fields"], body
    assert ServiceRequest.objects.count() == 0
    assert Notification.objects.count() == 0
    assert IdempotencyKey.objects.count() == 0
    assert Event.objects.count() == events_before


def test_missing_fields_and_broken_json_are_422(court_api, matter_types):
    missing = court_api.post("/requests", {"channel": "api"})
    assert missing.status_code == 422
    assert set(missing.json()["fields"]) >= {"matter_type", "title", "content", "requester_name"}
    assert missing.json()["fields"]["title"] == ["此项为必填项"]
    broken = court_api.post("/requests", "{not json")
    assert broken.status_code == 400, broken.content  # the API's one mapping of a parse error
    assert broken.json()["code"] == "http_400"
    assert ServiceRequest.objects.count() == 0


def test_requester_outside_scope_cannot_be_linked(
    court_api, other_court_api, receptionist, matter_types
):
    from youjie.people.services import person_create

    person = person_create(actor=receptionist, name="钱七", mobile="13600006666")
    assert court_api.post("/requests", create_body(requester_id=person.pk)).status_code == 201
    outside = other_court_api.post("/requests", create_body(requester_id=person.pk))
    assert outside.status_code == 422
    assert outside.json()["fields"] == {"requester_id": ["人员档案不存在"]}


def test_openapi_lists_the_desk_paths(receptionist):
    response = as_user(receptionist).client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    paths = schema["paths"]
    for path in (
        "/requests",
        "/search",
        "/requests/{request_id}",
        "/requests/by-number/{number}",
        "/requests/{request_id}/route",
        "/requests/{request_id}/accept",
        "/requests/{request_id}/decline",
        "/requests/{request_id}/reply",
        "/requests/{request_id}/interim-reply",
        "/requests/{request_id}/clock-changes",
        "/requests/{request_id}/clock-changes/{change_id}/decide",
        "/requests/{request_id}/resume",
        "/requests/{request_id}/supervise",
        "/requests/{request_id}/merge",
        "/requests/{request_id}/withdraw",
        "/requests/{request_id}/send-checklist",
        "/feedback/{token}",
        "/return-visits",
        "/return-visits/{visit_id}",
        "/matter-types",
    ):
        assert API + path in paths, path
    create = paths[API + "/requests"]["post"]
    assert set(create["responses"]) >= {"200", "201"}
    assert any(param["name"] == "Idempotency-Key" for param in create["parameters"])
    assert paths[API + "/feedback/{token}"]["post"].get("security") in (None, [], [{}])
    components = schema["components"]["schemas"]
    assert components["RequestCreateIn"]["properties"]["title"]["maxLength"] == 100
    assert "requester_mobile" not in components["RequestDetailOut"]["properties"]


def test_list_query_count_is_bounded(
    court_api, receptionist, judge, civil_case, matter_types, django_assert_max_num_queries
):
    for index in range(30):
        intake(
            receptionist,
            title=f"咨询离婚诉讼材料{index}",
            requester_mobile=f"139000{index:05d}",
            related_case_number=CASE_NUMBER if index % 3 == 0 else "",
            route=index % 3 == 0,
        )
    for index in range(3):
        complaint = intake(
            receptionist,
            matter_type_code="complaint",
            title=f"投诉窗口服务{index}",
            content="窗口工作人员答复不耐心。",
            requester_mobile=f"137000{index:05d}",
        )
        services.service_request_reply(
            actor=receptionist, service_request=complaint, body="已当场答复。", on_the_spot=True
        )
        services.feedback_submit(token=complaint.feedback.token, satisfaction=3)
    reception = as_user(receptionist)
    # The bound holds whatever the number of rows: 25 rows cost what 1 row costs.
    for api in (court_api, reception):
        with django_assert_max_num_queries(6):
            response = api.get("/requests", {"page_size": 25})
        assert response.status_code == 200
        page = response.json()
        assert len(page["items"]) == 25 and page["has_next"] is True and page["page"] == 1
        with django_assert_max_num_queries(6):
            second = api.get(
                "/requests", {"page": 2, "page_size": 25, "overdue": "false", "q": "离婚"}
            )
        assert [len(second.json()["items"]), second.json()["has_next"]] == [5, False]
        with django_assert_max_num_queries(6):
            visits = api.get("/return-visits")
        assert visits.status_code == 200 and len(visits.json()["items"]) == 3
    with django_assert_max_num_queries(2):
        types = anonymous().get("/matter-types")
    assert len(types.json()) == 11


def test_hostile_input_is_4xx_never_500(receptionist, matter_types):
    api = as_user(receptionist)
    request_id = intake(receptionist).pk
    big = "9" * 25
    calls: list[tuple[str, str, Any]] = [
        ("get", f"/requests/{big}", None),
        ("post", f"/requests/{big}/accept", {}),
        ("post", f"/requests/{request_id}/clock-changes/{big}/decide", {"approve": True}),
        ("post", f"/return-visits/{big}", {"result": "resolved"}),
        ("get", f"/requests?division_id={big}", None),
        ("post", "/requests", create_body(requester_id=int(big))),
        ("post", "/requests", create_body(title="标\x00题")),
        ("post", "/requests", [1, 2]),
        ("post", f"/requests/{request_id}/reply", {"body": "\x00答复"}),
        ("post", f"/requests/{request_id}/merge", {"into_number": "\x00", "reason": "重复"}),
        ("post", f"/requests/{request_id}/supervise", {"reason": "督办", "new_deadline": 10**20}),
        ("get", "/requests/by-number/%00", None),
        ("get", "/requests?q=%00", None),
        ("post", "/feedback/%00", {"satisfaction": 5}),
    ]
    for method, path, body in calls:
        client = anonymous() if path.startswith("/feedback") else api
        response = client.get(path) if method == "get" else client.post(path, body)
        assert response.status_code in (404, 422), (path, response.status_code, response.content)
    for query in ['"', "*", "NEAR(", "a OR b", "AND", "'", '离婚"*', "^", ":", "%", "_"]:
        assert api.get("/search", {"q": query}).status_code == 200, query
    assert ServiceRequest.objects.count() == 1
    assert ServiceRequest.objects.get().status == "registered"


@pytest.mark.parametrize(
    "extra",
    [
        {},  # routed by matter type to a division
        {"related_case_number": "(2026)内0206民初123号"},  # routed to the case's judge
        {"matter_type": "complaint", "route": False},  # not routed: stays registered
    ],
)
def test_the_201_body_is_what_reading_the_request_returns(
    court_api, receptionist, civil_case, matter_types, extra
):
    """The create response is built from the objects intake made, not re-read: it must say
    exactly what a later GET says (same fields, same values, same timeline)."""
    numbers = []
    for _ in range(2):  # the second: the same person with similar text, flagged as a repeat
        created = court_api.post("/requests", create_body(**extra))
        assert created.status_code == 201, created.content
        read = court_api.get(f"/requests/{created.json()['id']}")
        assert read.status_code == 200
        assert created.json() == read.json()
        numbers.append(created.json()["number"])
    assert read.json()["repeat_of"] == numbers[0]
