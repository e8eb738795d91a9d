"""The reads on every signed-in request: the session, the user with both units, the roles."""

from __future__ import annotations

from datetime import timedelta
from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from youjie.orgs.backends import UserBackend
from youjie.orgs.choices import Role
from youjie.orgs.models import OrgUnit, User, UserRole


def _fields(obj: object) -> dict[str, object]:
    return {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields}  # type: ignore[attr-defined]


def test_the_backend_loads_the_user_and_both_units_in_one_query(judge):
    judge.last_login = timezone.now()
    judge.save(update_fields=["last_login"])
    expected = User.objects.select_related("org_unit", "org_unit__parent").get(pk=judge.pk)
    with CaptureQueriesContext(connection) as queries:
        loaded = UserBackend().get_user(str(judge.pk))
        assert loaded is not None
        assert _fields(loaded) == _fields(expected)
        assert type(loaded.last_login) is type(expected.last_login)
        assert loaded.is_active is True and loaded.is_superuser is False
        unit = loaded.org_unit
        assert unit is not None and unit.parent is not None
        assert _fields(unit) == _fields(expected.org_unit)
        assert _fields(unit.parent) == _fields(expected.org_unit.parent)  # type: ignore[union-attr]
        assert unit.parent.name == "白云鄂博矿区人民法院"
    assert len(queries) == 1  # the units came with the user


def test_a_user_without_unit_and_inactive_or_unknown_users(org_tree):
    loner = User.objects.create(username="loner", display_name="无机构")
    loaded = UserBackend().get_user(loner.pk)
    assert loaded is not None and loaded.org_unit is None and loaded.org_unit_id is None
    top = OrgUnit.objects.filter(parent__isnull=True).first()
    assert top is not None
    at_top = User.objects.create(username="top", org_unit=top)
    loaded_top = UserBackend().get_user(at_top.pk)
    assert loaded_top is not None and loaded_top.org_unit == top
    assert loaded_top.org_unit.parent is None
    loner.is_active = False
    loner.save(update_fields=["is_active"])
    assert UserBackend().get_user(loner.pk) is None
    assert UserBackend().get_user(10**9) is None
    assert UserBackend().get_user(str(10**30)) is None  # beyond any integer column
    assert UserBackend().get_user("not a number") is None


def test_roles_are_read_fresh_for_each_loaded_user(judge):
    assert judge.role_set == frozenset({Role.JUDGE})
    UserRole.objects.create(user=judge, role=Role.DIVISION_HEAD)
    assert judge.role_set == frozenset({Role.JUDGE})  # cached for this object (one request)
    again = UserBackend().get_user(judge.pk)
    assert again is not None and again.role_set == frozenset({Role.JUDGE, Role.DIVISION_HEAD})
    assert User().role_set == frozenset()


def test_sessions_load_until_they_expire_and_not_after(judge):
    assert import_module(settings.SESSION_ENGINE).SessionStore is SessionStore  # Django's own
    client = Client()
    client.force_login(judge, backend="youjie.orgs.backends.UserBackend")
    key = client.cookies["sessionid"].value
    store = SessionStore(key)
    assert store["_auth_user_id"] == str(judge.pk)
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    expired = SessionStore(key)
    assert expired.load() == {}
    assert expired.session_key is None
    assert SessionStore("no-such-session-key").load() == {}
    assert SessionStore(None).load() == {}


@pytest.mark.django_db
def test_a_signed_in_page_reads_its_session_and_roles_once(division_head):
    client = Client()
    client.force_login(division_head, backend="youjie.orgs.backends.UserBackend")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/desk/division/").status_code == 200
    sql = [q["sql"] for q in queries.captured_queries]
    assert sum("django_session" in s for s in sql) == 1
    assert sum("FROM orgs_userrole" in s or 'FROM "orgs_userrole"' in s for s in sql) == 1
    assert client.get("/accounts/logout/").status_code in (200, 302, 405)
