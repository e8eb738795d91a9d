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


def test_an_unknown_caller_is_registered_with_the_request(
    live_server, phone_page, receptionist, matter_types
):
    """Issue 12, item 13: the lookup offers to register a caller it does not know; ticking it
    registers the person and the request in one submission."""
    from youjie.desk.models import ServiceRequest
    from youjie.people.models import Person

    page = phone_page
    login(page, live_server.url, "reception")
    page.goto(f"{live_server.url}/desk/new/")
    page.select_option("#id_channel", "walk_in")
    page.fill("#id_requester_mobile", "137 1234 0000")
    page.wait_for_selector("#register-person")
    expect(page.locator("#register-person")).to_contain_text("13712340000")
    page.check("#id_register_person")
    page.fill("#id_person_address", "包头市白云鄂博矿区通阳道1号")
    page.fill("#id_requester_name", "孙七")
    page.select_option("#id_matter_type", "filing_consult")
    page.fill("#id_title", "立案咨询")
    page.fill("#id_content", "询问民间借贷纠纷如何立案。")
    screenshot(page, "desk-intake-register-person")
    page.click("form.card button[type=submit]")
    page.wait_for_url(f"{live_server.url}/desk/*/")
    expect(page.locator("body")).to_contain_text("已登记人员档案：孙七")
    person = Person.objects.get()
    assert ServiceRequest.objects.get().requester == person and person.name == "孙七"
