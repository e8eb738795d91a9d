"""A citizen on a phone works out a fee: the result changes in place (htmx, no reload) as the
amount and the procedure change, a refused amount says why, and nothing is wider than the
screen. Playwright drives Debian's /usr/bin/chromium; marked ``browser`` and ``slow`` like the
other journeys."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_the_calculator_updates_in_place_on_a_phone(live_server: Any, phone_page: Any) -> None:
    page = phone_page
    page.goto(f"{live_server.url}/fees/")
    page.evaluate("window.notReloaded = true")
    page.select_option("#id_kind", "property")
    page.fill("#id_amount", "1000000")
    page.wait_for_selector("p.fee-total:has-text('13,800.00 元')")
    assert "《诉讼费用交纳办法》第十三条第（一）项" in page.inner_text("#fee-result")

    page.check("input[name=procedure][value=simple]")
    page.wait_for_selector("p.fee-total:has-text('6,900.00 元')")
    assert "减半交纳（适用简易程序）" in page.inner_text("#fee-result")

    page.fill("#id_amount", "-5")
    page.wait_for_selector("#fee-result [role=alert]:has-text('金额不能为负数')")
    assert page.evaluate("window.notReloaded") is True  # every result came without a reload
    assert "kind=property" in page.url  # and the address is the result's link

    page.fill("#id_amount", "1,000,000")
    page.wait_for_selector("p.fee-total:has-text('6,900.00 元')")
    widths = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"wider than the phone: {widths}"
    screenshot(page, "fees-calculator-phone")
