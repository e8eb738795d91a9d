"""Remembered list statements (youjie.core.compiled) give what the ORM gives, every time."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.models import F, QuerySet
from django.test.utils import CaptureQueriesContext

from youjie.core import compiled
from youjie.core.models import Event, TickClaim
from youjie.core.timeline import event_build, events_record

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_statements():
    compiled.clear()
    yield
    compiled.clear()


def _events(verb: str) -> QuerySet[Any]:
    rows: QuerySet[Any] = (
        Event.objects.filter(verb=verb)
        .annotate(kind=F("subject_type"))
        .values("id", "verb", "data", "created_at", "kind")
        .order_by("-id")
    )
    return rows


def test_rows_equal_the_querysets_rows_and_the_statement_is_built_once():
    subject = TickClaim.objects.create(job="subject", tick="1")
    events_record(
        [event_build(subject=subject, verb="seen", data={"n": n}) for n in range(5)]
        + [event_build(subject=subject, verb="other")]
    )
    builds: list[str] = []

    def build() -> QuerySet[Any]:
        builds.append("seen")
        return _events("seen")

    first = compiled.values_rows(Event, ("seen",), build, offset=1, limit=3)
    assert first == list(_events("seen")[1:4])
    # Converters ran: JSON decoded, datetimes aware, the annotation named.
    assert [row["data"] for row in first] == [{"n": 3}, {"n": 2}, {"n": 1}]
    assert first[0]["created_at"].tzinfo is not None and first[0]["kind"] == "core.tickclaim"
    # New rows show: only the statement is remembered, never the rows.
    events_record([event_build(subject=subject, verb="seen", data={"n": 5})])
    with CaptureQueriesContext(connection) as queries:
        again = compiled.values_rows(Event, ("seen",), build, offset=1, limit=3)
    assert again == list(_events("seen")[1:4]) and again[0]["data"] == {"n": 4}
    assert len(queries) == 1 and builds == ["seen"]
    # Another page or another key is another statement.
    compiled.values_rows(Event, ("seen",), build, offset=0, limit=3)
    assert builds == ["seen", "seen"]
    other = compiled.values_rows(Event, ("other",), lambda: _events("other"), offset=0, limit=9)
    assert [row["verb"] for row in other] == ["other"]


def test_a_query_that_can_match_nothing_runs_no_statement():
    with CaptureQueriesContext(connection) as queries:
        assert (
            compiled.values_rows(Event, ("none",), Event.objects.none().values, offset=0, limit=5)
            == []
        )
        assert (
            compiled.values_rows(Event, ("none",), Event.objects.none().values, offset=0, limit=5)
            == []
        )
    assert len(queries) == 0


def test_only_values_querysets_are_accepted():
    with pytest.raises(TypeError, match="values"):
        compiled.values_rows(Event, ("objects",), Event.objects.all, offset=0, limit=5)


def test_the_cache_keeps_the_most_recently_used_statements():
    cache = compiled._Cache(2)
    statement = compiled._Statement("SELECT 1", (), ("one",), ())
    cache.put("a", statement)
    cache.put("b", statement)
    assert cache.get("a") is statement  # "a" is now the most recent
    cache.put("c", statement)
    assert cache.get("b") is None and cache.get("a") is statement and len(cache) == 2


def _by_subject(subject_id: str) -> QuerySet[Event]:
    events: QuerySet[Event] = (
        Event.objects.filter(subject_type="core.tickclaim", subject_id=subject_id)
        .select_related("actor")
        .annotate(kind=F("subject_type"))
        .order_by("id")
    )
    return events


def _fields(event: Event) -> dict[str, Any]:
    return {field.attname: getattr(event, field.attname) for field in Event._meta.concrete_fields}


def test_objects_are_the_orms_objects_with_their_relations_for_each_value(django_user_model):
    actor = django_user_model.objects.create_user(username="actor", password="x" * 12)
    subjects = [TickClaim.objects.create(job=f"subject-{n}", tick="1") for n in range(2)]
    events_record(
        [
            event_build(subject=subjects[0], verb="first", actor=actor, data={"n": 1}),
            event_build(subject=subjects[1], verb="second", actor=actor),
            event_build(subject=subjects[0], verb="third"),
        ]
    )
    builds: list[str] = []

    def build(subject_id: str) -> QuerySet[Event]:
        builds.append(subject_id)
        return _by_subject(subject_id)

    for subject in (*subjects, subjects[0]):
        expected = list(_by_subject(str(subject.pk)))
        with CaptureQueriesContext(connection) as queries:
            found = compiled.objects(Event, "events", build, str(subject.pk))
            actors = [event.actor.username if event.actor else None for event in found]
        assert [_fields(event) for event in found] == [_fields(event) for event in expected]
        assert [getattr(event, "kind") for event in found]  # noqa: B009 (an annotation) == ["core.tickclaim"] * len(expected)
        assert actors == [event.actor.username if event.actor else None for event in expected]
        assert len(queries) == 1  # the actors came with the events
        assert not found[0]._state.adding and found[0].data in ({"n": 1}, {})
    assert [event.verb for event in compiled.objects(Event, "events", build, "0")] == []
    assert len(builds) == 1 and builds[0].startswith("\x00")  # compiled once, with a stand-in


def test_objects_fall_back_to_the_orm_where_a_statement_cannot_be_remembered():
    subject = TickClaim.objects.create(job="subject", tick="1")
    events_record([event_build(subject=subject, verb="seen")])
    calls: list[Any] = []

    def twice(subject_id: str) -> QuerySet[Event]:
        calls.append(subject_id)
        # The value is used twice: no single place to put it.
        return _by_subject(subject_id).filter(subject_id=subject_id)

    for _ in range(2):
        assert [e.verb for e in compiled.objects(Event, "twice", twice, str(subject.pk))] == [
            "seen"
        ]
    assert calls == [calls[0], str(subject.pk), calls[0], str(subject.pk)]

    # An id no column takes: the ORM answers with no rows instead of an overflow error.
    def by_pk(pk: int) -> QuerySet[TickClaim]:
        return TickClaim.objects.filter(pk=pk)

    assert compiled.objects(TickClaim, "claim", by_pk, subject.pk) == [subject]
    assert compiled.objects(TickClaim, "claim", by_pk, 2**70) == []
    assert compiled.objects(TickClaim, "claim", by_pk, -5) == []
    with pytest.raises(TypeError):
        compiled.objects(TickClaim, "claim", by_pk, 1, 2)
