"""``api_token_authenticate`` reads the token with ``get()`` (no ORDER BY) and only the token
columns it uses: the same answer as before for a found, unknown, revoked or inactive token."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from youjie.orgs.models import ApiToken
from youjie.orgs.services import api_token_authenticate, api_token_create

pytestmark = pytest.mark.django_db


def test_a_valid_token_gives_its_user_with_unit_and_parent_in_one_unordered_query(court):
    token, key = api_token_create(name="电话系统", org_unit=court)
    api_token_authenticate(key=key)  # the first use writes last_used_at
    with CaptureQueriesContext(connection) as queries:
        user = api_token_authenticate(key=key)
        assert user is not None and user.pk == token.user_id
        assert user.org_unit == court and user.org_unit.parent == court.parent
        assert user.is_service_account
    assert len(queries) == 1
    assert "ORDER BY" not in queries[0]["sql"]


def test_unknown_revoked_and_inactive_tokens_give_none(court):
    token, key = api_token_create(name="电话系统", org_unit=court)
    other, other_key = api_token_create(name="微信", org_unit=court)
    assert api_token_authenticate(key=key + "x") is None  # unknown
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    assert api_token_authenticate(key=key) is None  # revoked
    found = api_token_authenticate(key=other_key)  # the other token is unaffected
    assert found is not None and found.pk == other.user_id
    other.user.is_active = False
    other.user.save(update_fields=["is_active"])
    assert api_token_authenticate(key=other_key) is None  # inactive account


def test_last_use_is_still_written_on_first_use(court):
    token, key = api_token_create(name="电话系统", org_unit=court)
    assert ApiToken.objects.get(pk=token.pk).last_used_at is None
    assert api_token_authenticate(key=key) is not None
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None
