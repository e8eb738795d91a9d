"""Helpers shared by the mediation pages: the gate and service errors put back on forms."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest

from youjie.core.errors import ApplicationError, PermissionDenied
from youjie.mediation.permissions import may_use_mediation
from youjie.orgs.backends import signed_in_user
from youjie.orgs.models import User

PAGE_SIZE = 25


def mediation_user(request: HttpRequest) -> User:
    """The signed-in user, if the mediation pages are for them (mediators and court staff);
    what each sees is their scope."""
    user = signed_in_user(request)
    if not may_use_mediation(user):
        raise PermissionDenied("只有调解员和法院工作人员可以使用诉前调解")
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
