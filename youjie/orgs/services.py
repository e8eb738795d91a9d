"""Writes for organisations, users and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from youjie.core.errors import ValidationFailed
from youjie.core.timeline import event_record
from youjie.orgs.choices import Role
from youjie.orgs.models import ApiToken, OrgUnit, User, UserRole

TOKEN_PREFIX = "yj_"


def _compute_path(unit: OrgUnit) -> str:
    parent_path = unit.parent.path if unit.parent_id and unit.parent else "/"
    return f"{parent_path}{unit.pk}/"


@transaction.atomic
def org_unit_save(*, unit: OrgUnit) -> OrgUnit:
    """Save a unit and keep the materialised paths of it and its subtree correct."""
    if unit.parent_id is not None and unit.pk is not None:
        ancestor: OrgUnit | None = unit.parent
        while ancestor is not None:
            if ancestor.pk == unit.pk:
                raise ValidationFailed(
                    "上级机构不能是本机构或其下级", fields={"parent": ["上级机构形成循环"]}
                )
            ancestor = ancestor.parent
    old_path = unit.path
    unit.save()
    new_path = _compute_path(unit)
    if new_path != unit.path:
        unit.path = new_path
        unit.save(update_fields=["path"])
        if old_path:
            for child in OrgUnit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk):
                child.path = new_path + child.path[len(old_path) :]
                child.save(update_fields=["path"])
    return unit


def org_unit_create(
    *,
    code: str,
    name: str,
    kind: str,
    region_id: str,
    parent: OrgUnit | None = None,
    short_name: str = "",
    court_code: str = "",
) -> OrgUnit:
    unit = OrgUnit(
        code=code,
        name=name,
        kind=kind,
        region_id=region_id,
        parent=parent,
        short_name=short_name,
        court_code=court_code,
    )
    return org_unit_save(unit=unit)


@transaction.atomic
def user_set_roles(*, user: User, roles: Iterable[str], actor: User | None = None) -> None:
    wanted = set(roles)
    unknown = wanted - set(Role.values)
    if unknown:
        raise ValidationFailed("未知角色", fields={"roles": [f"未知角色：{', '.join(unknown)}"]})
    current = set(user.user_roles.values_list("role", flat=True))
    user.user_roles.filter(role__in=current - wanted).delete()
    UserRole.objects.bulk_create([UserRole(user=user, role=role) for role in wanted - current])
    user.__dict__.pop("role_set", None)
    if current != wanted:
        event_record(
            subject=user,
            verb="roles_changed",
            actor=actor,
            data={"from": sorted(current), "to": sorted(wanted)},
        )


def _hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@transaction.atomic
def api_token_create(
    *, name: str, org_unit: OrgUnit, created_by: User | None = None
) -> tuple[ApiToken, str]:
    """Create a token bound to ``org_unit``'s scope. The plain key is returned once only."""
    name = name.strip()
    if not name or len(name) > 100:
        raise ValidationFailed("令牌名称不能为空且不超过100字", fields={"name": ["名称无效"]})
    if ApiToken.objects.filter(name=name).exists():
        raise ValidationFailed("令牌名称已存在", fields={"name": ["名称已存在"]})
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    service_user = User.objects.create(
        username=f"api:{name}"[:150],
        display_name=f"接口：{name}"[:50],
        org_unit=org_unit,
        is_service_account=True,
    )
    service_user.set_unusable_password()
    service_user.save(update_fields=["password"])
    UserRole.objects.create(user=service_user, role=Role.INTEGRATION)
    token = ApiToken.objects.create(
        name=name,
        prefix=key[:10],
        key_hash=_hash_key(key),
        user=service_user,
        created_by=created_by,
    )
    event_record(subject=token, verb="created", actor=created_by, data={"org_unit": org_unit.code})
    return token, key


# ``last_used_at`` is written at most once a minute per token: every API call authenticates.
TOKEN_TOUCH_SECONDS = 60


def api_token_authenticate(*, key: str) -> User | None:
    """The token's service user (with their unit and its parent, as pages get them), or None."""
    if not key.startswith(TOKEN_PREFIX) or len(key) > 200:
        return None
    # key_hash is unique: ``get()``, not ``first()``, which would add an ORDER BY (compiled
    # against the columns of all four tables) to order one row. Of the token itself only what
    # is used here is read.
    try:
        token = (
            ApiToken.objects.select_related("user__org_unit__parent")
            .only("id", "last_used_at", "user")
            .get(key_hash=_hash_key(key), revoked_at__isnull=True)
        )
    except ApiToken.DoesNotExist:
        return None
    if not token.user.is_active:
        return None
    now = timezone.now()
    touched_before = now - timedelta(seconds=TOKEN_TOUCH_SECONDS)
    if token.last_used_at is None or token.last_used_at < touched_before:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: User | None) -> None:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    event_record(subject=token, verb="revoked", actor=actor)


def totp_device_for(*, user: User) -> tuple[TOTPDevice, bool]:
    """The user's confirmed TOTP device, or an unconfirmed one to enrol (second value True)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        return device, False
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="验证器", confirmed=False)
    return device, True


@transaction.atomic
def totp_device_confirm(*, device: TOTPDevice) -> None:
    if not device.confirmed:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        event_record(subject=device.user, verb="totp_enrolled", actor=device.user)


def totp_qr_data_uri(*, device: TOTPDevice) -> str:
    import segno  # only the second-factor enrolment page draws a QR code: loaded on first use

    return str(segno.make(device.config_url, error="m").svg_data_uri(scale=4))
