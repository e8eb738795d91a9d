"""Accounts' cases for the hostile-input sweeps (tests/hostile/cases.py says what goes here):
the login and second-factor forms, the org units every app's world stands on, the admin's
accounts, lines, tokens and login records, and the other court the API callers must not see."""

from __future__ import annotations

from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Group
from django.test import Client

from conftest import make_user
from tests.hostile.cases import ApiWorld, Case, FormSpec, HostileCases, World
from youjie.orgs.models import Line, OrgUnit
from youjie.orgs.services import api_token_create, org_unit_create
from youjie.orgs.views import LoginForm, TokenForm


def build(world: World) -> None:
    world.put(
        court=OrgUnit.objects.get(code="BT-BYEB-FY"),
        civil_division=OrgUnit.objects.get(code="BT-BYEB-MS"),
    )


def form_specs(world: World) -> list[FormSpec]:
    def enrolled(client: Client) -> None:
        client.get("/accounts/otp/")  # the first visit creates the (unconfirmed) device

    def otp_token() -> str:
        from django_otp.oath import totp
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.get(user=world.users["court_leader"])
        return f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"

    return [
        FormSpec(
            name="login",
            persona="anonymous",
            url="/accounts/login/",
            base={"username": "reception", "password": "pw-reception"},
            form=lambda data, files: LoginForm(None, data),
            base_is_valid=False,  # authenticating needs the request (django-axes)
            extra=[Case("wrong password", {"password": "wrong"})],
        ),
        FormSpec(
            name="otp_verify",
            persona="court_leader",
            url="/accounts/otp/",
            base={"token": otp_token},
            form=lambda data, files: TokenForm(data),
            setup=enrolled,
            may_write={
                "otp_totp_totpdevice": "django-otp counts a wrong token on the device (throttling)"
            },
            extra=[Case("wrong token", {"token": "000000"}), Case("letters", {"token": "abcdef"})],
        ),
    ]


def admin_rows(world: World) -> None:
    line = Line.objects.create(
        number="0472-8510000", kind="fixed", label="诉讼服务热线", owner_unit=world.court
    )
    api_token_create(name="电话系统", org_unit=world.court, created_by=world.users["administrator"])
    Group.objects.create(name="配置审核")
    access = {"user_agent": "hostile", "ip_address": "10.0.0.9", "username": "nobody"}
    access.update(http_accept="*/*", path_info="/admin/login/")
    AccessAttempt.objects.create(**access, get_data="", post_data="", failures_since_start=1)
    AccessLog.objects.create(**access)
    AccessFailureLog.objects.create(**access)
    world.put(line=line)


def admin_add_data(world: World) -> dict[str, dict[str, Any]]:
    court = world.court
    return {
        "auth.Group": {"name": "测试组"},
        "orgs.Region": {"code": "159999", "name": "测试区", "kind": "county", "parent": "150200"},
        "orgs.OrgUnit": {
            "code": "HOSTILE-OU",
            "name": "测试机构",
            "kind": court.kind,
            "region": court.region_id,
            "parent": court.pk,
            "is_active": "on",
        },
        "orgs.User": {
            "username": "hostile_user",
            "password1": "Hostile-pw-123456",
            "password2": "Hostile-pw-123456",
            "usable_password": "true",
        },
        "orgs.Line": {
            "number": "0472-1234567",
            "kind": "fixed",
            "label": "热线",
            "owner_unit": court.pk,
        },
        "orgs.ApiToken": {"name": "测试令牌", "org_unit": court.pk},
        "otp_totp.TOTPDevice": {"user": world.users["judge"].pk, "name": "测试设备"},
    }


def api_build(world: ApiWorld) -> None:
    """The court's units, its API token, and 石拐区人民法院: a court the callers must not see
    into, with a receptionist and a judge of its own."""
    court = OrgUnit.objects.get(code="BT-BYEB-FY")
    other_court = org_unit_create(
        code="BT-SG-FY",
        name="石拐区人民法院",
        kind="court",
        region_id="150205",
        court_code="内0205",
    )
    other_division = org_unit_create(
        code="BT-SG-MS", name="民事审判庭", kind="division", region_id="150205", parent=other_court
    )
    world.put(
        court=court,
        civil_division=OrgUnit.objects.get(code="BT-BYEB-MS"),
        other_court=other_court,
        other_division=other_division,
        other_receptionist=make_user("sg_reception", "receptionist", "BT-SG-FY", "周敏"),
        other_judge=make_user("sg_judge", "judge", "BT-SG-MS", "吴刚"),
    )
    _token, world.keys["court"] = api_token_create(name="法院接口", org_unit=court)


CASES = HostileCases(
    personas=("administrator",),
    users=("receptionist", "judge", "court_leader"),
    build=build,
    form_specs=form_specs,
    query_names=("next",),  # where the login sends one after
    body_ignored={"logout": "receptionist"},
    # The first visit enrols: the device for its QR code.
    get_may_write={"otp_verify": frozenset({"otp_totp_totpdevice"})},
    admin_rows=admin_rows,
    admin_add_data=admin_add_data,
    # A TOTP device's start time and clock drift may be negative (django_otp).
    admin_negative_allowed=frozenset(
        {("otp_totp.TOTPDevice", "t0"), ("otp_totp.TOTPDevice", "drift")}
    ),
    api_build=api_build,
)
