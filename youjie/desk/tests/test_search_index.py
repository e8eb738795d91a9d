"""The full-text index's storage settings (desk migrations 0002 and 0006)."""

from __future__ import annotations

import pytest
from django.db import connection


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
            assert "USING gin (document)" in definition
