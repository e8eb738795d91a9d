"""The judge sees the requester's full number to call back, audited (issue 12, item 14)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from youjie.core.models import AuditEntry
from youjie.desk import services

from .test_services import intake

pytestmark = pytest.mark.django_db
CASE = "（2026）内0206民初123号"


@pytest.fixture(autouse=True)
def _no_otp(settings):
    settings.YOUJIE_OTP_ENFORCED = False


def test_assignee_reveals_the_full_number_with_a_tel_link_and_it_is_audited(
    client, receptionist, judge, civil_case, matter_types
):
    request = intake(receptionist, related_case_number=CASE, route=True)
    services.service_request_accept(actor=judge, service_request=request)
    client.force_login(judge)
    page = client.get(reverse("desk:detail", args=[request.pk])).content.decode()
    assert reverse("desk:reveal_mobile", args=[request.pk]) in page
    assert "13900001111" not in page  # masked until asked for
    response = client.post(reverse("desk:reveal_mobile", args=[request.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="tel:13900001111"' in html and "已记录查看" in html
    entry = AuditEntry.objects.get(action="view_full_phone", actor=judge)
    assert entry.subject_id == str(request.pk) and entry.fields == ["requester_mobile"]


def test_reveal_needs_a_post_and_a_role_on_the_request(
    client, receptionist, judge, other_judge, county_officer, civil_case, matter_types
):
    request = intake(receptionist, related_case_number=CASE, route=True)
    services.service_request_accept(actor=judge, service_request=request)
    url = reverse("desk:reveal_mobile", args=[request.pk])
    client.force_login(judge)
    assert client.get(url).status_code == 405
    client.force_login(county_officer)
    assert client.post(url).status_code == 404  # outside the scope: as if it did not exist
    assert not AuditEntry.objects.filter(action="view_full_phone").exists()


def test_a_judge_not_on_the_request_gets_no_button_and_a_refusal(
    client, receptionist, judge, other_judge, civil_case, matter_types
):
    request = intake(receptionist, related_case_number=CASE, route=True)
    services.service_request_accept(actor=judge, service_request=request)
    client.force_login(other_judge)
    detail = client.get(reverse("desk:detail", args=[request.pk]))
    if detail.status_code == 200:
        assert reverse("desk:reveal_mobile", args=[request.pk]) not in detail.content.decode()
    response = client.post(reverse("desk:reveal_mobile", args=[request.pk]))
    assert response.status_code in (403, 404)
    assert not AuditEntry.objects.filter(action="view_full_phone").exists()
