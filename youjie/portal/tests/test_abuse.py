"""Issue 12, item 4: a forged X-Forwarded-For, a replayed form token, and guessing the mobile of
a known request number from many addresses."""

from __future__ import annotations

import time

import pytest
from django.test import Client
from django.urls import reverse

from youjie.desk.models import ServiceRequest
from youjie.portal.formguard import form_token_issue
from youjie.portal.tests.conftest import MOBILE, submission, submit_request

pytestmark = pytest.mark.usefixtures("matter_types")


def _submit(client: Client, *, forwarded: str, mobile: str) -> int:
    token = form_token_issue("submit", issued_at=time.time() - 10)
    response = client.post(
        reverse("portal:submit"),
        {**submission(mobile=mobile), "form_token": token, "website": ""},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR=forwarded,
    )
    return response.status_code


def test_a_forged_forwarded_address_does_not_reset_the_limit(client, settings):
    settings.YOUJIE_TRUSTED_PROXIES = []
    settings.YOUJIE_PORTAL_RATE_LIMITS = {"submit_ip": (1, 3600)}
    assert _submit(client, forwarded="203.0.113.1", mobile="13912345601") == 302
    assert _submit(client, forwarded="203.0.113.2", mobile="13912345602") == 429
    assert ServiceRequest.objects.count() == 1


def test_behind_a_trusted_proxy_each_citizen_has_their_own_limit(client, settings):
    settings.YOUJIE_TRUSTED_PROXIES = ["127.0.0.1"]
    settings.YOUJIE_PORTAL_RATE_LIMITS = {"submit_ip": (1, 3600)}
    assert _submit(client, forwarded="203.0.113.1", mobile="13912345601") == 302
    assert _submit(client, forwarded="203.0.113.2", mobile="13912345602") == 302
    # The proxy appends the real address: a forged left part does not make a new citizen.
    assert _submit(client, forwarded="8.8.8.8, 203.0.113.1", mobile="13912345603") == 429
    assert ServiceRequest.objects.count() == 2


def test_a_form_token_is_accepted_once(client):
    token = form_token_issue("submit", issued_at=time.time() - 10)
    data = {**submission(), "form_token": token, "website": ""}
    first = client.post(reverse("portal:submit"), data, REMOTE_ADDR="10.0.0.5")
    assert first.status_code == 302
    replay = client.post(
        reverse("portal:submit"), {**data, "mobile": "13912345600"}, REMOTE_ADDR="10.0.0.6"
    )
    assert replay.status_code == 400
    assert "表单已失效或提交过快" in replay.content.decode()
    assert ServiceRequest.objects.count() == 1


def test_two_tokens_issued_in_the_same_instant_are_different():
    issued_at = time.time() - 10
    assert form_token_issue("submit", issued_at=issued_at) != form_token_issue(
        "submit", issued_at=issued_at
    )


def test_a_refused_form_can_be_sent_again_with_the_fresh_token(client):
    token = form_token_issue("submit", issued_at=time.time() - 10)
    refused = client.post(
        reverse("portal:submit"),
        {**submission(title=""), "form_token": token, "website": ""},
        REMOTE_ADDR="10.0.0.7",
    )
    assert refused.status_code == 422
    html = refused.content.decode()
    fresh = html.split('name="form_token" value="', 1)[1].split('"', 1)[0]
    assert fresh != token


def test_tracking_is_limited_per_request_number_across_addresses(client, settings):
    """Guessing the mobile of one known number from many addresses runs into the number's limit."""
    service_request = submit_request(client)
    settings.YOUJIE_PORTAL_RATE_LIMITS = {"track_number": (3, 3600)}
    for index in range(3):
        response = client.post(
            reverse("portal:track"),
            {
                "number": service_request.number,
                "mobile": f"1380000000{index}",
                "form_token": form_token_issue("track", issued_at=time.time() - 10),
                "website": "",
            },
            REMOTE_ADDR=f"10.1.0.{index}",
        )
        assert response.status_code == 200
    guess = client.post(
        reverse("portal:track"),
        {
            "number": service_request.number,
            "mobile": MOBILE,
            "form_token": form_token_issue("track", issued_at=time.time() - 10),
            "website": "",
        },
        REMOTE_ADDR="10.1.0.99",
    )
    assert guess.status_code == 429
    assert "操作过于频繁" in guess.content.decode()
