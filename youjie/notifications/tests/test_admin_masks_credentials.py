"""The outbox admin shows no credential (issue 12): a message's feedback link carries the token
that lets anyone rate the request, and a text may carry a one-time code. The admin shows the
body with those parts hidden; the stored body is never on the page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from youjie.core.logging import REDACTED
from youjie.notifications.admin import masked_body
from youjie.notifications.tests.helpers import enqueue

pytestmark = pytest.mark.django_db
TOKEN = "Q1w2E3r4T5y6U7i8O9p0AsDfGhJkLzXc"
BODY = (
    "【白云鄂博矿区法院】您的诉求SS20261207-00001已答复。请评价："
    f"https://susong.example.gov.cn/portal/feedback/{TOKEN}/ 查询进度："
    "https://susong.example.gov.cn/portal/track/?reset=Zx9Yw8Vu7Ts6Rq5Po4Nm 验证码：381204"
)


def test_masked_body_hides_link_credentials_and_codes():
    shown = masked_body(BODY)
    assert TOKEN not in shown and "Zx9Yw8Vu7Ts6Rq5Po4Nm" not in shown and "381204" not in shown
    assert f"https://susong.example.gov.cn/portal/feedback/{REDACTED}/" in shown
    assert "https://susong.example.gov.cn/portal/track/?reset=" in shown
    assert "SS20261207-00001" in shown and "【白云鄂博矿区法院】" in shown  # the rest stays
    assert masked_body("您的诉求已登记，编号 SS20261207-00001。") == (
        "您的诉求已登记，编号 SS20261207-00001。"
    )


def test_the_change_page_shows_no_feedback_token(client, settings, administrator):
    settings.YOUJIE_OTP_ENFORCED = False
    row = enqueue(body=BODY)
    client.force_login(administrator)
    page = client.get(reverse("admin:notifications_notification_change", args=[row.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert TOKEN not in html and "381204" not in html
    assert REDACTED in html and "已答复。请评价" in html  # the masked body is shown
    assert "链接凭据和验证码已隐去" in html
