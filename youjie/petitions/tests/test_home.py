"""Each role's home panel and work page (工作台), the campaign pages, and drilling down from a
figure to the list behind it."""

# ruff: noqa: F811  (the shared fixtures are imported from .support and used by name)

from __future__ import annotations

import json
import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from youjie.orgs.models import User
from youjie.petitions import services
from youjie.petitions.models import Campaign, CampaignMatter

from .conftest import assign, make_matter
from .support import World, no_otp, world  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen", "no_otp")]


def page(user: User, url: str) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def links(html: str, label: str) -> list[str]:
    """The targets of the figures labelled ``label`` (panel and work page figures)."""
    pattern = rf'<a href="([^"]+)">(?:<span class="muted">)?{label}'
    return [unescape(url) for url in re.findall(pattern, html)]


def listed(user: User, url: str, world: World) -> set[str]:
    html = page(user, url)
    return {m.number for m in (world.shiguai, world.bayan_obo) if m.number in html}


def test_the_city_officer_home_shows_the_campaign_at_a_glance(city_officer, world):
    html = page(city_officer, reverse("home"))
    assert world.campaign.name in html
    assert "已化解 <strong>0/2</strong> 件" in html
    # "尚未见面" drills down to the list of those matters.
    (not_met,) = links(html, "尚未见面")
    assert listed(city_officer, not_met, world) == {world.shiguai.number, world.bayan_obo.number}


def test_the_county_officer_home_counts_their_region_only(county_officer, world):
    html = page(county_officer, reverse("home"))
    assert "已化解 <strong>0/1</strong> 件" in html
    work = page(county_officer, reverse("petitions:dashboard"))
    assert "石拐区" in work and "白云鄂博矿区" not in work
    (region_link,) = re.findall(r'<a href="([^"]+)">石拐区</a>', work)
    assert listed(county_officer, unescape(region_link), world) == {world.shiguai.number}


def test_the_lead_official_home_lists_their_matters_and_who_is_not_yet_met(lead_official, world):
    html = page(lead_official, reverse("home"))
    assert "我的包案事项" in html
    assert "尚有 1 名信访人未见面" in html
    work = page(lead_official, reverse("petitions:dashboard"))
    assert world.bayan_obo.number in work and world.shiguai.number not in work
    assert 'id="petitioners-not-met">1<' in work
    (led,) = links(work, "事项总数")[-1:]
    assert listed(lead_official, led, world) == {world.bayan_obo.number}


def test_the_handler_home_lists_the_matters_they_handle(case_handler, world):
    html = page(case_handler, reverse("home"))
    assert "我承办的信访事项" in html and "共 1 件" in html
    work = page(case_handler, reverse("petitions:dashboard"))
    assert world.bayan_obo.number in work and world.shiguai.number not in work


def test_the_liaison_home_points_to_coordination(department_liaison, world):
    html = page(department_liaison, reverse("home"))
    assert "协调联动" in html and "暂无待答复的协调请求" in html
    assert f'<a href="{reverse("petitions:coordination")}">待答复 <strong>0</strong> 件</a>' in html
    assert world.shiguai.number not in html
    client = Client()
    client.force_login(department_liaison)
    assert client.get(reverse("petitions:dashboard")).status_code == 403


def test_the_campaign_page_shows_progress_and_the_burn_down_data(
    city_officer, lead_official, world
):
    services.outcome_evidence_add(
        actor=lead_official,
        matter=world.bayan_obo,
        kind="agreement",
        description="执行和解协议",
        dated_on=world.bayan_obo.received_on,
    )
    services.matter_resolve(
        actor=lead_official,
        matter=world.bayan_obo,
        outcome_type="solved",
        summary="执行款已到位",
        resolved_on=world.bayan_obo.received_on,
    )
    html = page(city_officer, reverse("petitions:campaign_detail", args=[world.campaign.pk]))
    assert 'id="campaign-resolved">1<' in html and 'id="campaign-total">2<' in html
    found = re.search(r'id="petitions-chart"[^>]*>(.*?)</script>', html, re.S)
    assert found is not None
    data = json.loads(found.group(1))
    remaining = [value for value in data["burndown"]["remaining"] if value is not None]
    assert remaining[0] == 2 and remaining[-1] == 1  # resolved on 11-02, before today
    assert data["regions"]["labels"] == ["石拐区", "白云鄂博矿区"]
    assert data["regions"]["resolved"] == [0, 1]


def test_a_campaign_is_created_by_the_city_office_and_takes_matters_on(
    city_officer, county_officer, world
):
    client = Client()
    client.force_login(county_officer)
    assert client.get(reverse("petitions:campaign_create")).status_code == 403
    client.force_login(city_officer)
    response = client.post(
        reverse("petitions:campaign_create"),
        {
            "submission_key": "campaign-1",
            "name": "2026年回头看",
            "kind": "look_back",
            "starts_on": "2026-11-23",
            "ends_on": "2027-01-31",
            "follow_up_days": "30",
        },
    )
    assert response.status_code == 302
    campaign = Campaign.objects.get(name="2026年回头看")
    bare = make_matter(city_officer, region_code="150205", title="尚未包案")
    add = reverse("petitions:campaign_add", args=[campaign.pk])
    refused = client.post(add, {"numbers": f"{world.shiguai.number}\n{bare.number}"})
    assert refused.status_code == 422
    assert "尚未明确包案领导和责任单位" in refused.content.decode()
    assert not CampaignMatter.objects.filter(campaign=campaign).exists()
    unknown = client.post(add, {"numbers": "信访〔2026〕999号"})
    assert unknown.status_code == 422 and "不存在或无权查看" in unknown.content.decode()
    added = client.post(add, {"numbers": world.shiguai.number})
    assert added.status_code == 302
    assert CampaignMatter.objects.filter(campaign=campaign).count() == 1
    start = client.post(
        reverse("petitions:campaign_action", args=[campaign.pk, "start"]),
        {"expected_status": "draft"},
    )
    assert start.status_code == 302
    campaign.refresh_from_db()
    assert campaign.status == "active"


def test_the_work_page_figures_are_kept_by_the_background_engine(
    city_officer, lead_official, world
):
    """The office's figures are a snapshot (one row read), shown with 数据截至, and follow a
    new matter at the next minute's recompute — not inside the page's request."""
    from datetime import timedelta

    import time_machine

    from youjie.core import tasks
    from youjie.core.models import FigureSnapshot

    from .conftest import NOW

    url = reverse("petitions:dashboard")
    first = page(city_officer, url)
    assert "统计数字截至 2026-11-23 09:00（每分钟更新）" in first
    assert "已化解 <strong>0</strong> / <strong>2</strong> 件" in first
    kept = FigureSnapshot.objects.get(user=city_officer, kind="petitions.dashboard")
    assert kept.payload["office"]["campaign"]["totals"]["total"] == 2
    added = assign(city_officer, make_matter(city_officer), lead=lead_official)
    services.campaign_add_matters(actor=city_officer, campaign=world.campaign, matters=[added])
    with time_machine.travel(NOW + timedelta(seconds=30), tick=False):
        unchanged = page(city_officer, url)
    assert "已化解 <strong>0</strong> / <strong>2</strong> 件" in unchanged
    with time_machine.travel(NOW + timedelta(minutes=1), tick=False):
        assert tasks.figure_snapshots_task.call_local() == 1
        refreshed = page(city_officer, url)
    assert "已化解 <strong>0</strong> / <strong>3</strong> 件" in refreshed
    assert "统计数字截至 2026-11-23 09:01（每分钟更新）" in refreshed
