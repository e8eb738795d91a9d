"""``idempotent_lookup`` reads the (scope, key) row with ``get()``: the same answers as with
``first()`` for a key not seen, a key seen with the same body, and one with another body."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from youjie.core.errors import Conflict
from youjie.core.idempotency import idempotent_lookup
from youjie.core.models import IdempotencyKey

pytestmark = pytest.mark.django_db


def test_unknown_found_and_reused_keys():
    assert idempotent_lookup(scope="s", key="k", body_hash="a") is None
    stored = IdempotencyKey.objects.create(
        scope="s", key="k", body_hash="a", result_type="desk.servicerequest", result_id="7"
    )
    IdempotencyKey.objects.create(
        scope="other", key="k", body_hash="b", result_type="desk.servicerequest", result_id="8"
    )
    with CaptureQueriesContext(connection) as queries:
        found = idempotent_lookup(scope="s", key="k", body_hash="a")
    assert found is not None and (found.pk, found.result_id) == (stored.pk, "7")
    assert len(queries) == 1 and "ORDER BY" not in queries[0]["sql"]
    assert idempotent_lookup(scope="s", key="other-key", body_hash="a") is None
    with pytest.raises(Conflict) as raised:
        idempotent_lookup(scope="s", key="k", body_hash="b")
    assert raised.value.code == "idempotency_key_reused"
