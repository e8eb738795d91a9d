from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest

from youjie.orgs.models import ApiToken, Line, OrgUnit, Region, User, UserRole
from youjie.orgs.services import org_unit_save


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin[Region]):
    list_display = ("code", "name", "kind", "parent")
    search_fields = ("code", "name")


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin[OrgUnit]):
    list_display = ("name", "code", "kind", "region", "parent", "is_active")
    list_filter = ("kind", "region")
    search_fields = ("name", "code")

    def save_model(self, request: HttpRequest, obj: OrgUnit, form: Any, change: bool) -> None:
        org_unit_save(unit=obj)


class UserRoleInline(admin.TabularInline[UserRole, User]):
    model = UserRole
    extra = 1


@admin.register(User)
class UserAdmin(BaseUserAdmin[User]):
    list_display = ("username", "display_name", "org_unit", "is_active", "is_service_account")
    list_filter = ("is_active", "is_service_account", "user_roles__role")
    search_fields = ("username", "display_name")
    inlines = [UserRoleInline]
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        ("有解", {"fields": ("display_name", "org_unit", "mobile", "is_service_account")}),
    )


@admin.register(Line)
class LineAdmin(admin.ModelAdmin[Line]):
    list_display = ("number", "kind", "label", "owner_unit", "owner_user", "is_active")
    list_filter = ("kind",)
    search_fields = ("number", "label")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    list_display = ("name", "prefix", "user", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "key_hash", "user", "created_by", "created_at", "last_used_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Tokens are created by `manage.py create_api_token` so the key is shown exactly once.
        return False
