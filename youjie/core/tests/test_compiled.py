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
