"""What a registration writes, and in how many statements (the create path is the hot one)."""

# ruff: noqa: F811  (shared fixtures are imported from test_api_support and used by name)

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from youjie.core.models import Event, IdempotencyKey
from youjie.desk import selectors
from youjie.desk.choices import RequestStatus
from youjie.desk.models import ServiceRequest
from youjie.desk.search import search_index_update
from youjie.notifications.models import Notification

from .test_api_support import court_api, create_body, intake  # noqa: F401

pytestmark = pytest.mark.django_db


def states(service_request: ServiceRequest) -> list[tuple[str, str, str]]:
    return [
        (event.verb, event.from_state, event.to_state)
        for event in selectors.service_request_timeline(service_request)
    ]


def test_a_request_routed_on_registration_is_inserted_routed(
    receptionist, judge, civil_case, matter_types
):
    """One INSERT in the routed state, no UPDATE; the events say registered, then routed."""
    with CaptureQueriesContext(connection) as queries:
        request = intake(receptionist, related_case_number="(2026)内0206民初123号", route=True)
    # The request table's own writes (the search row's INSERT on PostgreSQL reads the request).
    writes = [q["sql"] for q in queries if '"desk_servicerequest"' in q["sql"]]
    assert not [sql for sql in writes if sql.startswith("UPDATE")]
    assert len([sql for sql in writes if sql.startswith('INSERT INTO "desk_servicerequest"')]) == 1
    stored = ServiceRequest.objects.get(pk=request.pk)
    assert stored.status == RequestStatus.AWAITING_ACCEPTANCE
    assert (stored.transfer_user, stored.routing_rule) == (judge, "case")
    assert states(stored) == [
        ("registered", "", "registered"),
        ("routed", "registered", "awaiting_acceptance"),
    ]
    # The requester's SMS, then the judge's message: the order they are written in.
    messages = Notification.objects.filter(subject_id=str(request.pk)).order_by("id")
    assert [m.channel for m in messages] == ["sms", "console"]


def test_a_repeat_is_linked_in_the_insert_and_counted_on_the_first(
    receptionist, judge, civil_case, matter_types
):
    first = intake(receptionist, related_case_number="(2026)内0206民初123号", route=True)
    second = intake(receptionist, related_case_number="(2026)内0206民初123号", route=True)
    third = intake(receptionist, related_case_number="(2026)内0206民初123号", route=True)
    first.refresh_from_db()
    assert first.repeat_count == 2
    assert ServiceRequest.objects.get(pk=second.pk).repeat_of == first
    assert ServiceRequest.objects.get(pk=third.pk).repeat_of == first  # not the second
    assert [verb for verb, _, _ in states(third)] == ["registered", "flagged_repeat", "routed"]
    flagged = Event.objects.get(subject_id=str(third.pk), verb="flagged_repeat")
    assert flagged.data == {"repeat_of": first.number, "repeat_count": 2}


def test_the_api_create_runs_its_statements_and_no_more(court_api, matter_types):
    """Auth (the token with its user and units, roles), the key, the matter type with its
    division, the requester's phone, repeat candidates; then the transaction (here a
    savepoint): number (UPDATE, then SELECT), request, both events, search row, SMS (in a
    savepoint of its own, for its dedupe key), key. The 201 body reads nothing more."""
    assert court_api.post("/requests", create_body()).status_code == 201  # token last used now
    with CaptureQueriesContext(connection) as queries:
        created = court_api.post(
            "/requests",
            create_body(requester_mobile="13700006666"),
            headers={"Idempotency-Key": "statements-1"},
        )
    assert created.status_code == 201, created.content
    assert [event["verb"] for event in created.json()["timeline"]] == ["registered", "routed"]
    assert len(queries) == 17, "\n".join(q["sql"] for q in queries)
    assert IdempotencyKey.objects.filter(key="statements-1").exists()


def test_the_search_row_is_replaced_not_added(receptionist, matter_types):
    request = intake(receptionist, title="关于诉讼保全的咨询", content="想了解保全费。")
    assert list(selectors.search(user=receptionist, query="保全")) == [request]
    with transaction.atomic():
        search_index_update(
            request_id=request.pk, title="执行款咨询", content="执行款何时到账。", replies=[]
        )
    assert list(selectors.search(user=receptionist, query="保全")) == []
    assert list(selectors.search(user=receptionist, query="执行款")) == [request]
