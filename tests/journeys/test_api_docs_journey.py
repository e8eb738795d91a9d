"""The interactive API documentation works offline and under the Content-Security-Policy."""

from __future__ import annotations

import pytest

from tests.browser import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_swagger_ui_renders_the_operations_from_vendored_files(live_server, phone_page):
    failed_requests: list[str] = []
    console_errors: list[str] = []
    phone_page.on("requestfailed", lambda request: failed_requests.append(request.url))
    phone_page.on(
        "console",
        lambda message: console_errors.append(message.text) if message.type == "error" else None,
    )
    phone_page.goto(f"{live_server.url}/api/v1/docs")
    phone_page.wait_for_selector(".opblock", timeout=15_000)
    text = phone_page.inner_text("body")
    assert "有解 API" in text
    assert "/api/v1/desk/requests" in text
    assert failed_requests == []  # everything is served by the app itself: no CDN
    assert not [error for error in console_errors if "Content Security Policy" in error]
    screenshot(phone_page, "api-docs")
