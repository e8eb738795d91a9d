"""一次告知 checklists render their materials and steps as numbered lists, on the portal and on
the desk's printable page, whether the text was typed one item a line or "1. …；2. …" in one
line (issue 12, item 16)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from youjie.desk.templatetags.desk_tags import checklist_items

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "items"),
    [
        ("1. 起诉状；2. 身份证复印件；3. 证据材料。", ["起诉状", "身份证复印件", "证据材料"]),
        ("1、起诉状\n2、身份证\n\n3、证据", ["起诉状", "身份证", "证据"]),
        ("（1）起诉状；（2）身份证", ["起诉状", "身份证"]),
        ("起诉状\n身份证复印件\n", ["起诉状", "身份证复印件"]),
        ("- 起诉状\n• 身份证", ["起诉状", "身份证"]),
        ("起诉状一份", ["起诉状一份"]),
        ("", []),
        # Numbers that are not item markers stay in the text: decimals, days, a second "1.".
        (
            "1. 财产超过20万元的部分按0.5%交纳；2. 7日内决定，见第1. 项",
            ["财产超过20万元的部分按0.5%交纳", "7日内决定，见第1. 项"],
        ),
    ],
)
def test_checklist_items(text: str, items: list[str]) -> None:
    assert checklist_items(text) == items


def list_items(html: str, heading: str) -> list[str]:
    section = html.split(f">{heading}<", 1)[1]
    listing = re.search(r"<ol[^>]*>(.*?)</ol>", section, re.S)
    assert listing is not None, f"{heading} is not a numbered list"
    return [item.strip() for item in re.findall(r"<li>(.*?)</li>", listing.group(1), re.S)]


DIVORCE_MATERIALS_START = ["起诉状（按被告人数提交副本）", "原告身份证复印件"]


def test_portal_checklist_is_numbered(client: Client, matter_types: Any) -> None:
    html = client.get(reverse("portal:checklist", args=["divorce_filing"])).content.decode()
    materials = list_items(html, "所需材料")
    assert materials[:2] == DIVORCE_MATERIALS_START and len(materials) == 6
    steps = list_items(html, "办理流程")
    assert len(steps) == 5 and steps[0].startswith("到诉讼服务中心窗口")


def test_desk_printable_checklist_is_numbered(receptionist: Any, matter_types: Any) -> None:
    client = Client()
    client.force_login(receptionist)
    html = client.get(reverse("desk:checklist_print", args=["divorce_filing"])).content.decode()
    assert list_items(html, "所需材料")[:2] == DIVORCE_MATERIALS_START
    assert len(list_items(html, "办理流程")) == 5
