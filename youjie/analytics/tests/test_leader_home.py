"""The leader's home page: the court's figures, overdue and supervised items (issue 12.18)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from youjie.desk.models import ServiceRequest
from youjie.desk.selectors import overdue_list, supervised_list

pytestmark = pytest.mark.django_db
IN_MARCH = datetime(2025, 3, 31, 17, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def _no_otp(settings):
    settings.YOUJIE_OTP_ENFORCED = False


def test_court_leader_home_shows_the_courts_figures_overdue_and_supervised(
    client, court_leader, desk_year
):
    client.force_login(court_leader)
    with time_machine.travel(IN_MARCH, tick=False):
        waiting = overdue_list(user=court_leader).first()
        assert waiting is not None
        ServiceRequest.objects.filter(pk=waiting.pk).update(is_supervised=True)
        response = client.get(reverse("home"))
        overdue = overdue_list(user=court_leader).count()
        supervised = supervised_list(user=court_leader).count()
    assert response.status_code == 200
    html = response.content.decode()
    assert "本院诉事速办概况" in html
    assert overdue > 0 and supervised > 0
    assert f'<a href="{reverse("desk:overdue")}">超期 <strong>{overdue}</strong> 件</a>' in html
    assert (
        f'<a href="{reverse("desk:supervised")}">督办中 <strong>{supervised}</strong> 件</a>'
        in html
    )
    # The month's figures, as on the figures page for 2025-03 (7 received, 60.0% on time).
    assert "本月受理 <strong>7</strong> 件" in html
    assert "按期回音率 <strong>60.0%</strong>" in html


def test_a_judge_home_has_no_court_overview(client, judge, desk_year):
    client.force_login(judge)
    html = client.get(reverse("home")).content.decode()
    assert "本院诉事速办概况" not in html
