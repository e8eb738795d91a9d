"""The screen-pop include for base.html: desk staff only, no inline script (CSP)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.test import RequestFactory

pytestmark = pytest.mark.django_db


def render_for(user) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string("inbound/screenpop_include.html", request=request)


def test_desk_staff_get_the_script_and_container(judge):
    html = render_for(judge)
    assert 'id="screenpop"' in html and 'data-ws-path="/ws/desk/calls/"' in html
    assert re.search(r'<script src="/static/inbound/screenpop\.js" defer></script>', html)
    assert "<script>" not in html and "onclick" not in html


def test_others_get_nothing(org_tree, city_officer):
    from youjie.orgs.models import OrgUnit
    from youjie.orgs.services import api_token_create

    token, _key = api_token_create(name="电话系统", org_unit=OrgUnit.objects.get(code="BT-BYEB-FY"))
    for user in (AnonymousUser(), city_officer, token.user):
        assert render_for(user).strip() == ""


def test_static_files_are_shipped():
    for name in ("inbound/screenpop.js", "inbound/screenpop.css"):
        assert finders.find(name), name
