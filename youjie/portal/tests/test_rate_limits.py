"""Rate limits: every public form has one; over the limit is a 429 page and nothing written."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import timezone

from youjie.desk.models import ServiceRequest
from youjie.notifications.models import Notification
from youjie.portal import selectors, services
from youjie.portal.checks import portal_rate_limits_check
from youjie.portal.models import RateLimitCounter
from youjie.portal.tests.conftest import MOBILE, post_form, submission, submit_request

pytestmark = pytest.mark.usefixtures("matter_types")


def assert_429(response) -> None:
    assert response.status_code == 429
    assert "操作过于频繁" in response.content.decode()
    assert int(response["Retry-After"]) > 0


def test_submit_per_ip_limit(client, settings):
    settings.YOUJIE_PORTAL_RATE_LIMITS = {"submit_ip": (2, 3600)}
    for index in range(2):
        submit_request(client, mobile=f"1391234560{index}")
    notifications = Notification.objects.count()
    response = post_form(client, "portal:submit", submission(mobile="13912345609"))
    assert_429(response)
    assert ServiceRequest.objects.count() == 2 and Notification.objects.count() == notifications
    # Another address is not affected.
    other = post_form(
        client, "portal:submit", submission(mobile="13912345609"), remote_addr="10.9.9.9"
    )
    assert other.status_code == 302


def test_submit_per_mobile_limit_across_addresses(client, settings):
    settings.YOUJIE_PORTAL_RATE_LIMITS = {"submit_mobile": (1, 3600)}
    assert (
        post_form(client, "portal:submit", submission(), remote_addr="10.0.0.1").status_code == 302
    )
    # The same number written differently is the same mobile.
    response = post_form(
        client, "portal:submit", submission(mobile="+86 139-1234-5678"), remote_addr="10.0.0.2"
    )
    assert_429(response)
    assert ServiceRequest.objects.count() == 1


def test_a_refused_check_gives_back_the_slots_it_took(settings):
    settings.YOUJIE_PORTAL_RATE_LIMITS = {"submit_ip": (5, 3600), "submit_mobile": (1, 3600)}
    services.rate_limit_consume(checks=[("submit_ip", "1.2.3.4"), ("submit_mobile", MOBILE)])
    with pytest.raises(services.RateLimited):
        services.rate_limit_consume(checks=[("submit_ip", "1.2.3.4"), ("submit_mobile", MOBILE)])
    ip_counter = RateLimitCounter.objects.get(key__startswith="submit_ip:")
    assert ip_counter.count == 1


def test_windows_reset_and_are_purged(settings):
    settings.YOUJIE_PORTAL_RATE_LIMITS = {"track_ip": (1, 600)}
    start = timezone.now().replace(minute=0, second=0, microsecond=0)
    services.rate_limit_consume(checks=[("track_ip", "1.2.3.4")], now=start)
    with pytest.raises(services.RateLimited) as refused:
        services.rate_limit_consume(
            checks=[("track_ip", "1.2.3.4")], now=start + timedelta(seconds=30)
        )
    assert refused.value.retry_after == 570
    services.rate_limit_consume(
        checks=[("track_ip", "1.2.3.4")], now=start + timedelta(seconds=601)
    )
    assert RateLimitCounter.objects.count() == 2
    # Keys are hashes: no address or mobile in clear.
    assert not RateLimitCounter.objects.filter(key__contains="1.2.3.4").exists()
    assert services.rate_limit_purge(now=start + timedelta(days=2)) == 2


def test_empty_identifier_is_not_counted():
    services.rate_limit_consume(checks=[("submit_mobile", "")])
    assert not RateLimitCounter.objects.exists()


@pytest.mark.parametrize("value", [(0, 60), (5,), "5/h", (5, "x"), None])
def test_malformed_settings_fail_loudly(settings, value):
    settings.YOUJIE_PORTAL_RATE_LIMITS = {"submit_ip": value}
    with pytest.raises(ImproperlyConfigured):
        selectors.rate_limit_rules()
    assert [message.id for message in portal_rate_limits_check()] == ["portal.E001"]


def test_settings_are_read_at_call_time(settings):
    assert selectors.rate_limit_rules()["track_ip"].limit == 20
    settings.YOUJIE_PORTAL_RATE_LIMITS = {"track_ip": [3, 60]}
    assert selectors.rate_limit_rules()["track_ip"] == selectors.RateRule("track_ip", 3, 60)
    assert portal_rate_limits_check() == []


def test_track_limit_counts_wrong_guesses(client, settings):
    settings.YOUJIE_PORTAL_RATE_LIMITS = {"track_ip": (3, 600)}
    for sequence in range(3):
        response = post_form(
            client, "portal:track", {"number": f"SS20261123-0000{sequence}", "mobile": MOBILE}
        )
        assert response.status_code == 200
    assert_429(post_form(client, "portal:track", {"number": "SS20261123-00009", "mobile": MOBILE}))


def test_feedback_limit(client, settings, judge):
    service_request = submit_request(client)
    from youjie.desk.models import Feedback
    from youjie.portal.tests.conftest import reply_to

    reply_to(service_request, judge)
    token = Feedback.objects.get(service_request=service_request).token
    settings.YOUJIE_PORTAL_RATE_LIMITS = {"feedback_ip": (1, 3600)}
    services.rate_limit_consume(checks=[("feedback_ip", "10.0.0.1")])
    response = post_form(client, "portal:feedback", {"satisfaction": "5"}, token)
    assert_429(response)
    assert Feedback.objects.get(service_request=service_request).submitted_at is None


def test_429_page_is_the_portal_layout(client, settings):
    settings.YOUJIE_PORTAL_RATE_LIMITS = {"submit_ip": (1, 3600)}
    services.rate_limit_consume(checks=[("submit_ip", "10.0.0.1")])
    response = post_form(client, "portal:submit", submission())
    assert_429(response)
    html = response.content.decode()
    assert reverse("portal:index") in html and "0472-8510389" in html
