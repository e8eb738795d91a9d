"""API token authentication: one query, last use written at most once a minute."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from youjie.orgs.models import ApiToken
from youjie.orgs.services import api_token_authenticate, api_token_create

pytestmark = pytest.mark.django_db


def test_the_token_user_comes_with_the_unit_and_last_use_is_written_once_a_minute(court):
    token, key = api_token_create(name="电话系统", org_unit=court)
    assert api_token_authenticate(key=key) is not None
    first_use = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first_use is not None

    with CaptureQueriesContext(connection) as queries:
        user = api_token_authenticate(key=key)
        assert user is not None and user.org_unit == court  # no query for the unit
    assert len(queries) == 1  # the token with its user, the unit and its parent
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first_use

    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first_use - timedelta(seconds=61))
    assert api_token_authenticate(key=key) is not None
    touched = ApiToken.objects.get(pk=token.pk).last_used_at
    assert touched is not None and touched > first_use


def test_revoked_tokens_inactive_accounts_and_bad_keys_are_refused(court):
    token, key = api_token_create(name="电话系统", org_unit=court)
    assert api_token_authenticate(key="yj_" + "x" * 40) is None
    assert api_token_authenticate(key="no-prefix") is None
    token.user.is_active = False
    token.user.save(update_fields=["is_active"])
    assert api_token_authenticate(key=key) is None
    token.user.is_active = True
    token.user.save(update_fields=["is_active"])
    assert api_token_authenticate(key=key) is not None
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    assert api_token_authenticate(key=key) is None
