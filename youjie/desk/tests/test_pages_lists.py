"""The desk's lists: bounded queries whatever the page size, pagination without COUNT(*),
search with filters, the deputies' report, and the caller lookup on the intake form."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from youjie.desk import services
from youjie.desk.choices import Priority, RequestStatus
from youjie.desk.models import MatterType, ReturnVisit, ServiceRequest
from youjie.desk.search import postgres_common_terms
from youjie.orgs.models import OrgUnit
from youjie.people.services import person_create
from youjie.people.tests.factories import build_resident_id

from .conftest import MONDAY_9AM

pytestmark = pytest.mark.django_db
ROWS = 30
# Every signed-in page: the session, the user (with their unit and its parents), their roles.
REQUEST_QUERIES = 3
# Then each list's own: its page of rows in one query, plus the division filter's options, the
# search form's matter types or the deputies' report (two counts). None grows with the rows.
LIST_QUERIES = {
    "my_queue": 1,
    "division_queue": 2,
    "intake_queue": 1,
    "overdue": 1,
    "supervised": 1,
    "priority": 3,
    "return_visits": 1,
    "search": 2,
}
LIST_URLS = {
    "priority": "?date_from=2026-01-01&date_to=2026-12-31",
    "search": "?q=离婚&status=registered&channel=walk_in",
}


def list_queries(name: str) -> int:
    """The queries of the list page ``name``: on SQLite the search first reads the newest
    matches from FTS5 (``selectors.SearchListing``, bounded)."""
    extra = name == "search" and connection.vendor == "sqlite"
    return REQUEST_QUERIES + LIST_QUERIES[name] + extra


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def intake(actor: Any, **overrides: Any) -> ServiceRequest:
    values: dict[str, Any] = {
        "channel": "walk_in",
        "matter_type_code": "divorce_filing",
        "title": "咨询如何起诉离婚",
        "content": "来访群众询问离婚诉讼需要准备哪些材料。",
        "requester_name": "李四",
        "requester_mobile": "13900001111",
        "received_at": MONDAY_9AM,
        "route": False,
    }
    values.update(overrides)
    service_request, _ = services.service_request_create(
        actor=actor, data=services.IntakeData(**values)
    )
    return service_request


def numbers_on(html: str) -> list[str]:
    return re.findall(r'class="number"><a href="/desk/\d+/">(SS\d{8}-\d{5})</a>', html)


@pytest.fixture
def many_requests(receptionist: Any, matter_types: None) -> list[ServiceRequest]:
    """30 requests of the receptionist, overdue, supervised, priority, in her division."""
    made = [
        intake(
            receptionist,
            requester_mobile=f"1390000{n:04d}",
            title=f"离婚诉讼咨询{n}",
            content=f"第{n}位来访群众询问离婚诉讼材料。",
        )
        for n in range(ROWS)
    ]
    ServiceRequest.objects.filter(pk__in=[r.pk for r in made]).update(
        completion_due=timezone.now() - timedelta(days=1),
        is_supervised=True,
        priority=Priority.PRIORITY,
        division=OrgUnit.objects.get(code="BT-BYEB-LAT"),
    )
    for service_request in made:
        ReturnVisit.objects.create(service_request=service_request, reason="sample")
    return made


@pytest.mark.parametrize("name", sorted(LIST_QUERIES))
def test_lists_show_25_rows_with_bounded_queries(
    name, receptionist, many_requests, django_assert_num_queries
):
    client = client_for(receptionist)
    query = LIST_URLS.get(name, "")
    url = reverse(f"desk:{name}") + query
    # PostgreSQL: the search reads the index's statistics at most every ten minutes per process
    # (``search.postgres_common_terms``); read here, the count is the page's own.
    postgres_common_terms()
    with django_assert_num_queries(list_queries(name)):
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    shown = re.findall(r"/desk/(\d+)/\"", html)
    assert len(set(shown)) == 25
    assert "下一页" in html and "第 1 页" in html
    with CaptureQueriesContext(connection) as queries:
        second = client.get(url + ("&" if query else "?") + "page=2")
    assert second.status_code == 200
    assert len(set(re.findall(r"/desk/(\d+)/\"", second.content.decode()))) == ROWS - 25
    if name != "priority":  # the deputies' report counts by status on purpose
        assert not any("COUNT(" in query["sql"].upper() for query in queries.captured_queries)


def test_queue_rows_show_masked_phone_badges_and_repeat_count(receptionist, matter_types):
    first = intake(
        receptionist,
        title="执行款一直未到账",
        content="我的案件执行款到现在还没有到账，请法院尽快处理。",
        matter_type_code="enforcement_demand",
    )
    intake(
        receptionist,
        title="执行款还未到账",
        content="案件执行款到现在还没有到账，再次请法院尽快处理。",
        matter_type_code="enforcement_demand",
    )
    ServiceRequest.objects.filter(pk=first.pk).update(
        completion_due=timezone.now() - timedelta(hours=1)
    )
    html = client_for(receptionist).get(reverse("desk:my_queue")).content.decode()
    assert "139****1111" in html and "13900001111" not in html
    assert "执行诉求" in html
    assert '<span class="badge">已登记</span>' in html
    assert '<span class="badge red">已超期</span>' in html
    assert '<span class="badge orange">1 次</span>' in html


def test_queue_rows_escape_what_people_typed(receptionist, judge, matter_types, settings):
    settings.YOUJIE_OTP_ENFORCED = False
    typed = intake(
        receptionist,
        title='<script>alert("标题")</script>',
        requester_name="<b>李'四</b>",
    )
    services.service_request_route(actor=receptionist, service_request=typed, user=judge)
    services.service_request_accept(actor=judge, service_request=typed)
    html = client_for(judge).get(reverse("desk:my_queue")).content.decode()
    row = re.search(r"<tr><td class=\"number\">.*?</tr>", html, re.S)
    assert row is not None
    assert "<script>" not in row.group(0) and "<b>" not in row.group(0)
    assert "&lt;script&gt;alert(&quot;标题&quot;)&lt;/script&gt;" in row.group(0)
    assert "&lt;b&gt;李&#x27;四&lt;/b&gt;" in row.group(0)
    assert f'<a href="/desk/{typed.pk}/">{typed.number}</a>' in row.group(0)
    assert f"· {judge.get_full_name()}</div>" in row.group(0)  # its assignee, after its division


def test_overdue_page_scope(
    receptionist,
    judge,
    other_judge,
    division_head,
    court_leader,
    civil_case,
    matter_types,
    settings,
):
    """Division head and court leader see all overdue requests below them; a judge only theirs."""
    settings.YOUJIE_OTP_ENFORCED = False
    mine = intake(
        receptionist,
        related_case_number="（2026）内0206民初123号",
        route=True,
        matter_type_code="contact_judge",
    )
    services.service_request_accept(actor=judge, service_request=mine)
    other = intake(receptionist, matter_type_code="contact_judge", requester_mobile="13900002222")
    services.service_request_route(actor=receptionist, service_request=other, user=other_judge)
    services.service_request_accept(actor=other_judge, service_request=other)
    past = timezone.now() - timedelta(hours=1)
    ServiceRequest.objects.update(completion_due=past, first_response_due=past)
    head_html = client_for(division_head).get(reverse("desk:overdue")).content.decode()
    judge_html = client_for(judge).get(reverse("desk:overdue")).content.decode()
    assert set(numbers_on(head_html)) == {mine.number, other.number}
    assert numbers_on(judge_html) == [mine.number]
    leader_html = client_for(court_leader).get(reverse("desk:overdue")).content.decode()
    assert set(numbers_on(leader_html)) == {mine.number, other.number}
    assert "本庭室（院）已超过" in leader_html and "我承办或经手" in judge_html


def test_search_filters_and_htmx_partial(receptionist, matter_types):
    wanted = intake(
        receptionist,
        title="关于诉讼保全的咨询",
        content="想了解诉讼保全需要交多少保全费。",
        requester_mobile="13900003333",
    )
    intake(
        receptionist,
        title="立案咨询",
        content="如何网上立案。",
        channel="phone",
        requester_mobile="13900004444",
    )
    client = client_for(receptionist)
    url = reverse("desk:search")
    assert numbers_on(client.get(url, {"q": "保全"}).content.decode()) == [wanted.number]
    assert numbers_on(client.get(url, {"q": wanted.number.lower()}).content.decode()) == [
        wanted.number
    ]
    assert numbers_on(client.get(url, {"channel": "phone"}).content.decode()) != [wanted.number]
    assert numbers_on(client.get(url, {"q": "保全", "status": "closed"}).content.decode()) == []
    assert numbers_on(
        client.get(
            url,
            {"matter_type": "divorce_filing", "date_from": "2026-01-01", "date_to": "2026-12-31"},
        ).content.decode()
    )
    partial = client.get(url, {"q": "保全"}, HTTP_HX_REQUEST="true")
    assert partial.status_code == 200
    assert "<html" not in partial.content.decode() and wanted.number in partial.content.decode()


def test_search_rejects_long_query_and_bad_dates(receptionist, matter_types):
    client = client_for(receptionist)
    response = client.get(reverse("desk:search"), {"q": "保" * 51})
    assert response.status_code == 422
    assert "检索词不能超过50字" in response.content.decode()
    response = client.get(
        reverse("desk:search"), {"date_from": "2026-12-01", "date_to": "2026-11-01"}
    )
    assert response.status_code == 422 and "结束日期不能早于开始日期" in response.content.decode()
    response = client.get(reverse("desk:search"), {"status": "nonsense"})
    assert response.status_code == 422


def test_priority_report_counts_and_on_time_rate(receptionist, matter_types):
    deputy = person_create(actor=receptionist, name="王代表", mobile="13700001111", is_deputy=True)
    answered = intake(
        receptionist,
        requester_id=deputy.pk,
        matter_type_code="demand",
        title="代表反映问题",
        content="代表反映执行难问题。",
        # Received now: the reply below is made now, so it is on time whatever today's date.
        received_at=timezone.now(),
    )
    intake(
        receptionist,
        requester_id=deputy.pk,
        matter_type_code="demand",
        title="代表再次反映",
        content="代表反映立案难问题。",
        requester_mobile="13700002222",
    )
    intake(receptionist, matter_type_code="demand", requester_mobile="13700003333")  # not a deputy
    services.service_request_reply(
        actor=receptionist, service_request=answered, body="已答复代表。"
    )
    today = timezone.localdate()
    html = (
        client_for(receptionist)
        .get(reverse("desk:priority"), {"date_from": f"{today:%Y-%m-01}", "date_to": f"{today}"})
        .content.decode()
    )
    assert "登记<strong>2</strong>" in html
    assert "已登记<strong>1</strong>" in html and "已答复<strong>1</strong>" in html
    assert "作出答复<strong>1</strong>" in html and "按期答复<strong>1</strong>" in html
    assert "按期答复率<strong>100.0%</strong>" in html
    default = client_for(receptionist).get(reverse("desk:priority")).content.decode()
    assert f'value="{today:%Y-%m-01}"' in default and "登记<strong>2</strong>" in default
    assert len(numbers_on(html)) == 2
    bad = client_for(receptionist).get(
        reverse("desk:priority"), {"date_from": "2020-01-01", "date_to": "2026-01-01"}
    )
    assert "统计期间不能超过两年" in bad.content.decode()


def test_division_queue_filter_by_division(receptionist, judge, division_head, matter_types):
    service_request = intake(receptionist, matter_type_code="contact_judge")
    civil = OrgUnit.objects.get(code="BT-BYEB-MS")
    services.service_request_route(actor=receptionist, service_request=service_request, user=judge)
    services.service_request_accept(actor=judge, service_request=service_request)
    assert (
        service_request.number
        in client_for(division_head).get(reverse("desk:division_queue")).content.decode()
    )
    reception = client_for(receptionist)
    assert (
        service_request.number not in reception.get(reverse("desk:division_queue")).content.decode()
    )
    html = reception.get(reverse("desk:division_queue"), {"division": civil.pk}).content.decode()
    assert service_request.number in html and "民事" in html
    assert reception.get(reverse("desk:division_queue"), {"division": "abc"}).status_code == 200


# --- the caller lookup on the intake form ----------------------------------------------------


def test_lookup_by_phone_shows_person_open_requests_and_cases(
    receptionist, civil_case, party, matter_types
):
    open_request = intake(
        receptionist,
        requester_mobile="13812345678",
        requester_name="张三",
        title="询问开庭时间",
        content="询问开庭时间。",
    )
    client = client_for(receptionist)
    response = client.post(
        reverse("desk:lookup"),
        {"requester_mobile": "138 1234 5678", "id_number": ""},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert "张三" in html and f'value="{party.pk}"' in html and "checked" in html
    assert open_request.number in html
    assert "（2026）内0206民初123号" in html and "李敏" in html
    # The brief's GET form of the same call answers the same.
    assert (
        open_request.number
        in client.get(reverse("desk:lookup"), {"requester_mobile": "13812345678"}).content.decode()
    )


def test_lookup_by_id_number(receptionist, matter_types):
    id_number = build_resident_id(address_code="150206", sequence=31)
    person = person_create(
        actor=receptionist, name="王五", id_number=id_number, mobile="13600001111"
    )
    html = (
        client_for(receptionist)
        .post(reverse("desk:lookup"), {"id_number": id_number})
        .content.decode()
    )
    assert "王五" in html and f'value="{person.pk}"' in html
    assert id_number not in html  # masked
    hint = (
        client_for(receptionist)
        .post(reverse("desk:lookup"), {"id_number": id_number[:10]})
        .content.decode()
    )
    assert "身份证号不完整" in hint


def test_lookup_shows_nothing_for_an_out_of_scope_person(
    receptionist, county_officer, matter_types
):
    person_create(actor=county_officer, name="石拐赵六", mobile="13700009999")
    html = (
        client_for(receptionist)
        .post(reverse("desk:lookup"), {"requester_mobile": "13700009999"})
        .content.decode()
    )
    assert "石拐赵六" not in html
    assert "未找到本人可查看的人员档案" in html
    assert (
        "输入完整的11位手机号码"
        in client_for(receptionist)
        .post(reverse("desk:lookup"), {"requester_mobile": "1370"})
        .content.decode()
    )


def test_intake_with_chosen_person_links_the_requester(receptionist, party, matter_types):
    response = client_for(receptionist).post(
        reverse("desk:intake"),
        {
            "submission_key": "k-person",
            "channel": "phone",
            "requester_mobile": "13812345678",
            "requester_name": "张三",
            "requester_id": str(party.pk),
            "matter_type": "filing_consult",
            "title": "立案咨询",
            "content": "询问如何立案。",
        },
    )
    assert response.status_code == 302
    service_request = ServiceRequest.objects.get()
    assert service_request.requester == party
    assert service_request.status == RequestStatus.REGISTERED  # auto-route unticked


def test_intake_refuses_a_person_out_of_scope(receptionist, county_officer, matter_types):
    stranger = person_create(actor=county_officer, name="石拐赵六", mobile="13700009999")
    response = client_for(receptionist).post(
        reverse("desk:intake"),
        {
            "submission_key": "k-stranger",
            "channel": "phone",
            "requester_mobile": "13700009999",
            "requester_name": "赵六",
            "requester_id": str(stranger.pk),
            "matter_type": "filing_consult",
            "title": "立案咨询",
            "content": "询问如何立案。",
        },
    )
    assert response.status_code == 422
    assert "所选人员档案不存在或无权查看" in response.content.decode()
    assert not ServiceRequest.objects.exists()


def test_division_head_sees_requests_awaiting_the_divisions_acceptance(
    receptionist, division_head, matter_types
):
    service_request = intake(receptionist, matter_type_code="contact_judge")
    civil = OrgUnit.objects.get(code="BT-BYEB-MS")
    services.service_request_route(
        actor=receptionist, service_request=service_request, division=civil
    )
    head = client_for(division_head)
    assert service_request.number in head.get(reverse("desk:division_queue")).content.decode()
    assert head.get(reverse("desk:detail", args=[service_request.pk])).status_code == 200


def test_lists_follow_new_rows_and_each_viewers_scope(
    receptionist, judge, division_head, matter_types, settings
):
    """The same list for the same viewer shows the rows added since; the same words for another
    viewer give the rows of their scope; a viewer moved to another division gets its queue."""
    settings.YOUJIE_OTP_ENFORCED = False
    first = intake(receptionist, title="诉讼保全咨询", content="询问保全担保。")
    services.service_request_route(actor=receptionist, service_request=first, user=judge)
    services.service_request_accept(actor=judge, service_request=first)
    head = client_for(division_head)
    division_url = reverse("desk:division_queue")
    assert numbers_on(head.get(division_url).content.decode()) == [first.number]
    second = intake(
        receptionist, title="保全费用咨询", content="保全费交多少。", requester_mobile="13900005555"
    )
    services.service_request_route(actor=receptionist, service_request=second, user=judge)
    services.service_request_accept(actor=judge, service_request=second)
    assert numbers_on(head.get(division_url).content.decode()) == [second.number, first.number]

    search_url = reverse("desk:search")
    unrouted = intake(
        receptionist, title="保全咨询", content="保全如何申请。", requester_mobile="13900006666"
    )
    everyone = [unrouted.number, second.number, first.number]
    assert numbers_on(client_for(receptionist).get(search_url, {"q": "保全"}).content.decode()) == (
        everyone
    )
    # The same words, a narrower scope: the judge sees what is assigned to them only.
    judge_client = client_for(judge)
    assert numbers_on(judge_client.get(search_url, {"q": "保全"}).content.decode()) == [
        second.number,
        first.number,
    ]
    services.service_request_route(actor=receptionist, service_request=unrouted, user=judge)
    assert numbers_on(judge_client.get(search_url, {"q": "保全"}).content.decode()) == everyone

    # The head moves to the case-filing division: their own division's queue is another one.
    division_head.org_unit = OrgUnit.objects.get(code="BT-BYEB-LAT")
    division_head.save(update_fields=["org_unit"])
    assert numbers_on(head.get(division_url).content.decode()) == []


@pytest.mark.parametrize("name", sorted(LIST_QUERIES))
def test_a_list_costs_the_same_queries_for_one_row_as_for_a_full_page(
    name, receptionist, matter_types, django_assert_num_queries
):
    """No query per row: the page of one request and the page of 25 (of 30) cost the same."""
    client = client_for(receptionist)
    url = reverse(f"desk:{name}") + LIST_URLS.get(name, "")
    made: list[ServiceRequest] = []
    for rows in (1, ROWS):
        while len(made) < rows:
            n = len(made)
            made.append(
                intake(
                    receptionist,
                    requester_mobile=f"1390000{n:04d}",
                    title=f"离婚诉讼咨询{n}",
                    content=f"第{n}位来访群众询问离婚诉讼材料。",
                )
            )
            # On every list: overdue, supervised, a deputy's, in the receptionist's division,
            # a return visit pending, and one in two a repeat (its badge reads no other row).
            ServiceRequest.objects.filter(pk=made[-1].pk).update(
                completion_due=timezone.now() - timedelta(days=1),
                is_supervised=True,
                priority=Priority.PRIORITY,
                division=OrgUnit.objects.get(code="BT-BYEB-LAT"),
                repeat_of=made[0] if n % 2 else None,
                repeat_count=n,
            )
            ReturnVisit.objects.create(service_request=made[-1], reason="sample")
        with django_assert_num_queries(list_queries(name)):
            response = client.get(url)
        assert response.status_code == 200
        shown = set(re.findall(r"/desk/(\d+)/\"", response.content.decode()))
        assert len(shown) == min(rows, 25), (name, rows)


def test_each_desk_page_marks_its_own_tab(receptionist, matter_types, settings):
    settings.YOUJIE_OTP_ENFORCED = False
    client = client_for(receptionist)
    for name in ("my_queue", "division_queue", "intake_queue", "overdue", "search", "intake"):
        html = client.get(reverse(f"desk:{name}")).content.decode()
        tabs = re.search(r'<nav class="desk-tabs"[^>]*>(.*?)</nav>', html, re.S)
        assert tabs is not None, name
        current = re.findall(r'<a[^>]*href="([^"]+)"[^>]*\bactive\b[^>]*>', tabs.group(1))
        assert current == [reverse(f"desk:{name}")], name
        assert len(re.findall(r"<a ", tabs.group(1))) == 10


def test_cached_queue_rows_follow_every_change_of_what_they_show(receptionist, matter_types):
    """Rows are cached whole (issue 11); the key holds every value a row shows, so a change
    made without touching ``updated_at`` (a QuerySet update, a matter type renamed) still shows."""
    shown = intake(receptionist, title="询问开庭时间", matter_type_code="filing_consult")
    in_a_week = timezone.now() + timedelta(days=7)
    ServiceRequest.objects.filter(pk=shown.pk).update(
        first_response_due=in_a_week, completion_due=in_a_week
    )
    client = client_for(receptionist)
    before = client.get(reverse("desk:my_queue")).content.decode()
    assert '<span class="badge">已登记</span>' in before and "已超期" not in before
    ServiceRequest.objects.filter(pk=shown.pk).update(
        status=RequestStatus.AWAITING_ACCEPTANCE,
        completion_due=timezone.now() - timedelta(hours=1),
    )
    MatterType.objects.filter(pk=shown.matter_type_id).update(name="新名称事项")
    after = client.get(reverse("desk:my_queue")).content.decode()
    assert shown.number in after and "已登记" not in after
    assert "待签收" in after
    assert '<span class="badge red">已超期</span>' in after
    assert "新名称事项" in after
