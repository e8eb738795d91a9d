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
    assert f'href="{reverse("people:create")}"' in html and "登记新人员档案" in html
