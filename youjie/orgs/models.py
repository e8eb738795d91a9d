"""Regions, organisation units, users with roles, phone lines and API tokens."""

from __future__ import annotations

from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.db import models

from youjie.core.models import TimeStampedModel
from youjie.orgs.choices import LineKind, OrgKind, RegionKind, Role


class Region(models.Model):
    """An administrative division identified by its GB/T 2260 code."""

    code = models.CharField("区划代码", max_length=12, primary_key=True)
    name = models.CharField("名称", max_length=50)
    kind = models.CharField("类型", max_length=16, choices=RegionKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class OrgUnit(TimeStampedModel):
    """A node in the organisation tree. ``path`` is a materialised path of ids ("/1/4/9/")."""

    code = models.CharField("机构代码", max_length=32, unique=True)
    name = models.CharField("名称", max_length=100)
    short_name = models.CharField("简称", max_length=50, blank=True)
    kind = models.CharField("类型", max_length=16, choices=OrgKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级机构",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    region = models.ForeignKey(
        Region, verbose_name="所属区划", on_delete=models.PROTECT, related_name="org_units"
    )
    court_code = models.CharField(
        "法院代字", max_length=16, blank=True, help_text="案号中的法院代字，如 内0206"
    )
    path = models.CharField("路径", max_length=255, db_index=True, editable=False, default="")
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "机构"
        verbose_name_plural = "机构"
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        return max(self.path.count("/") - 2, 0)


class User(AbstractUser):
    """A staff member (or an integration's service account). Roles live in UserRole."""

    display_name = models.CharField("姓名", max_length=50, blank=True)
    org_unit = models.ForeignKey(
        OrgUnit,
        verbose_name="所属机构",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    mobile = models.CharField("手机号", max_length=11, blank=True)
    is_service_account = models.BooleanField("接口账号", default=False)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.display_name or self.username

    def get_full_name(self) -> str:
        return self.display_name or super().get_full_name() or self.username

    @cached_property
    def role_set(self) -> frozenset[str]:
        if not self.pk:
            return frozenset()
        # Read once per request (permissions, navigation, scoping), then kept on the object.
        return frozenset(self.user_roles.values_list("role", flat=True))

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_set.intersection(roles))

    @property
    def role_labels(self) -> list[str]:
        return [Role(role).label for role in sorted(self.role_set) if role in Role.values]


class UserRole(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="user_roles")
    role = models.CharField("角色", max_length=32, choices=Role.choices)

    class Meta:
        verbose_name = "用户角色"
        verbose_name_plural = "用户角色"
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="uniq_user_role")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


class Line(TimeStampedModel):
    """A phone line: the court's fixed line, a judge's work phone, the deputies' line."""

    number = models.CharField("号码", max_length=20, unique=True)
    kind = models.CharField("类型", max_length=16, choices=LineKind.choices)
    label = models.CharField("名称", max_length=100, blank=True)
    owner_unit = models.ForeignKey(
        OrgUnit, verbose_name="所属机构", on_delete=models.PROTECT, related_name="lines"
    )
    owner_user = models.ForeignKey(
        User,
        verbose_name="使用人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lines",
    )
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "电话线路"
        verbose_name_plural = "电话线路"
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.label or self.get_kind_display()} {self.number}"


class ApiToken(models.Model):
    """An integration's bearer token. Only a SHA-256 of the secret is stored."""

    name = models.CharField("名称", max_length=100, unique=True)
    prefix = models.CharField("前缀", max_length=12, db_index=True)
    key_hash = models.CharField("密钥摘要", max_length=64, unique=True)
    user = models.OneToOneField(
        User, verbose_name="接口账号", on_delete=models.PROTECT, related_name="api_token"
    )
    created_by = models.ForeignKey(
        User,
        verbose_name="创建人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
