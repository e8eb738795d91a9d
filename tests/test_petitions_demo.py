"""The 信访化解 demo (youjie/demo/services.py ``seed_petitions``): 26 campaign matters across the 9
districts and banners at every stage, a 回头看 that reopened two, and each demo role sees real
matters on its pages; loading it again changes nothing."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from youjie.core.models import Event
from youjie.demo.petitionsdata import REGIONS
from youjie.demo.services import (
    SeedReport,
    seed_organisations,
    seed_petitions,
    seed_users_and_lines,
)
from youjie.orgs.models import User
from youjie.people.models import Person
from youjie.petitions import selectors
from youjie.petitions.models import Campaign, CampaignMatter, PetitionMatter

pytestmark = pytest.mark.django_db
MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def demo(settings) -> None:
    settings.YOUJIE_OTP_ENFORCED = False
    with time_machine.travel(MONDAY, tick=False):
        report = SeedReport()
        seed_organisations(report=report)
        seed_users_and_lines(report=report)
        seed_petitions(report=report)
    assert report.created["petition_matters"] == 28


def test_the_campaign_covers_26_matters_of_the_9_counties_at_every_stage(demo):
    hundred_days = Campaign.objects.get(kind="hundred_days")
    matters = PetitionMatter.objects.filter(campaign_matters__campaign=hundred_days)
    assert matters.count() == 26
    assert set(matters.values_list("region_id", flat=True)) == set(REGIONS)
    stages = Counter(matters.values_list("status", flat=True))
    assert stages == {"in_progress": 11, "resolved": 6, "settled": 8, "terminated": 1}
    assert matters.filter(reopened_count=1).count() == 2  # 回头看 reopened them
    assert (
        matters.filter(labels__code="bone").exists()
        and matters.filter(labels__code="nail").exists()
    )
    assert not matters.filter(lead_official__isnull=True).exists()
    assert all(m.task_force_members.filter(role="head").exists() for m in matters)
    assert PetitionMatter.objects.filter(status="registered").count() == 2
    look_back = Campaign.objects.get(kind="look_back")
    assert CampaignMatter.objects.filter(campaign=look_back, status="reopened").count() == 2
    # The hundred days' 回头看 confirmed the matters settled early stable, each with its event;
    # the ones settled lately are still in their follow-up period.
    stable = CampaignMatter.objects.filter(campaign=hundred_days, status="stable")
    assert stable.exists() and all(row.confirmed_on for row in stable)
    assert CampaignMatter.objects.filter(
        campaign=hundred_days, status="pending", matter__status="settled"
    ).exists()
    assert Event.objects.filter(verb="follow_up_confirmed_stable").count() == 2 * stable.count()
    # Written through the services: every matter has its registration event.
    assert Event.objects.filter(verb="registered").count() == 28


def test_each_demo_role_sees_real_matters(demo):
    def visible(username: str) -> int:
        return selectors.matter_list(user=User.objects.get(username=username)).count()

    assert visible("city_officer") == 28
    county = User.objects.get(username="county_officer")
    assert set(selectors.matter_list(user=county).values_list("region_id", flat=True)) == {"150205"}
    assert visible("county_officer") == 4
    assert visible("lead") >= 4 and visible("handler") >= 4
    assert visible("liaison") == 0
    for username, text in (
        ("city_officer", "已化解 14/25 件"),
        ("county_officer", "已化解 1/3 件"),
        ("lead", "我的包案事项"),
        ("handler", "我承办的信访事项"),
        ("liaison", "协调联动"),
    ):
        client = Client()
        client.force_login(User.objects.get(username=username))
        with time_machine.travel(MONDAY, tick=False):
            html = client.get(reverse("home")).content.decode()
        assert text in html, username


def test_loading_the_demo_again_changes_nothing(demo):
    counts = (PetitionMatter.objects.count(), Person.objects.count(), Event.objects.count())
    report = SeedReport()
    with time_machine.travel(MONDAY, tick=False):
        seed_petitions(report=report)
    assert report.created == {}
    assert (PetitionMatter.objects.count(), Person.objects.count(), Event.objects.count()) == counts
