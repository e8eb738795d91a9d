"""The reply's SMS carries the requester's feedback link; the outbox admin must not show its
token (issue 12): whoever reads the admin could otherwise rate the request."""

from __future__ import annotations

import pytest
from django.urls import reverse

from youjie.desk import services
from youjie.desk.models import Feedback
from youjie.notifications.models import Notification

from .test_api_support import intake

pytestmark = pytest.mark.django_db


def test_outbox_admin_shows_the_reply_without_its_feedback_token(
    client, settings, receptionist, administrator, matter_types
):
    settings.YOUJIE_OTP_ENFORCED = False
    service_request = intake(receptionist)
    services.service_request_reply(
        actor=receptionist, service_request=service_request, body="已当场答复。", on_the_spot=True
    )
    token = Feedback.objects.get(service_request=service_request).token
    carrying = [row for row in Notification.objects.all() if token in row.body]
    assert carrying, "the reply's text carries the feedback link"
    client.force_login(administrator)
    for row in carrying:
        page = client.get(reverse("admin:notifications_notification_change", args=[row.pk]))
        assert page.status_code == 200
        html = page.content.decode()
        assert token not in html
        assert "/portal/feedback/" in html  # the link is shown, its credential is not
    listing = client.get(reverse("admin:notifications_notification_changelist"))
    assert token not in listing.content.decode()
