from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from youjie.workdays.calendar import is_workday, year_status
from youjie.workdays.choices import YearStatus
from youjie.workdays.models import CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db

FORM_2027 = {
    "source": "国办发明电〔2026〕X号",
    "holidays": "2027-01-01至2027-01-03 元旦\n10月1日至7日 国庆节",
    "workdays": "2027-09-26 国庆节\n10月9日",
}


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    # The OTP middleware is tested in orgs; here administrators go straight to the pages.
    settings.YOUJIE_OTP_ENFORCED = False


def test_anonymous_users_are_sent_to_login(client):
    for url in (
        reverse("workdays:index"),
        reverse("workdays:year", args=[2026]),
        reverse("workdays:year_edit", args=[2027]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    response = client.post(reverse("workdays:year_edit", args=[2027]), FORM_2027)
    assert response.status_code == 302
    assert not CalendarYear.objects.exists()


def test_staff_see_the_calendar_and_the_calculator(client, receptionist):
    client.force_login(receptionist)
    response = client.get(
        reverse("workdays:index"), {"start": "2026-09-25", "days": "15", "unit": "workdays"}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "2026年10月22日" in content
    assert "内置日历" in content
    assert reverse("workdays:year_edit", args=[2027]) not in content

    response = client.get(
        reverse("workdays:index"), {"start": "2030-12-30", "days": "3", "unit": "calendar_days"}
    )
    assert "注意：2030年、2031年节假日安排尚未录入，按周末计算" in response.content.decode()

    response = client.get(reverse("workdays:index"), {"start": "2026-09-25", "days": "-1"})
    assert response.status_code == 200
    assert response.context["result"] is None
    assert "days" in response.context["calculator"].errors

    response = client.get(reverse("workdays:year", args=[2026]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "day-makeup_workday" in content and "国庆节" in content
    assert client.get(reverse("workdays:year", args=[1800])).status_code == 404


def test_non_administrators_cannot_edit(client, receptionist):
    client.force_login(receptionist)
    assert client.get(reverse("workdays:year_edit", args=[2027])).status_code == 403
    response = client.post(reverse("workdays:year_edit", args=[2027]), FORM_2027)
    assert response.status_code == 403
    assert client.post(reverse("workdays:year_delete", args=[2027])).status_code == 403
    assert not CalendarYear.objects.exists()
    assert not CalendarDay.objects.exists()


def test_administrators_enter_and_remove_a_year(client, administrator):
    client.force_login(administrator)
    url = reverse("workdays:year_edit", args=[2027])
    assert client.get(url).status_code == 200

    response = client.post(url, FORM_2027)
    assert response.status_code == 302
    assert response.url == reverse("workdays:year", args=[2027])
    assert year_status(2027) == YearStatus.ADMIN
    assert not is_workday(date(2027, 10, 5))
    assert is_workday(date(2027, 10, 9))
    assert CalendarDay.objects.count() == 3 + 7 + 2
    assert CalendarYear.objects.get().entered_by == administrator

    # The editor is pre-filled with what is in force.
    content = client.get(url).content.decode()
    assert "2027-10-01至2027-10-07 国庆节" in content

    response = client.post(reverse("workdays:year_delete", args=[2027]))
    assert response.status_code == 302
    assert year_status(2027) == YearStatus.WEEKENDS_ONLY


def test_bad_input_is_shown_and_nothing_is_written(client, administrator):
    client.force_login(administrator)
    url = reverse("workdays:year_edit", args=[2027])
    bad = {**FORM_2027, "holidays": "2027-01-01 元旦\n2026-10-01", "workdays": "2027-01-01"}
    response = client.post(url, bad)
    assert response.status_code == 200
    content = response.content.decode()
    assert "第2行：日期 2026-10-01 不在2027年内" in content
    assert not CalendarYear.objects.exists()

    overlap = {**FORM_2027, "workdays": "2027-10-01"}
    response = client.post(url, overlap)
    assert response.status_code == 200
    assert "同时出现在放假和调休上班中" in response.content.decode()
    assert not CalendarYear.objects.exists()

    too_long = {**FORM_2027, "holidays": "2027-01-01\n" * 600}
    response = client.post(url, too_long)
    assert response.status_code == 200
    assert not CalendarYear.objects.exists()
