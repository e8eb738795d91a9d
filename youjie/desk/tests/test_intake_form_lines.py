"""Reception form (issue 12, item 13): lines grouped by kind, the receptionist's own line first,
and labels without an ASCII colon after Chinese text."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from youjie.orgs.models import Line, OrgUnit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_otp(settings):
    settings.YOUJIE_OTP_ENFORCED = False


def test_lines_are_grouped_by_kind_and_own_line_is_preselected(
    client, receptionist, judge_line, fixed_line, matter_types
):
    own = Line.objects.create(
        number="0472-8510390",
        kind="fixed",
        label="立案庭接待电话",
        owner_unit=OrgUnit.objects.get(code="BT-BYEB-LAT"),
        owner_user=receptionist,
    )
    client.force_login(receptionist)
    html = client.get(reverse("desk:intake")).content.decode()
    select = html[
        html.index('<select name="line"') : html.index(
            "</select>", html.index('<select name="line"')
        )
    ]
    assert '<optgroup label="固定电话">' in select
    assert '<optgroup label="法官工作手机">' in select
    assert re.search(rf'<option value="{own.pk}" selected>', select)


def test_intake_labels_have_no_ascii_colon(client, receptionist, matter_types):
    client.force_login(receptionist)
    html = client.get(reverse("desk:intake")).content.decode()
    labels = re.findall(r"<label[^>]*>([^<]*)</label>", html)
    assert labels
    assert [label for label in labels if label.rstrip().endswith(":")] == []


def test_unknown_phone_offers_to_register_the_person(client, receptionist, matter_types):
    client.force_login(receptionist)
    response = client.post(
        reverse("desk:lookup"), {"requester_mobile": "13812340000"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "未找到本人可查看的人员档案" in html
    # Registered inline with the request, not in another window (test_intake_register_person).
    assert 'name="register_person"' in html and 'name="person_address"' in html


def test_intake_labels_use_chinese_punctuation_only(client, receptionist, matter_types):
    """No ASCII brackets, commas, colons or semicolons in any label of the page, the caller
    lookup or the inline registration it offers (issue 12, item 13)."""
    client.force_login(receptionist)
    html = client.get(reverse("desk:intake")).content.decode()
    html += client.post(
        reverse("desk:lookup"), {"requester_mobile": "13812340000"}
    ).content.decode()
    labels = [
        re.sub(r"<[^>]+>", "", label).strip()
        for label in re.findall(r"<(?:label|legend)[^>]*>(.*?)</(?:label|legend)>", html, re.S)
    ]
    assert "住址（可选）" in labels and "同时登记人员档案" in labels
    assert [label for label in labels if re.search(r"[():,;]", label)] == []
