"""The public calculator page /fees/: no login, the result with its articles, htmx partials,
bad input refused in Chinese with a 422, the rate limit, and the link from the portal."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

URL = "/fees/"
HTMX = {"HX-Request": "true"}


def test_the_empty_page_needs_no_login(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>诉讼费用计算</h1>" in html
    assert 'name="amount"' in html and 'hx-get="/fees/"' in html
    assert "应交金额以人民法院出具的交纳诉讼费用通知为准" in html
    assert 'name="viewport"' in html  # the portal's phone-first layout
    assert "vendor/htmx/htmx.min.js" in html
    assert "无法计算" not in html


def test_a_result_shows_each_line_with_its_article(client: Client) -> None:
    response = client.get(URL, {"kind": "property", "amount": "1,000,000", "procedure": "simple"})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<p class="fee-total">6,900.00 元</p>' in html  # 13,800 / 2
    assert "超过50万元至100万元的部分" in html and "500,000.00元 × 1%" in html
    assert "《诉讼费用交纳办法》第十三条第（一）项" in html
    assert "减半交纳（适用简易程序）" in html and "《诉讼费用交纳办法》第十六条" in html
    assert 'value="1,000,000"' in html  # the form keeps what was typed


def test_a_range_is_shown_as_a_range(client: Client) -> None:
    html = client.get(URL, {"kind": "personality"}).content.decode()
    assert '<p class="fee-total">100.00 元 至 500.00 元</p>' in html
    assert "最低额和最高额" in html


def test_htmx_gets_only_the_result(client: Client) -> None:
    response = client.get(URL, {"kind": "execution", "amount": "500000"}, headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and "<form" not in html
    assert '<p class="fee-total">7,400.00 元</p>' in html  # 50 + 490,000 × 1.5%
    assert "HX-Request" in response["Vary"]


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ({"kind": "property", "amount": "-100"}, "金额不能为负数"),
        ({"kind": "property", "amount": "一百万"}, "请填写以元为单位的数字金额"),
        ({"kind": "property", "amount": "99999999999999"}, "金额超过10万亿元"),
        ({"kind": "property", "amount": ""}, "请填写诉讼请求的金额或者价额"),
        ({"kind": "bankruptcy", "amount": "0"}, "金额应大于0"),
        ({"kind": "nope"}, "费用类型：选择一个有效的选项"),
        ({"kind": "property", "amount": "1", "procedure": "x"}, "审理程序：选择一个有效的选项"),
        ({"kind": "property", "amount": "1\x00"}, "金额（元）：不允许是用空字符串"),
    ],
)
def test_bad_input_is_a_422_with_a_chinese_message(
    client: Client, query: dict[str, str], says: str
) -> None:
    for headers in ({}, HTMX):
        response = client.get(URL, query, headers=headers)
        assert response.status_code == 422
        html = response.content.decode()
        assert says in html and 'role="alert"' in html
        assert "fee-total" not in html


def test_other_query_parameters_do_not_submit_the_form(client: Client) -> None:
    response = client.get(URL, {"utm_source": "wechat"})
    assert response.status_code == 200
    assert "无法计算" not in response.content.decode()


def test_post_is_not_allowed(client: Client) -> None:
    assert client.post(URL, {"kind": "property", "amount": "1"}).status_code == 405


def test_past_the_rate_limit_a_429_that_says_when(client: Client, settings: Any) -> None:
    settings.YOUJIE_PORTAL_RATE_LIMITS = {"fee_estimate_ip": (1, 3600)}
    with time_machine.travel(datetime(2026, 12, 8, 10, 30, tzinfo=UTC), tick=False):
        assert client.get(URL, {"kind": "labour"}).status_code == 200
        refused = client.get(URL, {"kind": "labour"}, headers=HTMX)
    assert refused.status_code == 429
    assert "操作过于频繁，请约30分钟后再试。" in refused.content.decode()
    assert refused["Retry-After"] == "1800"


def test_the_portal_home_links_to_the_calculator(client: Client) -> None:
    html = client.get(reverse("portal:index")).content.decode()
    assert f'<a href="{reverse("fees:calculator")}">诉讼费用计算</a>' in html


def test_a_court_may_round_to_whole_yuan(client: Client, settings: Any) -> None:
    settings.YOUJIE_FEES_POLICY = {"rounding": "yuan"}
    html = client.get(URL, {"kind": "property", "amount": "10020"}).content.decode()
    assert '<p class="fee-total">51.00 元</p>' in html  # 50 + 20 × 2.5% = 50.5 → 51
    body = client.get("/api/v1/fees/estimate", {"kind": "property", "amount": "10020"}).json()
    assert (body["acceptance_fee"], body["rounding"]) == ("51.00", "yuan")
