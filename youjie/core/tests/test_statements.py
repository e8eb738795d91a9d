"""Fixed statements (youjie.core.statements) give what the ORM gives (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from youjie.core.models import IdempotencyKey, TickClaim
from youjie.core.statements import FixedLookup, insert_rows, insert_unless_conflict
from youjie.core.timeline import event_build, events_record, timeline_for

pytestmark = pytest.mark.django_db


def test_a_lookup_builds_the_object_the_orm_builds():
    key = IdempotencyKey.objects.create(
        scope="desk.create:1", key="k-1", body_hash="h", result_type="desk.servicerequest"
    )
    lookup = FixedLookup(IdempotencyKey, "scope", "key")
    found = lookup.first("desk.create:1", "k-1")
    assert found is not None and not found._state.adding
    expected = IdempotencyKey.objects.get(pk=key.pk)
    assert {f.attname: getattr(found, f.attname) for f in IdempotencyKey._meta.concrete_fields} == {
        f.attname: getattr(expected, f.attname) for f in IdempotencyKey._meta.concrete_fields
    }
    assert found.created_at.tzinfo is not None  # through the backend's converters
    assert lookup.first("desk.create:1", "k-2") is None
    with pytest.raises(TypeError):
        lookup.first("desk.create:1")


def test_inserted_rows_read_back_as_the_orm_writes_them():
    """auto_now_add stamped, JSON encoded, keys set in order, instances marked saved."""
    subject = TickClaim.objects.create(job="subject", tick="1")
    with transaction.atomic():
        events = events_record(
            [
                event_build(subject=subject, verb="first", actor="电话系统", data={"n": 1}),
                event_build(subject=subject, verb="second", data={"list": [1, "二"]}),
            ]
        )
    assert [event.pk for event in events] == sorted(event.pk for event in events)
    stored = list(timeline_for(subject))
    assert [(e.pk, e.verb, e.actor_label, e.data) for e in stored] == [
        (events[0].pk, "first", "电话系统", {"n": 1}),
        (events[1].pk, "second", "", {"list": [1, "二"]}),
    ]
    assert [e.created_at for e in stored] == [e.created_at for e in events]
    assert abs(stored[0].created_at - timezone.now()) < timedelta(minutes=1)
    assert not events[0]._state.adding
    with pytest.raises(ValueError, match="new instances"):
        insert_rows([stored[0]])


def test_insert_unless_conflict_skips_a_taken_unique_value_and_the_transaction_goes_on():
    def key(name: str) -> IdempotencyKey:
        return IdempotencyKey(scope="s", key=name, body_hash="h", result_type="t", result_id="1")

    with transaction.atomic():
        first = key("k-1")
        assert insert_unless_conflict(first) and first.pk is not None
        again = key("k-1")
        assert not insert_unless_conflict(again) and again.pk is None
        # No savepoint was needed: on PostgreSQL the transaction is still usable.
        assert IdempotencyKey.objects.filter(key="k-1").count() == 1
        assert insert_unless_conflict(key("k-2"))
    assert IdempotencyKey.objects.count() == 2
