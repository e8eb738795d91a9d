"""Reception types an ID number that is valid but implausible (GB 11643's own sample, born in
1880): the caller lookup says to check it, and registering is not refused (issue 12, item 19)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from youjie.desk.models import ServiceRequest
from youjie.desk.tests.test_pages import intake_form

pytestmark = pytest.mark.django_db

SAMPLE_1880 = "440524188001010014"
WARNING = "身份证号中的出生日期为1880年01月01日，早于1900年，请与证件核对"


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_lookup_warns_about_a_birth_long_ago(receptionist, matter_types):
    client = client_for(receptionist)
    html = client.post(
        reverse("desk:lookup"), {"id_number": SAMPLE_1880}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert WARNING in html
    assert "身份证号不完整或校验位不正确" not in html
    plain = client.post(
        reverse("desk:lookup"), {"id_number": "11010519491231002X"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "请与证件核对" not in plain


def test_intake_accepts_the_number_and_repeats_the_warning(receptionist, matter_types):
    client = client_for(receptionist)
    response = client.post(
        reverse("desk:intake"), intake_form(id_number=SAMPLE_1880, key="id1880"), follow=True
    )
    service_request = ServiceRequest.objects.get()
    assert response.redirect_chain[-1][0] == reverse("desk:detail", args=[service_request.pk])
    assert WARNING in response.content.decode()
