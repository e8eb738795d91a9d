"""The intake form in a phone-sized Chromium: typing a number shows the caller card (htmx),
ticking 当场答复 shows the answer box (desk.js), the reply template fills the answer.

Playwright drives Debian's /usr/bin/chromium (no download); screenshots go to
var/test-artifacts/. Marked ``browser`` and ``slow`` like the foundation journey.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser import login, screenshot
from youjie.desk.models import MatterType, ReplyTemplate, ServiceRequest

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_receptionist_registers_a_known_caller_on_a_phone(
    live_server, phone_page, receptionist, judge, civil_case, party, matter_types
):
    page = phone_page
    base = live_server.url
    login(page, base, "reception")
    page.goto(f"{base}/desk/new/")
    page.fill("#id_requester_mobile", "138 1234 5678")
    page.wait_for_selector("#lookup .lookup-card")
    card = page.inner_text("#lookup")
    assert "张三" in card and "（2026）内0206民初123号" in card
    assert page.is_checked(f"#lookup input[name=requester_id][value='{party.pk}']")
    # The pre-selected person fills the name (issue 12, item 13: it was left empty).
    expect(page.locator("#id_requester_name")).to_have_value("张三")
    page.fill("#id_requester_name", "")
    page.check("#lookup input[name=requester_id][value='']")
    page.check(f"#lookup input[name=requester_id][value='{party.pk}']")
    assert page.input_value("#id_requester_name") == "张三"
    assert not page.is_visible("#id_answer")
    page.select_option("#id_matter_type", "case_query")
    page.fill("#id_title", "询问案件进度")
    page.fill("#id_content", "当事人来电询问案件审理进度。")
    page.fill("#id_related_case_number", "（2026）内0206民初123号")
    screenshot(page, "desk-intake-phone")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}/desk/*/")
    service_request = ServiceRequest.objects.get()
    assert service_request.requester == party and service_request.transfer_user == judge
    assert "诉求已登记" in page.inner_text("main")
    screenshot(page, "desk-detail-phone")


def test_answer_box_and_reply_template(live_server, phone_page, receptionist, matter_types):
    ReplyTemplate.objects.create(
        name="立案咨询答复",
        matter_type=MatterType.objects.get(code="filing_consult"),
        body="{姓名}您好，关于{事项}，请携带起诉状和身份证明到诉讼服务中心。",
    )
    page = phone_page
    base = live_server.url
    login(page, base, "reception")
    page.goto(f"{base}/desk/new/")
    page.check("#id_answer_on_the_spot")
    assert page.is_visible("#id_answer")
    page.uncheck("#id_answer_on_the_spot")
    page.uncheck("#id_auto_route")
    page.fill("#id_requester_name", "李四")
    page.select_option("#id_matter_type", "filing_consult")
    page.fill("#id_title", "立案咨询")
    page.fill("#id_content", "询问如何立案。")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}/desk/*/")
    page.select_option("#reply-template", label="立案咨询答复")
    assert (
        page.input_value("textarea[name=body]")
        == "李四您好，关于立案咨询，请携带起诉状和身份证明到诉讼服务中心。"
    )
    screenshot(page, "desk-reply-template-phone")
    page.click("form[action$='/reply/'] button[type=submit]")
    page.wait_for_selector("text=已答复，答复内容和评价链接已通过短信发送给诉求人")
    assert ServiceRequest.objects.get().status == "replied"
