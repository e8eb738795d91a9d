"""The 审判质效 page: the court leader's and the division head's, its links into the case list,
its chart data, the presets, bad input, refusals and the navigation entry."""

from __future__ import annotations

import json
from datetime import datetime
from html import unescape
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from youjie.analytics.tests.conftest import CourtMarch

pytestmark = pytest.mark.django_db
MARCH = {"start": "2026-03-01", "end": "2026-03-31"}
URL = "/analytics/court/"


@pytest.fixture(autouse=True)
def _no_otp(settings):
    settings.YOUJIE_OTP_ENFORCED = False


def chart_data(response):
    html = response.content.decode()
    start = html.index('<script id="court-figures" type="application/json">')
    body = html[start:].split(">", 1)[1].split("</script>", 1)[0]
    return json.loads(body)


def test_court_leader_reads_the_figures_with_last_year_and_formulas(
    client, court_leader, court_march: CourtMarch
):
    client.force_login(court_leader)
    response = client.get(reverse("analytics:court"), MARCH)
    assert response.status_code == 200
    html = response.content.decode()
    assert "统计范围：白云鄂博矿区人民法院" in html
    assert "去年同期 2025-03-01 至 2025-03-31" in html
    assert "72.73%" in html and "50.00%" in html and "+22.73个百分点" in html  # 结案率
    assert "85.71%" in html  # 一审服判息诉率
    assert "<details" in html and "计算口径与依据" in html and "民事诉讼法第 152" in html
    assert "数据截至：" in html
    assert "<script>" not in html  # CSP: data in json_script, drawing in a static file
    assert 'src="/static/analytics/court.js"' in html
    data = chart_data(response)
    assert data["labels"] == ["民事审判庭", "刑事审判庭"]
    assert data["closure_rate"] == [pytest.approx(70.0), 100.0]  # 7 ÷ 10; 1 ÷ 1
    assert data["acceptance_rate_previous"] == [100.0, None]
    assert "李敏" not in json.dumps(data, ensure_ascii=False)  # no judge in the chart


def test_each_count_opens_the_cases_behind_it(client, court_leader, court_march: CourtMarch):
    client.force_login(court_leader)
    html = unescape(client.get(reverse("analytics:court"), MARCH).content.decode())
    carried = "/cases/?litigation_only=1&filed_to=2026-02-28&open_on=2026-03-01"
    assert f'href="{carried}">6</a>' in html
    listed = client.get(carried).content.decode()
    for letter in "AFGHIJ":
        assert court_march.cases[letter].case_number in listed
    for letter in "BCDE":
        assert court_march.cases[letter].case_number not in listed


def test_each_rate_and_bar_opens_the_cases_it_is_taken_over(
    client, court_leader, court_march: CourtMarch
):
    """结案率 and 平均审理天数: the closed cases; 一审服判息诉率: the first-instance closed cases;
    上诉率 and 改判发回率: their numerators; each bar of the chart: its division's cases."""
    client.force_login(court_leader)
    response = client.get(reverse("analytics:court"), MARCH)
    lines = {line.key: line for line in response.context["lines"]}
    closed = "litigation_only=1&closed_from=2026-03-01&closed_to=2026-03-31&filed_to=2026-03-31"
    assert lines["closure_rate"].link == closed == lines["average_days_to_close"].link
    assert lines["acceptance_rate"].link == f"{closed}&first_instance=1"
    assert lines["appeal_rate"].link == f"{closed}&first_instance=1&appealed=1"
    assert lines["reversal_rate"].link.endswith("&appealed=1&result=reversed_or_remanded")
    assert lines["closure_rate"].previous_link.startswith("litigation_only=1&closed_from=2025-03")
    html = unescape(response.content.decode())
    assert f'href="/cases/?{closed}">72.73%</a>' in html
    listed = client.get(f"/cases/?{lines['acceptance_rate'].link}").content.decode()
    for letter in "ADFIJNO":  # the seven first-instance cases closed in March
        assert court_march.cases[letter].case_number in listed
    data = chart_data(response)
    civil = court_march.cases["A"].division_id
    assert data["links"]["closure_rate"][0] == f"division={civil}&{closed}"
    assert 'data-list-url="/cases/"' in html


def test_division_head_reads_their_division(client, division_head, court_march: CourtMarch):
    client.force_login(division_head)
    response = client.get(reverse("analytics:court"), MARCH)
    assert response.status_code == 200
    assert chart_data(response)["labels"] == ["民事审判庭"]
    assert "刑事审判庭" not in response.content.decode()
    refused = client.get(
        reverse("analytics:court"), {**MARCH, "division": court_march.criminal_division.pk}
    )
    assert refused.status_code == 422  # not among the divisions they may choose
    assert "选择一个有效的选项" in refused.content.decode()
    assert "figures" not in refused.context


def test_the_default_and_the_presets(client, court_leader, court_march: CourtMarch):
    client.force_login(court_leader)
    with time_machine.travel(datetime(2026, 5, 20, 1, 0, tzinfo=ZoneInfo("Asia/Shanghai"))):
        default = client.get(reverse("analytics:court"))
        quarter = client.get(reverse("analytics:court"), {"preset": "last_quarter"})
    assert default.context["figures"].period.label == "2026-01-01 至 2026-05-20"
    assert 'value="2026-05-20"' in default.content.decode()
    assert quarter.context["figures"].period.label == "2026-01-01 至 2026-03-31"


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start": "2026-03-31", "end": "2026-03-01"}, "结束日期不能早于开始日期"),
        ({"start": "2026-13-01", "end": "2026-03-01"}, "日期格式应为"),
        ({"start": "2020-01-01", "end": "2026-03-01"}, "不能超过 5 年"),
        ({"start": "2026-03-01"}, "请同时填写"),
        ({"start": "1899-01-01", "end": "1899-02-01"}, "日期应在"),
        ({"preset": "decade"}, "选择一个有效的选项"),
        ({**MARCH, "type": "民出"}, "选择一个有效的选项"),
        ({**MARCH, "judge": "9" * 5000}, "选择一个有效的选项"),
    ],
)
def test_bad_input_gets_a_chinese_message(
    client, court_leader, court_march: CourtMarch, params, message
):
    client.force_login(court_leader)
    response = client.get(reverse("analytics:court"), params)
    assert response.status_code == 422
    assert message in response.content.decode()


@pytest.mark.parametrize("persona", ["receptionist", "judge", "city_officer", "administrator"])
def test_others_are_refused(client, request, persona, court_march: CourtMarch):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("analytics:court"), MARCH)
    assert response.status_code == 403
    assert "院领导和庭长" in response.content.decode()


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("analytics:court"), MARCH)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_the_page_queries_are_bounded(
    client, court_leader, court_march: CourtMarch, django_assert_max_num_queries
):
    client.force_login(court_leader)
    client.get(reverse("analytics:court"), MARCH)  # warm the session and content types
    with django_assert_max_num_queries(14):
        assert client.get(reverse("analytics:court"), MARCH).status_code == 200


@pytest.mark.parametrize(
    ("persona", "shown"),
    [("court_leader", True), ("division_head", True), ("judge", False), ("city_officer", False)],
)
def test_navigation_entry(client, request, persona, shown):
    client.force_login(request.getfixturevalue(persona))
    html = client.get(reverse("home")).content.decode()
    assert (f'href="{reverse("analytics:court")}"' in html) is shown
