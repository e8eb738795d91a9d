from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin as OtpTOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from youjie.core.admin import BoundedManyToManyMixin
from youjie.core.errors import ApplicationError
from youjie.orgs.models import ApiToken, Line, OrgUnit, Region, User, UserRole
from youjie.orgs.services import api_token_create, api_token_revoke, org_unit_save


def _signed_in(request: HttpRequest) -> User | None:
    """The staff member using the admin (it admits no anonymous visitor)."""
    return request.user if isinstance(request.user, User) else None


class ApiTokenCreateForm(forms.Form):
    name = forms.CharField(label="名称", max_length=100, help_text="如：电话系统、法院案件系统")
    org_unit = forms.ModelChoiceField(
        label="绑定机构",
        queryset=OrgUnit.objects.filter(is_active=True),
        help_text="令牌只能访问该机构及其下级的数据",
    )


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
class UserAdmin(BoundedManyToManyMixin, BaseUserAdmin[User]):
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

    actions = ["revoke_tokens"]

    def has_change_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        return False

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        """Create a token bound to a unit's scope; the key is shown on this page exactly once."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        # Bound on every POST: an empty one gets the required-field errors, not a blank form.
        form = ApiTokenCreateForm(request.POST if request.method == "POST" else None)
        key = ""
        if request.method == "POST" and form.is_valid():
            try:
                token, key = api_token_create(
                    name=form.cleaned_data["name"],
                    org_unit=form.cleaned_data["org_unit"],
                    created_by=_signed_in(request),
                )
            except ApplicationError as exc:
                form.add_error("name", exc.message)
            else:
                messages.success(
                    request, f"令牌“{token.name}”已创建。密钥只显示这一次，请立即复制保存。"
                )
        context = {
            **self.admin_site.each_context(request),
            "title": "创建接口令牌",
            "form": form,
            "key": key,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/orgs/apitoken/create.html", context)

    @admin.action(description="吊销所选令牌")
    def revoke_tokens(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        count = 0
        for token in queryset.filter(revoked_at__isnull=True):
            api_token_revoke(token=token, actor=_signed_in(request))
            count += 1
        messages.success(request, f"已吊销 {count} 个令牌。")


_FIELDSET_TITLES = {
    "Identity": "设备",
    "Timestamps": "时间",
    "Configuration": "参数",
    "State": "状态",
    "Throttling": "错误次数限制",
}


class TOTPDeviceAdmin(OtpTOTPDeviceAdmin):  # type: ignore[misc]  # django-otp is untyped
    """Nobody reads a device's secret here, not even an administrator: no ``key`` on the change,
    add or list pages, and the QR-code and configuration views of django-otp are refused
    (OTP_ADMIN_HIDE_SENSITIVE_DATA). A user who lost their authenticator gets their device
    deleted here and enrols again on /accounts/otp/, where only they see the new secret."""

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        return [
            (
                _FIELDSET_TITLES.get(str(title), title),
                {**options, "fields": [name for name in options["fields"] if name != "key"]},
            )
            for title, options in super().get_fieldsets(request, obj)
        ]


if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)
admin.site.register(TOTPDevice, TOTPDeviceAdmin)
