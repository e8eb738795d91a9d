from __future__ import annotations

import hashlib
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from youjie.core.errors import ValidationFailed
from youjie.orgs.models import ApiToken, OrgUnit
from youjie.orgs.scoping import region_subtree_codes, user_scope
from youjie.orgs.services import api_token_authenticate, api_token_create, org_unit_save


def test_paths_follow_the_tree_and_moves(org_tree):
    court = OrgUnit.objects.get(code="BT-BYEB-FY")
    division = OrgUnit.objects.get(code="BT-BYEB-MS")
    assert division.path == f"{court.path}{division.pk}/"
    committee = OrgUnit.objects.get(code="150206-ZFW")
    court.parent = committee
    org_unit_save(unit=court)
    division.refresh_from_db()
    assert division.path.startswith(committee.path)
    assert division.path == f"{committee.path}{court.pk}/{division.pk}/"


def test_a_unit_cannot_become_its_own_ancestor(org_tree):
    court = OrgUnit.objects.get(code="BT-BYEB-FY")
    division = OrgUnit.objects.get(code="BT-BYEB-MS")
    court.parent = division
    with pytest.raises(ValidationFailed):
        org_unit_save(unit=court)


def test_region_subtree_of_the_city_holds_every_county(org_tree):
    codes = region_subtree_codes("150200")
    assert {"150202", "150205", "150206", "150223", "150271"} <= codes
    assert region_subtree_codes("150205") == frozenset({"150205"})


def test_scope_by_role(receptionist, division_head, judge, city_officer, county_officer, court):
    assert user_scope(receptionist).unit_paths == (court.path,)
    assert user_scope(division_head).unit_paths == (division_head.org_unit.path,)
    judge_scope = user_scope(judge)
    assert judge_scope.unit_paths == () and judge_scope.region_codes == frozenset()
    assert judge_scope.user_id == judge.pk
    assert "150206" in user_scope(city_officer).region_codes
    assert user_scope(county_officer).region_codes == frozenset({"150205"})


def test_api_token_is_stored_hashed_and_bound_to_its_unit(court):
    token, key = api_token_create(name="电话系统", org_unit=court)
    assert key.startswith("yj_")
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in (stored.key_hash, stored.prefix)
    user = api_token_authenticate(key=key)
    assert user is not None and user.org_unit == court and user.has_role("integration")
    assert api_token_authenticate(key=key + "x") is None


def test_create_api_token_command_prints_the_key_once(court):
    out = StringIO()
    call_command("create_api_token", "法院案件系统", "--org", court.code, stdout=out)
    key = out.getvalue().strip().splitlines()[-1]
    assert api_token_authenticate(key=key) is not None
    client = Client()
    response = client.get("/api/v1/orgs/me", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    assert response.json()["org_unit"] == court.code


def test_api_without_credentials_is_401_with_a_code(db):
    response = Client().get("/api/v1/orgs/me")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_login_page_and_home(receptionist):
    client = Client()
    page = client.get("/accounts/login/")
    assert page.status_code == 200 and "登录" in page.content.decode()
    assert "Content-Security-Policy" in page.headers
    assert "default-src 'self'" in page.headers["Content-Security-Policy"]
    response = client.post(
        "/accounts/login/", {"username": "reception", "password": "pw-reception"}
    )
    assert response.status_code == 302
    home = client.get("/")
    assert home.status_code == 200 and "工作台" in home.content.decode()


def test_lockout_after_repeated_failures(receptionist, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "reception", "password": "wrong"})
    response = client.post(
        "/accounts/login/", {"username": "reception", "password": "pw-reception"}
    )
    assert response.status_code == 429
    assert client.get("/").status_code == 302


def test_leaders_must_pass_totp(court_leader):
    client = Client()
    client.post("/accounts/login/", {"username": "leader", "password": "pw-leader"})
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].endswith("/accounts/otp/")
    enrol = client.get("/accounts/otp/")
    assert "data:image/svg+xml" in enrol.content.decode()
    device = TOTPDevice.objects.get(user=court_leader)
    current = totp(device.bin_key, step=device.step, digits=device.digits)
    wrong = client.post("/accounts/otp/", {"token": f"{(current + 1) % 1_000_000:06d}"})
    assert "验证码不正确" in wrong.content.decode()
    assert client.get("/").status_code == 302
    # django-otp throttles after a failure (1 s, doubling); a person would wait, the test resets.
    device.refresh_from_db()
    device.throttle_reset()
    token = f"{current:06d}"
    client.post("/accounts/otp/", {"token": token})
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/").status_code == 200


def test_healthz_checks_the_database(db):
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_api_session_of_a_leader_needs_the_second_factor(court_leader):
    client = Client()
    client.force_login(court_leader)
    response = client.get("/api/v1/orgs/me")
    assert response.status_code == 401


def test_administrator_creates_a_token_in_the_admin_and_sees_the_key_once(
    administrator, court, settings
):
    settings.YOUJIE_OTP_ENFORCED = False
    administrator.is_superuser = True
    administrator.save(update_fields=["is_superuser"])
    client = Client()
    client.force_login(administrator)
    page = client.get("/admin/orgs/apitoken/add/")
    assert page.status_code == 200 and "绑定机构" in page.content.decode()
    response = client.post("/admin/orgs/apitoken/add/", {"name": "电话系统", "org_unit": court.pk})
    html = response.content.decode()
    key = html.split('user-select:all">')[1].split("<")[0]
    assert key.startswith("yj_")
    token = ApiToken.objects.get(name="电话系统")
    assert token.created_by == administrator and token.key_hash != key
    service_user = api_token_authenticate(key=key)
    assert service_user is not None and service_user.org_unit == court
    listing = client.get("/admin/orgs/apitoken/").content.decode()
    assert key not in listing
    client.post(
        "/admin/orgs/apitoken/",
        {"action": "revoke_tokens", "_selected_action": [token.pk]},
    )
    assert api_token_authenticate(key=key) is None


def test_receptionist_cannot_open_the_admin(receptionist):
    client = Client()
    client.force_login(receptionist)
    assert client.get("/admin/orgs/apitoken/add/").status_code == 302


def test_a_page_loads_the_user_with_their_unit_in_one_query(receptionist):
    client = Client()
    client.post("/accounts/login/", {"username": "reception", "password": "pw-reception"})
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/")
    assert response.status_code == 200
    sql = [query["sql"] for query in captured.captured_queries]
    user_queries = [q for q in sql if 'FROM "orgs_user"' in q]
    assert len(user_queries) == 1
    assert user_queries[0].count('JOIN "orgs_orgunit"') == 2  # the unit and its parent
    assert not [q for q in sql if q.startswith('SELECT "orgs_orgunit"')]
