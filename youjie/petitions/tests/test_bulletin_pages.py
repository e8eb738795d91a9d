"""The bulletin pages: the city office issues the day's bulletin from the page, every office
officer reads it (its figures as issued, its .docx), a future date is refused in Chinese, a
county officer cannot issue one; the list in a fixed number of queries."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from youjie.petitions.models import DailyBulletin

from .conftest import SHANGHAI, make_matter

pytestmark = pytest.mark.django_db

EVENING = datetime(2026, 11, 23, 18, 30, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _settings(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.YOUJIE_OTP_ENFORCED = False


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_city_office_issues_and_every_office_reads(
    city_officer,
    county_officer,
    lead_official,
    department_liaison,
    django_assert_max_num_queries,
):
    with time_machine.travel(EVENING, tick=False):
        make_matter(city_officer, region_code="150205")
        city = signed_in(city_officer)
        assert "印发通报" in city.get(reverse("petitions:bulletin_list")).content.decode()
        issued = city.post(reverse("petitions:bulletin_generate"), {"day": ""})
        bulletin = DailyBulletin.objects.get()
        assert issued.status_code == 302
        assert issued["Location"] == reverse("petitions:bulletin_detail", args=[bulletin.pk])
        county = signed_in(county_officer)
        page = county.get(reverse("petitions:bulletin_detail", args=[bulletin.pk])).content.decode()
        assert "包政法通〔2026〕1号" in page and "石拐区" in page and "下载通报" in page
        listing = county.get(reverse("petitions:bulletin_list")).content.decode()
        assert "包政法通〔2026〕1号" in listing and "印发通报" not in listing
        refused = county.post(reverse("petitions:bulletin_generate"), {"day": ""})
        assert refused.status_code == 403
        future = city.post(
            reverse("petitions:bulletin_generate"), {"day": "2026-11-24"}, follow=True
        )
        assert "不能生成未来日期（2026年11月24日）的通报" in future.content.decode()
        with django_assert_max_num_queries(10):
            city.get(reverse("petitions:bulletin_list"))
        # Every political-legal unit's staff read it; a department's liaison has no such page.
        lead = signed_in(lead_official)
        assert lead.get(reverse("petitions:bulletin_detail", args=[bulletin.pk])).status_code == 200
        liaison = signed_in(department_liaison)
        assert liaison.get(reverse("petitions:bulletin_list")).status_code == 403
    assert DailyBulletin.objects.count() == 1
