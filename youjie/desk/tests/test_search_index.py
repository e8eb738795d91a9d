"""The full-text index: its storage settings (desk migrations 0002 and 0006) and, on
PostgreSQL, how a search is read for a word its statistics do not list as common."""

from __future__ import annotations

import time

import pytest
from django.db import connection

from youjie.desk import search, selectors
from youjie.desk.models import ServiceRequest
from youjie.desk.tests.test_api_support import intake


@pytest.mark.django_db
def test_the_index_lets_eight_segments_gather_before_merging_or_is_gin_on_postgresql():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT v FROM desk_request_fts_config WHERE k = 'automerge'")
            assert cursor.fetchone() == (8,)
        else:
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'desk_request_search_gin'"
            )
            (definition,) = cursor.fetchone()
            # Over the copied scope columns too (desk migration 0010), the words last.
            assert "USING gin (" in definition and definition.endswith(", document)")


@pytest.fixture
def fresh_common_terms(monkeypatch):
    """Forget the process's cached statistics, before and after."""
    monkeypatch.setattr(search, "_common_terms", None)
    yield
    monkeypatch.setattr(search, "_common_terms", None)


@pytest.mark.django_db
def test_an_uncommon_word_is_read_through_the_index_on_postgresql_with_the_same_results(
    receptionist, matter_types, fresh_common_terms, monkeypatch
):
    for n in range(12):
        intake(
            receptionist,
            title=f"离婚诉讼咨询{n}",
            content="询问离婚诉讼的材料和诉讼费。" + ("提到量子力学。" if n == 3 else ""),
            requester_mobile=f"139000{n:05d}",
        )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE desk_request_search")
    newest_first = list(ServiceRequest.objects.order_by("-id").values_list("number", flat=True))

    def found(query: str) -> list[str]:
        return list(
            selectors.search(user=receptionist, query=query).values_list("number", flat=True)
        )

    if connection.vendor == "postgresql":
        assert "离婚" in (search.postgres_common_terms() or ())
        assert not search.has_uncommon_term("离婚")
    else:
        assert search.postgres_common_terms() is None
        assert not search.has_uncommon_term("量子力学")
    assert found("离婚") == newest_first
    assert found("量子力学") == [newest_first[-4]]
    # A word the statistics do not list (in a table this small ANALYZE lists every word):
    # the statement orders by an expression and finds the same rows in the same order.
    monkeypatch.setattr(search, "_common_terms", (time.monotonic(), frozenset({"离婚"})))
    if connection.vendor == "postgresql":
        assert search.has_uncommon_term("离婚 量子力学")
        assert "+ 0" in str(selectors.search(user=receptionist, query="量子力学").query)
    assert found("量子力学") == [newest_first[-4]]
    assert found("离婚 量子力学") == [newest_first[-4]]
    assert found("离婚") == newest_first
