"""Who am I, and what may I see: for integrations to check their token's scope."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from youjie.orgs.models import User
from youjie.orgs.scoping import user_scope

router = Router(tags=["机构与用户"])


class MeOut(Schema):
    username: str
    display_name: str
    org_unit: str | None
    roles: list[str]
    unit_paths: list[str]
    region_codes: list[str]


@router.get("/me", response=MeOut, summary="当前用户及其可见范围")
def me(request: HttpRequest) -> MeOut:
    user = request.user
    assert isinstance(user, User), "the API authenticates every call"
    scope = user_scope(user)
    return MeOut(
        username=user.get_username(),
        display_name=user.get_full_name(),
        org_unit=user.org_unit.code if user.org_unit else None,
        roles=sorted(user.role_set),
        unit_paths=list(scope.unit_paths),
        region_codes=sorted(scope.region_codes),
    )
