"""The request page reads only the sections that have rows (one query says which); the search
form's filters."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

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
