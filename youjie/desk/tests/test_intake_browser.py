"""Reception in Chromium (issue 12, item 13): the active "＋ 登记" tab is readable, and the
person the lookup pre-selects fills in the requester's name, so the form is not refused."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_active_new_tab_is_readable(live_server, phone_page, receptionist, matter_types):
    page = phone_page
    login(page, live_server.url, "reception")
    page.goto(f"{live_server.url}/desk/new/")
    colours = page.eval_on_selector(
        ".desk-tabs a.new.active",
        "a => { const s = getComputedStyle(a); return [s.color, s.backgroundColor]; }",
    )
    screenshot(page, "desk-intake-tab")
    assert colours[0] != colours[1], f"text and background are both {colours[0]}"
    assert colours[0] == "rgb(255, 255, 255)"


def test_preselected_person_fills_the_name(
    live_server, phone_page, receptionist, party, matter_types
):
    page = phone_page
    login(page, live_server.url, "reception")
    page.goto(f"{live_server.url}/desk/new/")
    page.fill("#id_requester_mobile", "138 1234 5678")
    page.wait_for_selector("#lookup .lookup-card")
    assert page.is_checked(f"#lookup input[name=requester_id][value='{party.pk}']")
    expect(page.locator("#id_requester_name")).to_have_value("张三")
