"""The big screen on a 1920×1080 wall display, refreshing itself without a reload, and a staff list
taken away as .xlsx from its page (issue 15, "Done when": a browser test shows the big screen, a
drill-down and an export, saving screenshots; the drill-down is test_charts_browser.py's)."""

from __future__ import annotations

import re
from datetime import timedelta
from io import BytesIO

import pytest
from django.utils import timezone

from tests.browser import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

# Readable at three metres: the screen's headline figures are at least this tall (CSS pixels).
HEADLINE_MIN_PX = 64


def test_the_big_screen_refreshes_itself_and_a_list_leaves_as_xlsx(
    live_server, browser, settings, court_leader, desk_year, court_march
):
    from openpyxl import load_workbook

    from youjie.core.snapshots import snapshots_refresh

    settings.YOUJIE_OTP_ENFORCED = False
    base = live_server.url
    context = browser.new_context(
        viewport={"width": 1920, "height": 1080}, locale="zh-CN", accept_downloads=True
    )
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        login(page, base, "leader")
        page.clock.install()
        page.goto(f"{base}/analytics/screen/")
        title = page.locator("#screen-title")
        assert title.inner_text().endswith("诉讼服务数据大屏")
        today = page.locator("#screen-today")
        size = today.evaluate("node => parseFloat(getComputedStyle(node).fontSize)")
        assert size >= HEADLINE_MIN_PX, size
        grid = page.locator("#screen-figures").bounding_box()
        assert grid is not None and grid["width"] <= 1920 and grid["height"] <= 1080
        stamp = page.locator("#screen-as-of").inner_text()
        screenshot(page, "analytics-big-screen-1920")
        page.evaluate("window.__notReloaded = true")

        # The periodic task computes the watched screen again; the page's own timer (30 s,
        # moved on by the browser's clock) swaps the new figures in.
        assert snapshots_refresh(now=timezone.now() + timedelta(seconds=7)) >= 1
        page.clock.run_for(31_000)
        page.wait_for_function(
            "stamp => document.querySelector('#screen-as-of').textContent !== stamp", arg=stamp
        )
        assert page.evaluate("window.__notReloaded === true")  # swapped in, not reloaded
        screenshot(page, "analytics-big-screen-refreshed")

        # A staff list, filtered, leaves as .xlsx with its filters stated above a frozen header.
        page.goto(f"{base}/cases/?q=民初")
        with page.expect_download() as download_info:
            page.get_by_role("link", name="导出 Excel").first.click()
        download = download_info.value
        assert re.search(r"\.xlsx$", download.suggested_filename)
        content = download.path().read_bytes()
        sheet = load_workbook(BytesIO(content)).active
        assert sheet is not None
        assert "案件" in str(sheet["A1"].value)
        stated = " ".join(str(cell.value or "") for cell in sheet[2])
        assert "民初" in stated
        assert sheet.freeze_panes is not None
        screenshot(page, "analytics-export-from-case-list")
    finally:
        context.close()
