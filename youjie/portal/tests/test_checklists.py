"""The 一次告知 checklists: current or a given version, printable; the home page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from youjie.desk import services as desk_services
from youjie.desk.models import MatterType

pytestmark = pytest.mark.usefixtures("matter_types")


def test_current_checklist_renders_materials_and_is_printable(client):
    response = client.get(reverse("portal:checklist", args=["divorce_filing"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "离婚诉讼立案咨询" in html and "结婚证" in html and "所需材料" in html
    assert "办理流程" in html and "收费标准" in html and "法律依据" in html
    assert "portal/portal.css" in html and "data-print" in html
    assert "第1版" in html and "已有更新版本" not in html


def test_sms_link_to_a_version_shows_that_version(client, administrator):
    matter_type = MatterType.objects.get(code="divorce_filing")
    desk_services.checklist_publish(
        actor=administrator,
        matter_type=matter_type,
        materials="新版材料：起诉状、身份证",
        steps="新版流程",
        check_permission=False,
    )
    old = client.get(reverse("portal:checklist", args=["divorce_filing", 1])).content.decode()
    assert "结婚证" in old and "已有更新版本" in old
    assert (
        reverse("portal:checklist", args=["divorce_filing", 1])
        == "/portal/checklists/divorce_filing/v1/"
    )
    current = client.get(reverse("portal:checklist", args=["divorce_filing"])).content.decode()
    assert "新版材料" in current and "第2版" in current


@pytest.mark.parametrize(
    "args",
    [["no_such_type"], ["divorce_filing", 9], ["callback"], ["complaint"]],
)
def test_missing_checklists_are_friendly_404s(client, args):
    response = client.get(reverse("portal:checklist", args=args))
    assert response.status_code == 404
    assert "一次告知清单" in response.content.decode()


def test_checklist_index_and_home(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        listing = client.get(reverse("portal:checklists"))
    html = listing.content.decode()
    assert listing.status_code == 200
    assert reverse("portal:checklist", args=["filing_consult"]) in html
    assert "投诉举报" in html and "未接来电回拨" not in html
    with django_assert_max_num_queries(4):
        home = client.get(reverse("portal:index"))
    html = home.content.decode()
    for words in ("诉事速办", "电话打得通", "法官找得到", "诉求理得快", "案件办得好", "服务做得优"):
        assert words in html
    assert "0472-8510389" in html and "白云鄂博矿区人民法院" in html
    for name in ("portal:submit", "portal:track", "portal:checklists"):
        assert reverse(name) in html


def test_hotline_is_configurable(client, settings):
    settings.YOUJIE_PORTAL_HOTLINE = "0472-1234567"
    assert "0472-1234567" in client.get(reverse("portal:index")).content.decode()
