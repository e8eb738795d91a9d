"""Timeline writes, idempotency keys, batched deletes and the health check, on the stock ORM."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.db import OperationalError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from youjie.core.errors import Conflict
from youjie.core.idempotency import idempotent_lookup, idempotent_store
from youjie.core.models import IdempotencyKey, TickClaim
from youjie.core.pruning import delete_in_batches
from youjie.core.timeline import event_build, event_record, events_record, timeline_for


@pytest.mark.django_db
def test_events_are_written_in_order_with_their_ids_in_one_insert():
    """auto_now_add stamped, JSON encoded, keys set in the order given, instances saved."""
    subject = TickClaim.objects.create(job="subject", tick="1")
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        events = events_record(
            [
                event_build(subject=subject, verb="first", actor="电话系统", data={"n": 1}),
                event_build(subject=subject, verb="second", data={"list": [1, "二"]}),
            ]
        )
    assert len([q for q in queries if q["sql"].startswith("INSERT")]) == 1
    assert all(event.pk is not None and not event._state.adding for event in events)
    assert [event.pk for event in events] == sorted(event.pk for event in events)
    stored = list(timeline_for(subject))
    assert [(e.pk, e.verb, e.actor_label, e.data) for e in stored] == [
        (events[0].pk, "first", "电话系统", {"n": 1}),
        (events[1].pk, "second", "", {"list": [1, "二"]}),
    ]
    assert [e.created_at for e in stored] == [e.created_at for e in events]
    assert abs(stored[0].created_at - timezone.now()) < timedelta(minutes=1)
    with transaction.atomic():
        assert events_record([]) == []


@pytest.mark.django_db
def test_one_event_is_one_insert():
    subject = TickClaim.objects.create(job="subject", tick="1")
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        event = event_record(subject=subject, verb="only", data={"a": "甲"})
    assert [q["sql"].split()[0] for q in queries] == ["INSERT"]
    assert event.pk is not None and list(timeline_for(subject)) == [event]


@pytest.mark.django_db
def test_an_idempotency_key_is_found_again_and_refused_with_another_body():
    subject = TickClaim.objects.create(job="subject", tick="1")
    assert idempotent_lookup(scope="s", key="k-1", body_hash="h") is None
    with transaction.atomic():
        idempotent_store(scope="s", key="k-1", body_hash="h", result=subject)
    found = idempotent_lookup(scope="s", key="k-1", body_hash="h")
    assert found is not None
    assert (found.result_type, found.result_id) == ("core.tickclaim", str(subject.pk))
    assert idempotent_lookup(scope="other", key="k-1", body_hash="h") is None
    with pytest.raises(Conflict):
        idempotent_lookup(scope="s", key="k-1", body_hash="another")


@pytest.mark.django_db
def test_batched_deletes_leave_the_rows_that_do_not_match():
    for number in range(5):
        IdempotencyKey.objects.create(
            scope="s", key=f"old-{number}", body_hash="h", result_type="t", result_id="1"
        )
    IdempotencyKey.objects.create(scope="keep", key="k", body_hash="h", result_type="t")
    with CaptureQueriesContext(connection) as queries:
        assert delete_in_batches(IdempotencyKey.objects.filter(scope="s"), batch=2) == 5
    deletes = [q["sql"] for q in queries if q["sql"].startswith("DELETE")]
    assert len(deletes) == 3  # 2 + 2 + 1
    assert list(IdempotencyKey.objects.values_list("scope", flat=True)) == ["keep"]
    assert delete_in_batches(IdempotencyKey.objects.filter(scope="s")) == 0


@pytest.mark.django_db
def test_the_health_check_answers_ok_when_the_database_does():
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": connection.vendor}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "failure",
    [
        {"ensure_connection": mock.Mock(side_effect=OperationalError("connection refused"))},
        {"is_usable": mock.Mock(return_value=False)},
    ],
    ids=["cannot-connect", "connection-dead"],
)
def test_the_health_check_answers_503_and_drops_a_dead_connection(failure):
    # close() is replaced too: the test's own connection must survive the check.
    with (
        mock.patch.multiple(connection, **failure),
        mock.patch.object(connection, "close") as close,
    ):
        response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unreachable"}
    close.assert_called_once_with()
