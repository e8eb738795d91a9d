"""The city officer opens a campaign page in Chromium: the burn-down chart and the progress by
region render (an ECharts canvas each) without a JavaScript error.

Playwright drives Debian's /usr/bin/chromium (no download); screenshots go to
var/test-artifacts/. Dates are counted from the real today: the live server runs unfrozen.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from tests.browser import login, screenshot
from youjie.orgs.models import User
from youjie.petitions import services
from youjie.workdays.calendar import SHANGHAI

from .conftest import make_matter, unit

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_the_city_officer_sees_the_burn_down_chart(
    live_server: Any, browser: Any, settings: Any, city_officer: User, lead_official: User
) -> None:
    settings.YOUJIE_OTP_ENFORCED = False
    today = timezone.localtime(timezone.now(), SHANGHAI).date()
    campaign = services.campaign_create(
        actor=city_officer,
        name="百日攻坚（浏览器检查）",
        kind="hundred_days",
        issuing_office=unit("BT-ZXB"),
        starts_on=today - timedelta(days=20),
        ends_on=today + timedelta(days=79),
    )
    matters = []
    for region_code in ("150205", "150206", "150203"):
        matter = make_matter(
            city_officer, region_code=region_code, received_on=today - timedelta(days=40)
        )
        matters.append(
            services.matter_assign(
                actor=city_officer,
                matter=matter,
                lead_official=lead_official,
                responsible_unit=unit(f"{region_code}-ZFW"),
            )
        )
    services.campaign_add_matters(actor=city_officer, campaign=campaign, matters=matters)
    services.campaign_start(actor=city_officer, campaign=campaign)

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda message: errors.append(message.text)
        if message.type == "error" and not message.text.startswith("Failed to load resource")
        else None,
    )
    # Every script and stylesheet loads (the site has no favicon: the browser's own request).
    page.on(
        "response",
        lambda response: errors.append(f"{response.status} {response.url}")
        if response.status >= 400 and not response.url.endswith("/favicon.ico")
        else None,
    )
    try:
        base = live_server.url
        login(page, base, "city_officer")
        page.goto(f"{base}/petitions/campaigns/{campaign.pk}/")
        page.locator("#chart-burndown canvas").first.wait_for()
        page.locator("#chart-regions canvas").first.wait_for()
        box = page.locator("#chart-burndown canvas").first.bounding_box()
        assert box is not None and box["width"] > 200 and box["height"] > 200
        assert "已化解" in page.inner_text(".campaign-headline")
        screenshot(page, "petitions-campaign-burndown")
    finally:
        context.close()
    assert errors == []
