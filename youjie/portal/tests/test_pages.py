"""Every portal page: phone viewport, no inline script (CSP), the portal layout; and no input
of any kind produces a server error."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from youjie.desk.models import Feedback
from youjie.portal.tests.conftest import MOBILE, guard_fields, post_form, reply_to, submit_request

pytestmark = pytest.mark.usefixtures("matter_types")

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)


def assert_phone_ready(response) -> None:
    html = response.content.decode()
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert not INLINE_SCRIPT.search(html), INLINE_SCRIPT.search(html)
    assert not INLINE_HANDLER.search(html)
    assert "/static/css/app.css" in html and "/static/portal/portal.css" in html
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert 'id="main-nav"' not in html  # not the staff layout


def test_every_page_renders_for_a_phone(client, judge, settings):
    service_request = submit_request(client)
    pages = [
        client.get(reverse("portal:index")),
        client.get(reverse("portal:submit")),
        client.get(reverse("portal:submit_done")),
        client.get(reverse("portal:track")),
        client.get(reverse("portal:checklists")),
        client.get(reverse("portal:checklist", args=["divorce_filing"])),
        client.get(reverse("portal:checklist", args=["divorce_filing", 1])),
        client.get(reverse("portal:checklist", args=["nothing"])),  # 404 page
        post_form(client, "portal:submit", {"name": ""}),  # 422 page
        client.post(reverse("portal:submit"), {"website": "x"}),  # 400 page
    ]
    post_form(client, "portal:track", {"number": service_request.number, "mobile": MOBILE})
    pages.append(client.get(reverse("portal:track_detail", args=[service_request.number])))
    pages.append(client.get(reverse("portal:withdraw", args=[service_request.number])))
    reply_to(service_request, judge)
    token = Feedback.objects.get(service_request=service_request).token
    pages.append(client.get(reverse("portal:feedback", args=[token])))
    post_form(client, "portal:feedback", {"satisfaction": "4"}, token)
    pages.append(client.get(reverse("portal:feedback_thanks", args=[token])))
    pages.append(client.get(reverse("portal:feedback", args=[token])))  # 410 page
    settings.YOUJIE_PORTAL_RATE_LIMITS = {"track_ip": (1, 600)}
    post_form(client, "portal:track", {"number": "SS20261123-00001", "mobile": MOBILE})
    pages.append(
        post_form(client, "portal:track", {"number": "SS20261123-00001", "mobile": MOBILE})
    )
    settings.YOUJIE_NOTIFY_TRANSPORTS = {"sms": "http_sms"}
    settings.YOUJIE_PORTAL_RATE_LIMITS = {}
    post_form(
        client,
        "portal:track",
        {"number": service_request.number, "mobile": MOBILE},
        remote_addr="10.1.1.1",
    )
    pages.append(client.get(reverse("portal:track_code")))
    statuses = [page.status_code for page in pages]
    assert statuses == [
        200,
        200,
        200,
        200,
        200,
        200,
        200,
        404,
        422,
        400,
        200,
        200,
        200,
        200,
        410,
        429,
        200,
    ]
    for page in pages:
        assert_phone_ready(page)


def test_only_get_and_post(client):
    assert client.put(reverse("portal:submit")).status_code == 405
    assert client.post(reverse("portal:index")).status_code == 405


# Any text a browser can send: no surrogates (not encodable), everything else goes.
any_text = st.text(alphabet=st.characters(codec="utf-8"), max_size=300)
form_values = st.one_of(
    any_text, st.sampled_from(["", "SS20261123-00001", MOBILE, "contact_judge", "5"])
)


@pytest.mark.slow
@hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.dictionaries(
        st.sampled_from(
            [
                "name",
                "mobile",
                "matter_type",
                "title",
                "content",
                "case_number",
                "number",
                "code",
                "satisfaction",
                "comment",
                "website",
                "form_token",
                "extra",
            ]
        ),
        form_values,
        max_size=8,
    ),
    url_name=st.sampled_from(["portal:submit", "portal:track", "portal:track_code"]),
    with_guard=st.booleans(),
)
def test_no_input_causes_a_server_error(client, settings, data, url_name, with_guard):
    settings.YOUJIE_PORTAL_RATE_LIMITS = {"submit_ip": (1000, 60), "track_ip": (1000, 60)}
    form_name = {
        "portal:submit": "submit",
        "portal:track": "track",
        "portal:track_code": "track_code",
    }
    payload = {**guard_fields(form_name[url_name]), **data} if with_guard else data
    response = client.post(reverse(url_name), payload)
    assert response.status_code < 500
