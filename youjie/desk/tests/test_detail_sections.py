"""The request page reads only the sections that have rows (one query says which) and caches its
parts keyed by what they show (the cards, the sections, the attachments); the search form's
filters and its cached markup."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from youjie.courtcases.models import CourtCase
from youjie.desk import selectors, services
from youjie.desk.models import ChecklistVersion, MatterType

from .test_pages_actions import client_for, detail, intake

pytestmark = pytest.mark.django_db

EMPTY = {
    "replies": False,
    "feedback": False,
    "return_visits": False,
    "supervisions": False,
    "clock_changes": False,
    "attachments": False,
}


def test_sections_appear_as_rows_are_written(receptionist, judge, division_head, matter_types):
    service_request = intake(receptionist, route=False)
    has_checklist = ChecklistVersion.objects.filter(
        matter_type_id=service_request.matter_type_id
    ).exists()
    assert selectors.detail_sections(service_request) == {**EMPTY, "checklist": has_checklist}
    services.service_request_route(
        actor=receptionist, service_request=service_request, division=None, user=judge, reason=""
    )
    services.service_request_accept(actor=judge, service_request=service_request)
    services.service_request_interim_reply(
        actor=judge, service_request=service_request, body="已联系承办法官"
    )
    services.clock_change_request(
        actor=judge, service_request=service_request, kind="extension", reason="需调阅卷宗",
        extra_workdays=3,
    )  # fmt: skip
    services.service_request_supervise(
        actor=division_head,
        service_request=service_request,
        reason="当事人多次来电",
        new_deadline=timezone.now() + timedelta(days=3),
    )
    found = selectors.detail_sections(service_request)
    assert found["replies"] and found["clock_changes"] and found["supervisions"]
    assert not found["feedback"] and not found["return_visits"] and not found["attachments"]


def test_an_empty_section_costs_no_query_and_a_full_one_shows(receptionist, judge, matter_types):
    service_request = intake(receptionist, route=False)
    client = client_for(receptionist)
    with CaptureQueriesContext(connection) as queries:
        html = detail(client, service_request)
    statements = [q["sql"] for q in queries.captured_queries]
    sections_check = [sql for sql in statements if '"has_replies"' in sql]
    assert len(sections_check) == 1  # one query answers which sections have rows
    others = " ".join(sql for sql in statements if sql not in sections_check)
    for table in ("desk_reply", "desk_feedback", "desk_supervision", "desk_attachment"):
        assert f'FROM "{table}"' in sections_check[0]  # asked inside the EXISTS check …
        assert f'FROM "{table}"' not in others  # … and never read
    assert service_request.number in html
    services.service_request_route(
        actor=receptionist, service_request=service_request, division=None, user=judge, reason=""
    )
    services.service_request_accept(actor=judge, service_request=service_request)
    services.service_request_interim_reply(
        actor=judge, service_request=service_request, body="已联系承办法官，三日内回电"
    )
    assert "已联系承办法官，三日内回电" in detail(client_for(judge), service_request)


def test_search_filters_mark_the_chosen_option_and_escape_labels(receptionist, matter_types):
    MatterType.objects.filter(code="contact_judge").update(name='<b>"粗"</b>')
    response = client_for(receptionist).get(
        reverse("desk:search"), {"status": "closed", "matter_type": "contact_judge"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    selects = dict(re.findall(r'<select name="(\w+)" id="id_\1">(.*?)</select>', html, re.S))
    assert set(selects) == {"status", "matter_type", "channel"}
    assert re.findall(r'<option value="([^"]*)" selected>', selects["status"]) == ["closed"]
    assert '<option value="closed" selected>已办结</option>' in selects["status"]
    assert re.findall(r'<option value="([^"]*)" selected>', selects["channel"]) == [""]
    assert '<option value="" selected>全部</option>' in selects["channel"]
    # The label escaped (quotes as &quot; or &#34;, as the form renderer writes them).
    assert re.search(
        r'<option value="contact_judge" selected>&lt;b&gt;(&quot;|&#34;)粗\1&lt;/b&gt;</option>',
        selects["matter_type"],
    )
    assert "<b>" not in html


def test_cached_sections_follow_every_change_and_a_hit_reads_none_of_them(
    receptionist, judge, division_head, matter_types
):
    """The lower part of the request page is cached whole, keyed by the request's newest event
    (issue 11): each change of a section writes an event, so the page shows it at once, and
    a second view of an unchanged request reads none of the sections."""
    service_request = intake(receptionist, route=False)
    services.service_request_route(
        actor=receptionist, service_request=service_request, division=None, user=judge, reason=""
    )
    services.service_request_accept(actor=judge, service_request=service_request)
    client = client_for(judge)
    assert "已联系承办法官" not in detail(client, service_request)
    steps = [
        (
            "已联系承办法官",
            lambda: services.service_request_interim_reply(
                actor=judge, service_request=service_request, body="已联系承办法官"
            ),
        ),
        (
            "需调阅卷宗",
            lambda: services.clock_change_request(
                actor=judge,
                service_request=service_request,
                kind="extension",
                reason="需调阅卷宗",
                extra_workdays=3,
            ),
        ),
        (
            "当事人多次来电",
            lambda: services.service_request_supervise(
                actor=division_head,
                service_request=service_request,
                reason="当事人多次来电",
                new_deadline=timezone.now() + timedelta(days=3),
            ),
        ),
    ]
    for text, change in steps:
        assert text not in detail(client, service_request)  # cached without it
        change()
        assert text in detail(client, service_request), text
    with CaptureQueriesContext(connection) as queries:
        html = detail(client, service_request)
    assert "当事人多次来电" in html and "已联系承办法官" in html
    read = " ".join(q["sql"] for q in queries.captured_queries if '"has_replies"' not in q["sql"])
    for table in ("desk_reply", "desk_supervision"):
        assert f'FROM "{table}"' not in read, table
    timeline_reads = [q["sql"] for q in queries.captured_queries if 'FROM "core_event"' in q["sql"]]
    assert len(timeline_reads) == 1 and "LIMIT 1" in timeline_reads[0]  # the key, not the list


def test_the_sections_answer_is_cached_by_the_newest_event_but_the_checklist_is_not(
    receptionist, judge, administrator, matter_types
):
    """The six parts' answer is kept under the request's newest event (they change only with
    one); the checklist is configuration, edited without an event on the request, and is
    asked each time."""
    service_request = intake(receptionist, route=False, matter_type_code="contact_judge")
    ChecklistVersion.objects.filter(matter_type_id=service_request.matter_type_id).delete()
    version = selectors.service_request_last_event_id(service_request)
    first = selectors.detail_sections(service_request, version=version)
    assert first == {**EMPTY, "checklist": False}
    with CaptureQueriesContext(connection) as queries:
        again = selectors.detail_sections(service_request, version=version)
    assert again == first
    assert not [q for q in queries.captured_queries if '"has_replies"' in q["sql"]]
    ChecklistVersion.objects.create(
        matter_type_id=service_request.matter_type_id,
        version=99,
        materials="身份证明",
        steps="到立案庭办理",
        published_by=administrator,
    )
    assert selectors.detail_sections(service_request, version=version)["checklist"] is True
    services.service_request_route(
        actor=receptionist, service_request=service_request, division=None, user=judge, reason=""
    )
    services.service_request_accept(actor=judge, service_request=service_request)
    services.service_request_interim_reply(
        actor=judge, service_request=service_request, body="已联系承办法官"
    )
    newer = selectors.service_request_last_event_id(service_request)
    assert newer > version
    assert selectors.detail_sections(service_request, version=newer)["replies"] is True


def test_cached_cards_follow_the_request_and_a_hit_reads_no_people_or_line(
    receptionist, judge, other_judge, judge_line, matter_types
):
    """The two top cards are cached keyed by the request's newest event and updated_at: each
    change shows at once, and a second view of an unchanged request reads neither the line
    nor the people the cards name."""
    service_request = intake(receptionist, channel="phone", line_number=judge_line.number)
    client = client_for(judge)  # sees the request through the line; may not act on it
    html = detail(client, service_request)
    assert "李敏工作手机 13904720001" in html and "仍负首接责任" in html
    assert "<dt>待签收</dt>" not in html and "王强" not in html
    services.service_request_route(
        actor=receptionist, service_request=service_request, user=other_judge, reason=""
    )
    html = detail(client, service_request)
    assert "<dt>待签收</dt><dd>王强" in html and "仍负首接责任" in html
    services.service_request_accept(actor=other_judge, service_request=service_request)
    html = detail(client, service_request)
    assert "<dt>待签收</dt>" not in html and "<dt>承办人</dt><dd>王强</dd>" in html
    assert "已移交" in html and "仍负首接责任" not in html
    with CaptureQueriesContext(connection) as queries:
        again = detail(client, service_request)
    assert "李敏工作手机 13904720001" in again and "<dt>承办人</dt><dd>王强</dd>" in again
    assert "<dt>首接责任人</dt><dd>王丽" in again
    read = [q["sql"] for q in queries.captured_queries]
    assert not [sql for sql in read if '"orgs_line"."label"' in sql]  # the line is not read
    assert len([sql for sql in read if 'FROM "orgs_user"' in sql]) == 1  # the signed-in user


def test_the_cached_cards_leave_the_viewers_own_parts_live(
    receptionist, judge, other_judge, judge_line, matter_types
):
    """Whoever may call the requester back gets the reveal form (with their own CSRF token),
    whoever may not does not, whichever of them filled the cache."""
    service_request = intake(receptionist, channel="phone", line_number=judge_line.number)
    services.service_request_route(
        actor=receptionist, service_request=service_request, user=other_judge, reason=""
    )
    services.service_request_accept(actor=other_judge, service_request=service_request)
    reveal = reverse("desk:reveal_mobile", args=[service_request.pk])
    for _ in range(2):
        assert reveal not in detail(client_for(judge), service_request)
        assert reveal in detail(client_for(other_judge), service_request)


def test_the_original_requests_repeat_count_is_drawn_live(receptionist, party, matter_types):
    """A new repeat raises the original's count without an event on the earlier repeats: their
    pages show it at once."""
    values = {
        "requester_mobile": "13812345678",
        "requester_name": "张三",
        "requester_id": party.pk,
        "matter_type_code": "enforcement_demand",
    }
    content = "我的案件执行款到现在还没有到账。"
    first = intake(receptionist, title="执行款一直未到账", content=content, **values)
    repeat = intake(receptionist, title="执行款还未到账", content=content, **values)
    client = client_for(receptionist)
    assert "累计重复 1 次" in detail(client, repeat)
    intake(receptionist, title="执行款仍未到账", content=content, **values)
    first.refresh_from_db()
    assert first.repeat_count == 2
    assert "累计重复 2 次" in detail(client, repeat)


def test_the_checklist_is_asked_only_where_an_action_depends_on_it(
    receptionist, administrator, matter_types
):
    service_request = intake(receptionist, route=False, matter_type_code="contact_judge")
    ChecklistVersion.objects.get_or_create(
        matter_type_id=service_request.matter_type_id,
        version=99,
        defaults={"materials": "身份证明", "steps": "到立案庭办理", "published_by": administrator},
    )
    client = client_for(receptionist)
    send = reverse("desk:action", args=[service_request.pk, "send_checklist"])
    with CaptureQueriesContext(connection) as queries:
        html = detail(client, service_request)
    assert send in html  # the first contact may send it: asked
    assert [q for q in queries.captured_queries if 'FROM "desk_checklistversion"' in q["sql"]]
    services.service_request_withdraw(
        actor=receptionist, service_request=service_request, reason="诉求人撤回"
    )
    with CaptureQueriesContext(connection) as queries:
        html = detail(client, service_request)
    assert send not in html  # ended: nothing depends on the checklist, and it is not asked
    assert not [q for q in queries.captured_queries if 'FROM "desk_checklistversion"' in q["sql"]]


def test_the_cards_follow_the_linked_cases_judge(
    receptionist, judge, other_judge, civil_case, matter_types
):
    """The case's judge changes with the court's import, without an event on the request: the
    cached cards are keyed by it."""
    service_request = intake(receptionist, related_case_number=civil_case.case_number)
    client = client_for(receptionist)
    assert "承办法官 李敏" in detail(client, service_request)
    CourtCase.objects.filter(pk=civil_case.pk).update(judge=other_judge)
    assert "承办法官 王强" in detail(client, service_request)


def test_the_attachments_are_cached_only_where_there_are_some(receptionist, matter_types):
    """An empty attachments card is drawn (nothing to read); a request page is then three cache
    entries: the sections' answer, the cards and the sections."""
    service_request = intake(receptionist)
    html = detail(client_for(receptionist), service_request)
    assert "附件（0）" in html and "无附件。" in html
    version = selectors.service_request_last_event_id(service_request)
    attachments_key = make_template_fragment_key(
        "desk_detail_attachments", [service_request.pk, version]
    )
    sections_key = make_template_fragment_key("desk_detail_sections", [service_request.pk, version])
    assert cache.get(attachments_key) is None and cache.get(sections_key) is not None


def test_the_cached_search_form_shows_what_was_asked(receptionist, matter_types):
    """The search form's markup is cached keyed by what it shows: each query's values, the
    matter types on offer and the fields in error."""
    client = client_for(receptionist)
    url = reverse("desk:search")

    def form(**params: str) -> str:
        html = client.get(url, params).content.decode()
        start = html.index('<form method="get" action="/desk/search/"')
        return html[start : html.index("</form>", start)]

    assert '<option value="closed" selected>' in form(status="closed")
    replied = form(status="replied")
    assert '<option value="replied" selected>' in replied
    assert '<option value="closed" selected>' not in replied
    assert 'value="保全"' in form(q="保全") and 'value="离婚"' in form(q="离婚")
    MatterType.objects.filter(code="contact_judge").update(name="联系承办法官（新）")
    assert "联系承办法官（新）" in form(status="closed")
    assert 'aria-invalid="true"' in form(date_from="2026-02-30")
    assert 'aria-invalid="true"' not in form(date_from="2026-02-03")
