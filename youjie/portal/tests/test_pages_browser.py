"""A citizen on a phone: submits a request, taps "查询办理进度" (the number and, on this
device, the phone are filled in), and reads the tracking page, where no date breaks across
lines (issue 12, item 16).

Playwright drives Debian's /usr/bin/chromium; screenshots go to var/test-artifacts/. Marked
``browser`` and ``slow`` like the other journeys.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser import screenshot
from youjie.desk import services as desk_services
from youjie.desk.models import ServiceRequest

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

DATE = r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}"

# For every "YYYY-MM-DD HH:MM" in the page's main text: the distinct line boxes it occupies and
# whether it runs past the viewport's right edge. Measured on the text itself (a Range), so the
# measurement does not depend on the markup around it.
MEASURE_DATES = """
(pattern) => {
  const found = [];
  const walker = document.createTreeWalker(document.querySelector("main"), NodeFilter.SHOW_TEXT);
  const regexp = new RegExp(pattern, "g");
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const match of node.data.matchAll(regexp)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const rects = Array.from(range.getClientRects()).filter((r) => r.width > 0);
      const lines = new Set(rects.map((r) => Math.round(r.top)));
      const right = Math.max(...rects.map((r) => r.right));
      found.push({text: match[0], lines: lines.size, right: right});
    }
  }
  return {dates: found, width: document.documentElement.clientWidth};
}
"""


@pytest.fixture
def portal_settings(settings: Any) -> None:
    settings.YOUJIE_PORTAL_FORM_MIN_SECONDS = 0
    settings.YOUJIE_PORTAL_RATE_LIMITS = {}
    settings.YOUJIE_NOTIFY_TRANSPORTS = {}


@pytest.mark.parametrize("width", [320, 360, 390])
def test_a_citizen_submits_and_tracks_on_a_phone(
    live_server, browser, portal_settings, matter_types, judge, width
):
    context = browser.new_context(viewport={"width": width, "height": 740}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    base = live_server.url
    try:
        page.goto(f"{base}/portal/submit/")
        page.fill("#id_name", "赵敏")
        page.fill("#id_mobile", "139 1234 5678")
        page.select_option("#id_matter_type", "contact_judge")
        page.fill("#id_title", "想联系承办法官")
        page.fill("#id_content", "我的案件已立案两周，想了解开庭时间安排，请法官联系我。")
        page.click("main form button[type=submit]")
        page.wait_for_url(f"{base}/portal/submit/done/")
        service_request = ServiceRequest.objects.get()
        desk_services.service_request_accept(actor=judge, service_request=service_request)
        desk_services.service_request_reply(
            actor=judge, service_request=service_request, body="开庭时间定于12月8日上午9时。"
        )

        page.click('main a.button:has-text("查询办理进度")')
        page.wait_for_url(f"{base}/portal/track/?number=*")
        assert page.input_value("#id_number") == service_request.number
        assert page.input_value("#id_mobile") == "13912345678"
        assert "13912345678" not in page.url
        page.click("main form button[type=submit]")
        page.wait_for_url(f"{base}/portal/track/{service_request.number}/")
        assert "法院已答复" in page.inner_text("main")
        screenshot(page, f"portal-track-{width}")

        measured = page.evaluate(MEASURE_DATES, DATE)
        dates = measured["dates"]
        assert len(dates) >= 8, dates
        broken = [date for date in dates if date["lines"] != 1]
        assert broken == [], f"dates broken across lines at {width}px: {broken}"
        overflowing = [date for date in dates if date["right"] > measured["width"]]
        assert overflowing == [], f"dates past the screen's edge at {width}px: {overflowing}"
    finally:
        context.close()
