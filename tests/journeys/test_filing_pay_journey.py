"""Issue 14's browser journey, on a phone (390×844): a citizen files a case on /filings/apply/;
the court accepts it with "受理后开具缴费通知书" (through the services, to keep it short); the
citizen opens the pay page from the notice's link (the one its QR code and SMS carry), pays
through the local WeChat Pay stand-in's 模拟支付 page, the stand-in's signed notification
reaches the app, and the citizen's pay page shows 已缴费 by itself. Asserts on what the citizen
sees. Playwright drives Debian's /usr/bin/chromium; marked ``browser`` and ``slow`` like the
other journeys. (Here, not in youjie/fees/tests: it crosses filings, which stand above fees.)"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from tests.browser import screenshot
from youjie.fees.choices import NoticeStatus, NotificationOutcome
from youjie.fees.models import FeeNotice, PaymentNotification
from youjie.fees.standin import StandIn, StandInKeys
from youjie.fees.tests.conftest import (  # noqa: F401  (fixtures)
    configure,
    standin,
    standin_keys,
)
from youjie.filings import services as filings
from youjie.filings.choices import FilingStatus
from youjie.filings.models import Filing
from youjie.filings.tests.support import PDF, PLAINTIFF_ID, unit
from youjie.notifications.models import Notification
from youjie.orgs.models import User

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

SUBMITTER_PHONE = "13912345678"
FITS = "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"


def fits_the_screen(page: Any) -> None:
    widths = page.evaluate(FITS)
    assert widths[0] <= widths[1], f"wider than the phone: {widths}"


def test_a_citizen_files_and_pays_on_a_phone(
    live_server: Any,
    phone_page: Any,
    settings: Any,
    standin: StandIn,  # noqa: F811
    standin_keys: tuple[StandInKeys, Path],  # noqa: F811
    receptionist: User,
) -> None:
    configure(settings, standin, standin_keys[1], live_server.url)
    settings.YOUJIE_PUBLIC_URL = live_server.url  # the links in the notice and its SMS
    settings.YOUJIE_PORTAL_FORM_MIN_SECONDS = 0
    page, base = phone_page, live_server.url

    # The citizen files at the 白云鄂博 court, for it.
    page.goto(f"{base}/filings/apply/")
    page.select_option("#id_receiving_court", "BT-BYEB-FY")
    page.select_option("#id_competent_court", "BT-BYEB-FY")
    page.select_option("#id_case_kind", "civil_first")
    page.select_option("#id_procedure", "simple")
    page.fill("#id_cause", "民间借贷纠纷")
    page.fill("#id_parties-0-name", "张晓明")
    page.fill("#id_parties-0-id_number", PLAINTIFF_ID)
    page.fill("#id_parties-0-phone", "13800001111")
    page.fill("#id_parties-1-name", "李大力")
    page.fill("#id_claims", "判令被告偿还借款30000元")
    page.fill("#id_amount", "30000")
    page.fill("#id_facts_and_reasons", "2025年3月被告向原告借款30000元，至今未还。")
    page.set_input_files(
        "#id_complaint_file",
        files=[{"name": "起诉状.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    page.fill("#id_submitter_name", "张晓明")
    page.fill("#id_submitter_phone", SUBMITTER_PHONE)
    fits_the_screen(page)
    page.click("#filing-apply button[type=submit]")
    page.wait_for_selector("#filing-number")
    filing = Filing.objects.get()
    assert page.inner_text("#filing-number") == filing.number
    assert filing.status == FilingStatus.REVIEW and filing.amount == Decimal("30000.00")

    # The court accepts it, issuing the fee notice with it.
    case = filings.filing_accept(
        actor=receptionist,
        filing=filing,
        data=filings.AcceptInput(division=unit("BT-BYEB-MS"), issue_fee_notice=True),
    )
    notice = FeeNotice.objects.get(court_case=case)
    # 50 + (30,000 − 10,000) × 2.5 % = 550 元, halved under 简易程序 (Art. 13, 16): 275 元.
    assert notice.amount_due == Decimal("275.00")

    # The notice's link: in the SMS to the citizen's phone, and under the printed QR code.
    sms = Notification.objects.get(subject_type="fees.feenotice")
    assert sms.recipient_masked == "139****5678"
    found = re.search(r"(http://\S+/fees/pay/[^/\s]+/)", sms.body)
    assert found is not None, sms.body
    link = found.group(1)
    staff = Client()
    staff.force_login(receptionist)
    printed = staff.get(f"/fees/notices/{notice.pk}/print/").content.decode()
    assert link in printed and "data:image/svg+xml" in printed

    # The citizen opens it: what is due, by when; pays through the stand-in.
    page.goto(link)
    assert "275.00 元" in page.inner_text("main")
    assert case.case_number in page.inner_text("main")
    due = notice.due_on
    assert f"缴费期限：{due.year}年{due.month}月{due.day}日前" in page.inner_text("main")
    assert "张晓明" not in page.inner_text("main")  # the payer's name is masked
    fits_the_screen(page)
    screenshot(page, "fees-pay-phone")
    page.click("#pay-button")
    page.wait_for_selector("#pay-link")
    page.evaluate("window.notReloaded = true")  # the form posted: the page with the QR code
    assert "请用微信扫码支付" in page.inner_text("#pay")
    # The payment link opens WeChat (here: the stand-in's page, in another tab of the phone),
    # while the court's page stays open, waiting.
    order_link = page.get_attribute("#pay-link", "href")
    assert order_link is not None and order_link.startswith(standin.base_url)
    wechat = page.context.new_page()
    wechat.goto(order_link)
    assert "模拟支付" in wechat.title() and "275.00" in wechat.inner_text("body")
    wechat.click("#confirm-pay")
    wechat.wait_for_selector("#paid")
    assert "商户已确认收款" in wechat.inner_text("#paid")
    wechat.close()

    # Back on the court's page, the status part (polled) turns to 已缴费 by itself.
    page.wait_for_selector("#pay #paid")
    assert "已缴费" in page.inner_text("#pay")
    assert "275.00 元" in page.inner_text("#pay")
    assert page.evaluate("window.notReloaded") is True  # it came without a reload
    screenshot(page, "fees-paid-phone")
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.PAID and notice.paid_amount == Decimal("275.00")
    assert list(PaymentNotification.objects.values_list("outcome", flat=True)) == [
        NotificationOutcome.ACCEPTED
    ]
    assert [delivery.status for delivery in standin.deliveries()] == [204]
