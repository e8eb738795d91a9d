"""The 办理统计 link in the navigation and the home panel follow the same rule as the page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from youjie.analytics.panels import desk_figures_panel

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_otp(settings):
    settings.YOUJIE_OTP_ENFORCED = False


@pytest.mark.parametrize(
    ("persona", "shown"),
    [("division_head", True), ("city_officer", True), ("county_officer", False)],
)
def test_link_and_panel(client, request, persona, shown):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    html = client.get(reverse("home")).content.decode()
    assert (f'href="{reverse("analytics:desk")}"' in html) is shown
    assert (desk_figures_panel(user) is not None) is shown
