"""Helpers shared by the filings pages: the gate, and a service's field errors put back on the
form (and the parties formset) they came from."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest

from youjie.core.errors import ApplicationError, PermissionDenied
from youjie.filings.forms import BasePartyFormSet
from youjie.filings.permissions import may_decide_filings, may_see_filings
from youjie.orgs.backends import signed_in_user
from youjie.orgs.models import User

PAGE_SIZE = 25


def filings_user(request: HttpRequest) -> User:
    """The signed-in user, if they are a court's staff (what each sees is their scope)."""
    user = signed_in_user(request)
    if not may_see_filings(user):
        raise PermissionDenied("只有法院工作人员可以使用网上立案")
    return user


def deciding_user(request: HttpRequest) -> User:
    user = filings_user(request)
    if not may_decide_filings(user):
        raise PermissionDenied("只有立案人员和庭室、院领导可以办理立案")
    return user


def put_errors(
    form: forms.Form,
    error: ApplicationError,
    names: dict[str, str] | None = None,
    formset: BasePartyFormSet | None = None,
) -> None:
    """The service's field errors beside their fields: ``names`` maps a service key to the
    form's field, ``parties-N-field`` goes to the formset's N-th form; the rest on top."""
    names = names or {}
    for key, messages in error.fields.items():
        for message in messages:
            target = names.get(key, key)
            if formset is not None and key.startswith("parties-"):
                _, index, name = key.split("-", 2)
                filled = formset.filled_forms()
                if index.isdigit() and int(index) < len(filled):
                    party_form = filled[int(index)]
                    if name in party_form.fields:
                        party_form.add_error(name, message)
                        continue
            if target in form.fields:
                if target not in form.errors or message not in form.errors[target]:
                    form.add_error(target, message)
            else:
                form.add_error(None, message)
    if not error.fields:
        form.add_error(None, error.message)
