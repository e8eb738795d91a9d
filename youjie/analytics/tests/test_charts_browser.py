"""Chart legends fit without paging on a phone (issue 12, item 18).

A "scroll" legend showed two of its six series and a 1/3 pager on a phone-sized chart; the
legend now wraps onto as many lines as it needs, every series name visible.
"""

from __future__ import annotations

import re

import pytest

from tests.browser import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]
SERIES = [
    "本期受理",
    "去年同期受理",
    "本期回音率",
    "去年同期回音率",
    "本期办结率",
    "去年同期办结率",
]


def test_legends_show_every_series_without_a_pager(
    live_server, phone_page, settings, court_leader, desk_year
):
    settings.YOUJIE_OTP_ENFORCED = False
    page = phone_page
    base = live_server.url
    login(page, base, "leader")
    page.goto(f"{base}/analytics/desk/?start=2025-03-01&end=2025-03-31")
    chart = page.locator("[data-chart]").first
    chart.locator("svg").wait_for()
    texts = chart.locator("svg text").evaluate_all("nodes => nodes.map(n => n.textContent)")
    screenshot(page, "analytics-legend-phone")
    chart.screenshot(path=screenshot(page, "analytics-legend-phone-chart"))
    assert not [text for text in texts if re.fullmatch(r"\s*\d+\s*/\s*\d+\s*", text)]  # no pager
    box = chart.bounding_box()
    assert box is not None
    for name in SERIES:
        legend_item = chart.locator("svg text", has_text=re.compile(f"^{name}$")).first
        item = legend_item.bounding_box()
        assert item is not None, name
        right = box["x"] + box["width"]
        assert box["x"] <= item["x"] and item["x"] + item["width"] <= right, f"{name} is cut off"


COURT_SERIES = ["本期结案率", "去年同期结案率", "本期一审服判息诉率", "去年同期一审服判息诉率"]


def test_court_figures_chart_and_a_drill_down(
    live_server, phone_page, settings, court_leader, court_march
):
    """审判质效 on a phone: the division chart shows its four series, and a count opens the
    list of the cases behind it."""
    settings.YOUJIE_OTP_ENFORCED = False
    page = phone_page
    base = live_server.url
    login(page, base, "leader")
    page.goto(f"{base}/analytics/court/?start=2026-03-01&end=2026-03-31")
    chart = page.locator("[data-court-chart]")
    chart.locator("svg").wait_for()
    screenshot(page, "analytics-court-phone")
    box = chart.bounding_box()
    assert box is not None
    for name in COURT_SERIES:
        item = chart.locator("svg text", has_text=re.compile(f"^{name}$")).first.bounding_box()
        assert item is not None, name
        assert box["x"] <= item["x"] and item["x"] + item["width"] <= box["x"] + box["width"]
    page.locator("table.court-figures tr", has_text="旧存").locator("td a").first.click()
    page.wait_for_url(re.compile(r"/cases/\?.*open_on=2026-03-01"))
    rows = page.locator("table tbody tr")
    assert rows.count() == 6  # A F G H I J
    screenshot(page, "analytics-court-drill-down")
