"""Helpers shared by the petitions pages: the gate, paging, service errors put back on forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest

from youjie.core.errors import ApplicationError, PermissionDenied
from youjie.orgs.backends import signed_in_user
from youjie.orgs.models import User
from youjie.petitions.permissions import may_see_petitions

PAGE_SIZE = 25


def signed_in(request: HttpRequest) -> User:
    return signed_in_user(request)


def petitions_user(request: HttpRequest) -> User:
    """The signed-in user, if the petitions pages are for them (office officers, lead
    officials, handlers, unit leaders); what each sees is their scope."""
    user = signed_in(request)
    if not may_see_petitions(user):
        raise PermissionDenied("只有专项办、包案领导、承办人员和政法单位负责人可以使用信访化解")
    return user


def put_field_errors(form: forms.Form, error: ApplicationError) -> None:
    """A service's field errors beside the form's fields; the rest join the message on top."""
    for name, messages in error.fields.items():
        target: str | None = name if name in form.fields else None
        if target is not None and target in form.errors:
            continue
        for message in messages:
            form.add_error(target, message)


def query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def base_context(request: HttpRequest, active: str, **extra: Any) -> dict[str, Any]:
    return {"active": active, "filters": query_without_page(request), **extra}
