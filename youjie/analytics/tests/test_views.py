"""The dashboard page and its export: scope, aggregates only, bad input, bounded queries."""

from __future__ import annotations

import json
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db
MARCH = {"start": "2025-03-01", "end": "2025-03-31"}


@pytest.fixture(autouse=True)
def _no_otp(settings):
    settings.YOUJIE_OTP_ENFORCED = False


def chart_data(response):
    html = response.content.decode()
    start = html.index('<script id="desk-figures" type="application/json">')
    body = html[start:].split(">", 1)[1].split("</script>", 1)[0]
    return json.loads(body)


def test_court_leader_sees_figures_tables_and_chart_data(client, court_leader, desk_year):
    client.force_login(court_leader)
    response = client.get(reverse("analytics:desk"), MARCH)
    assert response.status_code == 200
    html = response.content.decode()
    assert "按期回音率" in html and "60.0%" in html and "-40.0个百分点" in html
    assert "-26.7个百分点" in html and "+133.3%" in html
    assert "口径说明" in html
    assert "<script>" not in html  # CSP: data in json_script, drawing in a static file
    assert 'src="/static/analytics/desk.js"' in html
    data = chart_data(response)
    assert data["charts"]["division"]["labels"] == ["民事审判庭", "执行局"]
    assert data["charts"]["division"]["received"] == [6, 1]
    # Phone: r1 and r7 responded on time; r6 (merged) and r8 (paused) are not counted.
    assert data["charts"]["channel"]["labels"][0] == "服务专线来电"
    assert data["charts"]["channel"]["response_rate"][0] == 100.0
    # r1 and r5 answered on time; r7 answered by its supervision deadline but supervised late.
    assert data["charts"]["channel"]["completion_rate"][0] == 66.7
    assert "assignee" not in data["charts"]  # judges get a table sorted by name, no bar chart


def test_default_period_is_this_month(client, court_leader, desk_year):
    client.force_login(court_leader)
    response = client.get(reverse("analytics:desk"))
    assert response.status_code == 200
    figures = response.context["figures"]
    assert figures.period_label.endswith(response.context["form"].today.strftime("%Y-%m-%d"))
    assert figures.period_label.startswith(response.context["form"].today.strftime("%Y-%m-01"))


@pytest.mark.parametrize("preset", ["month", "quarter", "year"])
def test_presets(client, court_leader, desk_year, preset):
    client.force_login(court_leader)
    response = client.get(reverse("analytics:desk"), {"preset": preset})
    assert response.status_code == 200
    today = response.context["form"].today
    start = {"month": today.replace(day=1), "year": today.replace(month=1, day=1)}.get(
        preset, today.replace(month=3 * ((today.month - 1) // 3) + 1, day=1)
    )
    assert response.context["figures"].period_label == f"{start:%Y-%m-%d} 至 {today:%Y-%m-%d}"


def test_division_head_page_holds_only_the_division(client, division_head, desk_year):
    client.force_login(division_head)
    response = client.get(reverse("analytics:desk"), MARCH)
    assert response.status_code == 200
    assert "执行局" not in response.content.decode()
    assert chart_data(response)["charts"]["division"]["labels"] == ["民事审判庭"]


def test_city_officer_sees_aggregates_but_no_request_content(client, city_officer, desk_year):
    client.force_login(city_officer)
    response = client.get(reverse("analytics:desk"), MARCH)
    assert response.status_code == 200
    html = response.content.decode()
    assert "全市各法院（仅统计数字）" in html
    assert response.context["figures"].total.current.received == 7
    for service_request in desk_year.requests.values():
        assert service_request.title not in html
        assert service_request.number not in html
        assert service_request.content not in html
    assert "张三" not in html  # no requester


@pytest.mark.parametrize("persona", ["county_officer", "administrator"])
def test_others_are_refused(client, request, desk_year, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("analytics:desk"), MARCH).status_code == 403
    assert client.get(reverse("analytics:desk_export"), MARCH).status_code == 403


def test_anonymous_is_sent_to_login(client, desk_year):
    for name in ("analytics:desk", "analytics:desk_export"):
        response = client.get(reverse(name), MARCH)
        assert response.status_code == 302
        assert "/accounts/login" in response["Location"] or "login" in response["Location"]


def test_post_is_not_allowed(client, court_leader, desk_year):
    client.force_login(court_leader)
    assert client.post(reverse("analytics:desk"), MARCH).status_code == 405


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start": "2025-03-31", "end": "2025-03-01"}, "开始日期不能晚于结束日期"),
        ({"start": "2025-13-01", "end": "2025-03-01"}, "日期格式应为"),
        ({"start": "2020-01-01", "end": "2025-03-01"}, "不能超过三年"),
        ({"start": "2025-03-01"}, "请同时填写"),
        ({"preset": "decade"}, "选择一个有效的选项"),
        ({"start": "1899-01-01", "end": "1899-02-01"}, "日期应在"),
        ({"start": "x" * 5000, "end": "2025-03-01"}, "日期格式应为"),
    ],
)
def test_bad_periods_get_a_chinese_message(client, court_leader, desk_year, params, message):
    client.force_login(court_leader)
    response = client.get(reverse("analytics:desk"), params)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert "figures" not in response.context
    assert client.get(reverse("analytics:desk_export"), params).status_code == 422


def test_page_queries_are_bounded(client, court_leader, desk_year, django_assert_max_num_queries):
    client.force_login(court_leader)
    client.get(reverse("analytics:desk"), MARCH)  # warm caches (content types, session)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("analytics:desk"), MARCH)
    assert response.status_code == 200


def _workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "attachment" in response["Content-Disposition"]
    return load_workbook(BytesIO(response.content), read_only=True)


def test_export_has_the_breakdown_rows(client, court_leader, desk_year):
    client.force_login(court_leader)
    book = _workbook(client.get(reverse("analytics:desk_export"), MARCH))
    assert book.sheetnames == ["合计", "按庭室", "按承办人", "按渠道", "按事项类型", "口径说明"]
    divisions = list(book["按庭室"].iter_rows(values_only=True))
    assert divisions[2][:4] == ("名称", "受理量", "去年同期受理量", "受理量变化")
    assert [row[0] for row in divisions[3:]] == ["民事审判庭", "执行局"]
    civil = divisions[3]
    assert civil[1:4] == (6, 3, "+100.0%")
    judges = [row[0] for row in list(book["按承办人"].iter_rows(values_only=True))[3:]]
    assert judges == ["李敏", "王强", "未指定承办人"]
    summary = list(book["合计"].iter_rows(values_only=True))
    total = summary[3]
    assert total[0] == "合计" and total[1] == 7 and total[4] == 60.0 and total[6] == "-40.0个百分点"


def test_export_states_title_and_filters_freezes_header_and_sets_widths(
    client, court_leader, desk_year
):
    client.force_login(court_leader)
    response = client.get(reverse("analytics:desk_export"), MARCH)
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))  # not read-only: panes and widths
    for name in ["合计", "按庭室", "按承办人", "按渠道", "按事项类型"]:
        sheet = book[name]
        assert sheet["A1"].value == f"诉事速办统计——{name}"
        assert sheet["A1"].font.bold
        filters = sheet["A2"].value
        assert "统计范围：" in filters and "统计期间：2025-03-01" in filters
        assert "去年同期：" in filters
        assert sheet["A3"].value == "名称" and sheet["A3"].font.bold
        assert sheet.freeze_panes == "B4"  # header row and name column stay in view
        assert sheet.column_dimensions["A"].width >= 20
        assert sheet.column_dimensions["B"].width >= 12
    assert book["口径说明"].column_dimensions["A"].width >= 80


@pytest.mark.parametrize("name", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1"])
def test_export_writes_formula_like_names_as_text(client, court_leader, desk_year, name):
    from youjie.orgs.models import OrgUnit

    division = desk_year.requests["r1"].division
    OrgUnit.objects.filter(pk=division.pk).update(name=name)
    client.force_login(court_leader)
    response = client.get(reverse("analytics:desk_export"), MARCH)
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    cells = [row[0] for row in book["按庭室"].iter_rows() if row[0].value == name]
    assert len(cells) == 1
    assert cells[0].data_type == "s"  # stored as a string, never as a formula
    assert cells[0].quotePrefix  # and kept text when edited in Excel/WPS


def test_export_carries_the_same_scope(client, division_head, desk_year):
    client.force_login(division_head)
    book = _workbook(client.get(reverse("analytics:desk_export"), MARCH))
    divisions = list(book["按庭室"].iter_rows(values_only=True))
    assert [row[0] for row in divisions[3:]] == ["民事审判庭"]
    assert divisions[3][1] == 6


def test_city_officer_export_holds_no_request_content(client, city_officer, desk_year):
    client.force_login(city_officer)
    response = client.get(reverse("analytics:desk_export"), MARCH)
    book = _workbook(response)
    cells = {
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    }
    for service_request in desk_year.requests.values():
        assert service_request.title not in cells
        assert service_request.number not in cells


def test_a_preset_shows_its_dates_in_the_inputs(client, court_leader, desk_year):
    client.force_login(court_leader)
    response = client.get(reverse("analytics:desk"), {"preset": "year"})
    today = response.context["form"].today
    html = response.content.decode()
    assert f'value="{today:%Y}-01-01"' in html
    assert f'value="{today:%Y-%m-%d}"' in html
