"""The mediation pages: the mediator's list with due dates (overdue in red), the mediation page
(parties masked, clocks with their articles, sessions, timeline, the forms the user may use),
委派调解 from a filing, and the actions posted from the page — refusals redrawn with their
message and nothing written."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from youjie.core.models import Event
from youjie.filings.choices import FilingStatus
from youjie.mediation.choices import MediationStatus
from youjie.mediation.models import Mediation, MediationSession
from youjie.mediation.tests.support import (
    DEFENDANT_MOBILE,
    SUBMITTER_MOBILE,
    accepted,
    delegate,
    make_filing,
    unit,
)
from youjie.notifications.models import Notification

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_delegating_from_the_filing_page(receptionist, mediator):
    filing = make_filing()
    client = signed_in(receptionist)
    # The filing's page offers it to the competent court's staff (youjie.core.links).
    filing_page = client.get(f"/filings/{filing.pk}/").content.decode()
    assert f'href="/mediation/delegate/{filing.pk}/"' in filing_page and "委派调解" in filing_page
    page = client.get(f"/mediation/delegate/{filing.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "白云鄂博矿区人民调解委员会" in html and "高秀兰" in html
    key = page.context["form"].initial["submission_key"]
    data = {
        "submission_key": key,
        "mode": "delegated",
        "organisation": str(unit("150206-TJW").pk),
        "mediator": str(mediator.pk),
        "note": "",
    }
    response = client.post(f"/mediation/delegate/{filing.pk}/", data)
    mediation = Mediation.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/mediation/{mediation.pk}/"
    again = client.post(f"/mediation/delegate/{filing.pk}/", data)  # the same page twice
    assert again.status_code == 302 and Mediation.objects.count() == 1
    filing.refresh_from_db()
    assert filing.status == FilingStatus.MEDIATION
    # Delegated: the filing's page links to the mediation instead; a mediator, who may not open
    # the filing, is not offered it anywhere else.
    filing_page = client.get(f"/filings/{filing.pk}/").content.decode()
    assert f'href="/mediation/{mediation.pk}/"' in filing_page
    assert f"/mediation/delegate/{filing.pk}/" not in filing_page


def test_a_filing_without_consent_shows_why_and_a_forged_post_is_refused(receptionist, mediator):
    filing = make_filing(consent=False)
    client = signed_in(receptionist)
    assert (
        "当事人未同意诉前调解" in client.get(f"/mediation/delegate/{filing.pk}/").content.decode()
    )
    response = client.post(
        f"/mediation/delegate/{filing.pk}/",
        {
            "submission_key": "k1",
            "mode": "delegated",
            "organisation": str(unit("150206-TJW").pk),
            "mediator": str(mediator.pk),
        },
    )
    assert response.status_code == 422
    assert "同意" in response.content.decode()
    assert not Mediation.objects.exists()


def test_another_courts_staff_and_mediators_cannot_reach_the_delegate_page(
    qingshan_receptionist, mediator
):
    filing = make_filing()
    for user in (qingshan_receptionist, mediator):
        assert signed_in(user).get(f"/mediation/delegate/{filing.pk}/").status_code == 404


def test_the_mediators_list_shows_due_dates_and_overdue_in_red(receptionist, mediator, frozen):
    late = accepted(receptionist, mediator, serial=1)
    frozen.shift(timedelta(days=20))
    fresh = accepted(receptionist, mediator, serial=2)
    frozen.shift(timedelta(days=15))  # late's due date (10-29) has passed, fresh's has not
    page = signed_in(mediator).get("/mediation/")
    rows = {row["mediation"].pk: row["overdue"] for row in page.context["rows"]}
    assert rows == {late.pk: True, fresh.pk: False}
    html = page.content.decode()
    assert "2026-10-29 已超期" in html and 'class="badge red"' in html
    overdue_only = signed_in(mediator).get("/mediation/?overdue=on")
    assert [row["mediation"] for row in overdue_only.context["rows"]] == [late]


def test_the_list_reads_a_bounded_number_of_statements(
    receptionist, mediator, django_assert_max_num_queries
):
    for serial in range(1, 6):
        delegate(receptionist, mediator, serial=serial)
    client = signed_in(mediator)
    # The session, the user, their roles, and one statement for the rows with their filings,
    # courts, organisations and mediators.
    with django_assert_max_num_queries(6):
        assert len(client.get("/mediation/").context["rows"]) == 5


def test_the_mediation_page_masks_the_parties_and_cites_the_rules(receptionist, mediator):
    mediation = accepted(receptionist, mediator)
    html = signed_in(mediator).get(f"/mediation/{mediation.pk}/").content.decode()
    assert SUBMITTER_MOBILE not in html and DEFENDANT_MOBILE not in html
    assert "139****1234" in html and "137****5678" in html
    assert "人民法院在线调解规则第二十四条" in html
    assert "调解员确认接受" in html
    # The mediator's forms; not the court's.
    assert 'id="action-schedule"' in html and 'id="action-agree"' in html
    assert 'id="action-confirmation_decide"' not in html
    court_html = signed_in(receptionist).get(f"/mediation/{mediation.pk}/").content.decode()
    assert 'id="action-fail"' in court_html and 'id="action-schedule"' not in court_html


def test_accept_schedule_and_fail_through_the_page(receptionist, mediator):
    mediation = delegate(receptionist, mediator)
    client = signed_in(mediator)
    url = f"/mediation/{mediation.pk}/actions/"
    assert client.post(url + "accept/", {"expected_status": "assigned"}).status_code == 302
    response = client.post(
        url + "schedule/",
        {
            "expected_status": "accepted",
            "submission_key": "s-1",
            "kind": "online",
            "day": "2026-09-30",
            "at": "14:30",
            "video_url": "https://meeting.tencent.com/dm/AbCd1234",
        },
    )
    assert response.status_code == 302
    session = MediationSession.objects.get()
    assert session.scheduled_at.isoformat() == "2026-09-30T06:30:00+00:00"
    assert Notification.objects.filter(dedupe_key__contains="session_scheduled").count() == 2
    response = client.post(url + "fail/", {"expected_status": "accepted", "reason": "被告拒绝调解"})
    assert response.status_code == 302
    mediation.refresh_from_db()
    assert mediation.status == MediationStatus.FAILED
    assert mediation.filing.status == FilingStatus.REVIEW
    page = client.get(f"/mediation/{mediation.pk}/").content.decode()
    assert "调解不成，转入立案审查" in page and "无需重新提交材料" in page


def test_a_stale_page_is_refused(receptionist, mediator):
    mediation = accepted(receptionist, mediator)
    events = Event.objects.count()
    response = signed_in(mediator).post(
        f"/mediation/{mediation.pk}/actions/accept/", {"expected_status": "assigned"}
    )
    assert response.status_code == 422
    assert "页面内容已过期" in response.content.decode()
    assert Event.objects.count() == events


def test_recording_a_session_from_its_own_form(receptionist, mediator, frozen):
    mediation = accepted(receptionist, mediator)
    client = signed_in(mediator)
    client.post(
        f"/mediation/{mediation.pk}/actions/schedule/",
        {
            "expected_status": "accepted",
            "kind": "in_person",
            "day": "2026-09-30",
            "at": "09:00",
            "place": "调解室",
        },
    )
    session = MediationSession.objects.get()
    frozen.shift(timedelta(days=1, hours=3))
    client = signed_in(mediator)  # a new day, a new sign-in (sessions expire)
    response = client.post(
        f"/mediation/{mediation.pk}/actions/record/",
        {
            "expected_status": "accepted",
            "session": str(session.pk),
            "held": "held",
            "notes": "双方到场，分歧较大",
        },
    )
    assert response.status_code == 302 and response["Location"] == f"/mediation/{mediation.pk}/"
    session.refresh_from_db()
    assert session.status == "held" and session.notes == "双方到场，分歧较大"
