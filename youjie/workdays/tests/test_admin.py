"""The Django admin keeps the calendar's rules: dates inside the year, timeline, fresh cache."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from youjie.core.models import Event
from youjie.orgs.models import User
from youjie.workdays.calendar import is_workday, year_status
from youjie.workdays.choices import YearStatus
from youjie.workdays.models import CalendarYear
from youjie.workdays.panels import calendar_panel

pytestmark = pytest.mark.django_db


def inline_data(*rows: tuple[str, str, str]) -> dict[str, str]:
    data = {
        "days-TOTAL_FORMS": str(len(rows)),
        "days-INITIAL_FORMS": "0",
        "days-MIN_NUM_FORMS": "0",
        "days-MAX_NUM_FORMS": "1000",
    }
    for index, (day, kind, name) in enumerate(rows):
        data |= {f"days-{index}-date": day, f"days-{index}-kind": kind, f"days-{index}-name": name}
    return data


@pytest.fixture
def superuser(settings) -> User:
    settings.YOUJIE_OTP_ENFORCED = False
    return User.objects.create_superuser(username="root", password="pw-root")


def test_adding_a_year_in_the_admin(client, superuser):
    client.force_login(superuser)
    url = reverse("admin:workdays_calendaryear_add")
    assert client.get(url).status_code == 200
    assert year_status(2028) == YearStatus.WEEKENDS_ONLY  # cached before the change

    data = {"year": "2028", "source": "测试"} | inline_data(
        ("2028-01-03", "holiday", "元旦"), ("2028-01-08", "workday", "元旦")
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert year_status(2028) == YearStatus.ADMIN
    assert not is_workday(date(2028, 1, 3))
    assert is_workday(date(2028, 1, 8))
    assert CalendarYear.objects.get().entered_by == superuser
    assert Event.objects.filter(subject_id="2028", verb="calendar_year.created").exists()


def test_admin_refuses_dates_outside_the_year(client, superuser):
    client.force_login(superuser)
    data = {"year": "2028", "source": ""} | inline_data(("2027-12-31", "holiday", ""))
    response = client.post(reverse("admin:workdays_calendaryear_add"), data)
    assert response.status_code == 200
    assert "不在2028年内" in response.content.decode()
    assert not CalendarYear.objects.exists()


def test_the_home_panel(administrator, receptionist):
    panel = calendar_panel(receptionist)
    assert panel is not None and panel.url == reverse("workdays:index")
    admin_panel = calendar_panel(administrator)
    next_year = timezone.localdate().year + 1
    missing = year_status(next_year) == YearStatus.WEEKENDS_ONLY
    assert admin_panel is not None and ("尚未录入" in admin_panel.text) == missing


def test_the_year_list_uses_few_queries(client, receptionist, django_assert_num_queries):
    client.force_login(receptionist)
    client.get(reverse("workdays:index"))  # warm the calendar cache
    # session, user, user roles, administrator-entered years
    with django_assert_num_queries(4):
        response = client.get(reverse("workdays:index"))
    assert response.status_code == 200
