"""Foundation journey: the receptionist logs in, finds a person and opens the dossier."""

from __future__ import annotations

import pytest

from tests.browser import screenshot
from youjie.people.services import person_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_receptionist_finds_a_person_and_opens_the_dossier(live_server, phone_page, receptionist):
    person = person_create(actor=receptionist, name="张建华", mobile="138 1234 5678")
    page = phone_page
    page.goto(f"{live_server.url}/accounts/login/")
    assert page.title().startswith("登录")
    page.fill("#id_username", "reception")
    page.fill("#id_password", "pw-reception")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    assert "工作台" in page.inner_text("h1")
    page.goto(f"{live_server.url}/people/")
    page.fill("input[name=q]", "13812345678")
    page.keyboard.press("Enter")
    page.get_by_role("link", name="张建华").first.click()
    page.wait_for_url(f"{live_server.url}/people/{person.pk}/")
    body = page.inner_text("main")
    assert "张建华" in body
    assert "138****5678" in body
    assert "13812345678" not in body  # masked unless revealed (and the reveal is audited)
    path = screenshot(page, "foundation-dossier")
    assert path.stat().st_size > 10_000
