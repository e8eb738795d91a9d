"""Guards for Django's own admin code against hostile input (each was a 500).

Bad dates in a date hierarchy are answered as bad filters. Django's ChangeList builds the
hierarchy's bounds with ``datetime(year, month, day)`` and catches only ValueError there:
``?created_at__year=999…9`` raises OverflowError, ``?…__year=9999&…__month=12&…__day=31``
overflows when the next day is computed (outside the try), and ``?…__year=1`` fails when the
database converts the bound to UTC. All were a 500; here they are IncorrectLookupParameters,
which the admin answers like any other bad filter (a redirect to ``?e=1``). The admins with a
date hierarchy use this ChangeList: the outbox (youjie.notifications.admin) and django-axes'
login records, re-registered below (their list columns headed in Chinese, issue 12 item 17).

Ids out of the database's integer range in a many-to-many select (``permissions=999…9``) are
refused as invalid choices: ModelMultipleChoiceField catches only ValueError and TypeError from
its ``__in`` query, not SQLite's OverflowError. Used by the groups admin (re-registered below)
and the users admin (youjie.orgs.admin).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db.models import ManyToManyField
from django.http import HttpRequest


class BoundedDateChangeList(ChangeList):
    def get_filters(self, request: HttpRequest) -> Any:
        try:
            filters: Any = super().get_filters(request)
            lookup_params: dict[str, Any] = filters[2]
            for lookup in ("gte", "lt"):
                for bound in lookup_params.get(f"{self.date_hierarchy}__{lookup}", []):
                    if isinstance(bound, datetime):  # the database compares it in UTC
                        bound.astimezone(UTC)
        except (OverflowError, ValueError) as exc:  # a date out of Python's range
            raise IncorrectLookupParameters(exc) from exc
        return filters


class BoundedDateHierarchyMixin:
    """For a ModelAdmin with ``date_hierarchy``: see the module's docstring."""

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return BoundedDateChangeList


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def _check_values(self, value: Any) -> Any:
        assert self.queryset is not None
        meta = self.queryset.model._meta
        key: Any = meta.get_field(self.to_field_name) if self.to_field_name else meta.pk
        for pk in value:
            try:  # the model field's validators hold the database's integer range
                key.run_validators(key.to_python(pk))
            except (ValidationError, TypeError):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                ) from None
        return super()._check_values(value)  # type: ignore[misc]


class BoundedManyToManyMixin:
    """For a ModelAdmin with many-to-many fields: see the module's docstring."""

    def formfield_for_manytomany(
        self, db_field: ManyToManyField[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> Any:
        kwargs.setdefault("form_class", BoundedModelMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]


if admin.site.is_registered(Group):
    admin.site.unregister(Group)
    admin.site.register(Group, type("GroupAdmin", (BoundedManyToManyMixin, GroupAdmin), {}))

# django-axes ships no Chinese: its list columns were headed "Attempt Time", "IP Address" …
# (issue 12, item 17). A column's heading is its field's verbose_name, so each column is shown
# through a method of the re-registered admin with a Chinese description, sorted as before.
AXES_COLUMNS = {
    "attempt_time": "尝试时间",
    "logout_time": "退出时间",
    "ip_address": "IP地址",
    "username": "用户名",
    "user_agent": "浏览器标识",
    "path_info": "访问路径",
    "failures_since_start": "失败次数",
    "locked_out": "是否锁定",
}


def _axes_column(name: str, label: str) -> Any:
    @admin.display(description=label, ordering=name, boolean=name == "locked_out")
    def column(model_admin: Any, obj: Any) -> Any:
        return getattr(obj, name)

    return column


@admin.display(description="记录期满时间", ordering="expiration__expires_at")
def _axes_expiration(model_admin: Any, obj: AccessAttempt) -> Any:
    return obj.expiration.expires_at if hasattr(obj, "expiration") else "未设置"


@admin.display(description="锁定状态")
def _axes_status(model_admin: Any, obj: AccessAttempt) -> str:
    # axes shows this column only when AXES_FAILURE_LIMIT is a number.
    limit = int(settings.AXES_FAILURE_LIMIT)
    if obj.failures_since_start < limit:
        return f"还可尝试 {limit - obj.failures_since_start} 次"
    return "已锁定"


_AXES_OWN_COLUMNS = {"expiration": _axes_expiration, "status": _axes_status}


def _chinese_columns(model_admin: type[admin.ModelAdmin[Any]]) -> dict[str, Any]:
    """The class attributes that head the axes admin's columns in Chinese: a method per column
    (named ``column_<name>``: a method named like a field would still take the field's
    heading) and the list naming them. A column this table does not know keeps its own."""
    attributes: dict[str, Any] = {}
    columns: list[Any] = []
    for name in model_admin.list_display:
        column = None
        if isinstance(name, str):
            column = _AXES_OWN_COLUMNS.get(name)
            if column is None and name in AXES_COLUMNS:
                column = _axes_column(name, AXES_COLUMNS[name])
        if column is None:
            columns.append(name)
            continue
        attributes[f"column_{name}"] = column
        columns.append(f"column_{name}")
    attributes["list_display"] = tuple(columns)
    return attributes


_AXES_ADMINS: list[tuple[Any, Any]] = [
    (AccessAttempt, AccessAttemptAdmin),
    (AccessLog, AccessLogAdmin),
    (AccessFailureLog, AccessFailureLogAdmin),
]
for _model, _model_admin in _AXES_ADMINS:
    if admin.site.is_registered(_model):  # settings.AXES_ENABLE_ADMIN
        admin.site.unregister(_model)
        admin.site.register(
            _model,
            type(
                _model_admin.__name__,
                (BoundedDateHierarchyMixin, _model_admin),
                _chinese_columns(_model_admin),
            ),
        )
