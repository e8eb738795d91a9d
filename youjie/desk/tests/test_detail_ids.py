"""The request page's forms give their fields ids of their own, so every label focuses its own
box (issue 12, item 14: the action forms all used id_reason, id_body…)."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from django.urls import reverse

from youjie.desk import services

from .test_services import intake

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_otp(settings):
    settings.YOUJIE_OTP_ENFORCED = False


def test_element_ids_are_unique_and_every_label_names_one(
    client, receptionist, judge, civil_case, matter_types
):
    request = intake(receptionist, related_case_number="（2026）内0206民初123号", route=True)
    services.service_request_accept(actor=judge, service_request=request)
    client.force_login(judge)
    html = client.get(reverse("desk:detail", args=[request.pk])).content.decode()
    ids = Counter(re.findall(r'\sid="([^"]+)"', html))
    assert [name for name, count in ids.items() if count > 1] == []
    assert html.count("<form") >= 3  # several action forms on the page
    for target in re.findall(r'<label[^>]*\sfor="([^"]+)"', html):
        assert ids[target] == 1, f"label for={target} names no single element"
