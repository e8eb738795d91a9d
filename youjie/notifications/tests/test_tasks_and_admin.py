"""The huey tasks, the worker command, and the admin outbox."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from youjie.core.models import Event, TickClaim
from youjie.notifications import tasks
from youjie.notifications.checks import notification_settings_check
from youjie.notifications.choices import NotificationStatus
from youjie.notifications.models import Notification
from youjie.notifications.services import notifications_dispatch
from youjie.notifications.tests.helpers import enqueue

pytestmark = pytest.mark.django_db


def test_the_sweep_runs_once_per_tick():
    enqueue()
    # One fixed moment for both calls, so that they cannot straddle a minute boundary.
    moment = (timezone.now() + timedelta(minutes=5)).replace(second=10)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        first = tasks.notifications_sweep.call_local()
        second = tasks.notifications_sweep.call_local()
    assert first == 1
    assert second is None
    assert TickClaim.objects.filter(job="notifications_sweep").count() == 1


def test_send_soon_dispatches():
    row = enqueue()
    assert tasks.notifications_send_soon.call_local() == 1
    row.refresh_from_db()
    assert row.status == NotificationStatus.SENT


def test_the_command_sends_once_and_exits():
    enqueue()
    enqueue()
    out = StringIO()
    call_command("send_notifications", stdout=out)
    assert "claimed 2" in out.getvalue()
    assert set(Notification.objects.values_list("status", flat=True)) == {"sent"}


def test_settings_checks(settings):
    assert notification_settings_check() == []
    settings.YOUJIE_NOTIFY_TRANSPORTS = {"sms": "http_sms", "email": "http_sms"}
    settings.YOUJIE_SMS_GATEWAY_URL = ""
    settings.YOUJIE_NOTIFY_LEASE_SECONDS = 10
    settings.YOUJIE_SMS_TIMEOUT = 10
    ids = sorted(str(message.id) for message in notification_settings_check())
    assert ids == ["notifications.E001", "notifications.E002", "notifications.W001"]


@pytest.fixture
def dead_row(settings):
    settings.YOUJIE_NOTIFY_MAX_ATTEMPTS = 1
    settings.YOUJIE_NOTIFY_TRANSPORTS = {"sms": "pigeon"}
    row = enqueue(recipient="13812345678")
    notifications_dispatch()
    settings.YOUJIE_NOTIFY_TRANSPORTS = {"sms": "file"}
    row.refresh_from_db()
    assert row.status == NotificationStatus.DEAD
    return row


def test_administrators_see_the_outbox_read_only_and_masked(
    client, settings, administrator, dead_row
):
    settings.YOUJIE_OTP_ENFORCED = False
    client.force_login(administrator)
    listing = client.get(reverse("admin:notifications_notification_changelist"))
    assert listing.status_code == 200
    content = listing.content.decode()
    assert "138****5678" in content and "13812345678" not in content
    assert "重新发送" in content

    detail = client.get(reverse("admin:notifications_notification_change", args=[dead_row.pk]))
    assert detail.status_code == 200
    assert "13812345678" not in detail.content.decode()
    assert 'name="_save"' not in detail.content.decode()  # read-only


def test_the_outbox_list_runs_a_fixed_number_of_queries(
    client, settings, administrator, django_assert_num_queries
):
    settings.YOUJIE_OTP_ENFORCED = False
    client.force_login(administrator)
    url = reverse("admin:notifications_notification_changelist")
    enqueue()
    client.get(url)  # warm the session and role caches
    with CaptureQueriesContext(connection) as one_row:
        assert client.get(url).status_code == 200
    for _ in range(5):
        enqueue()
    with django_assert_num_queries(len(one_row.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_resend_action(client, settings, administrator, dead_row):
    settings.YOUJIE_OTP_ENFORCED = False
    sent = enqueue()
    notifications_dispatch()
    client.force_login(administrator)
    response = client.post(
        reverse("admin:notifications_notification_changelist"),
        {"action": "resend", "_selected_action": [dead_row.pk, sent.pk]},
        follow=True,
    )
    assert response.status_code == 200
    dead_row.refresh_from_db()
    sent.refresh_from_db()
    assert dead_row.status == NotificationStatus.PENDING
    assert sent.status == NotificationStatus.SENT
    event = Event.objects.get(subject_id=str(dead_row.pk), verb="notification_resent")
    assert event.actor == administrator
    messages = [str(message) for message in response.context["messages"]]
    assert "已重新排队发送 1 条通知" in messages
    assert "1 条通知不是“放弃”状态，未重新发送" in messages


def test_other_staff_cannot_see_the_outbox(client, settings, judge, dead_row):
    settings.YOUJIE_OTP_ENFORCED = False
    judge.is_staff = True
    judge.save(update_fields=["is_staff"])
    client.force_login(judge)
    url = reverse("admin:notifications_notification_changelist")
    assert client.get(url).status_code == 403
    response = client.post(url, {"action": "resend", "_selected_action": [dead_row.pk]})
    assert response.status_code == 403
    dead_row.refresh_from_db()
    assert dead_row.status == NotificationStatus.DEAD


def test_superusers_see_the_outbox(client, settings, django_user_model):
    settings.YOUJIE_OTP_ENFORCED = False
    root = django_user_model.objects.create_superuser(username="root", password="pw-root")
    client.force_login(root)
    assert client.get(reverse("admin:notifications_notification_changelist")).status_code == 200


def test_housekeeping_deletes_sent_and_abandoned_messages_past_the_retention_once_a_day(settings):
    settings.YOUJIE_NOTIFY_RETENTION_DAYS = 180
    rows = {status: enqueue() for status in NotificationStatus.values}
    recent_sent = enqueue()
    Notification.objects.filter(pk=recent_sent.pk).update(status=NotificationStatus.SENT)
    old = timezone.now() - timedelta(days=181)
    for status, row in rows.items():
        Notification.objects.filter(pk=row.pk).update(status=status, created_at=old)
    moment = (timezone.now() + timedelta(days=1)).replace(hour=3, minute=30, second=5)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        first = tasks.notifications_housekeeping.call_local()
        second = tasks.notifications_housekeeping.call_local()  # another consumer, same tick
    assert (first, second) == (2, None)
    left = set(Notification.objects.values_list("status", flat=True))
    # Waiting, in flight or to be retried: kept however old; sent yesterday: kept.
    assert left == {"pending", "sending", "failed", "sent"}
    assert Notification.objects.filter(pk=recent_sent.pk).exists()
    assert not Notification.objects.filter(pk__in=[rows["sent"].pk, rows["dead"].pk]).exists()


def test_pruning_goes_in_batches():
    from youjie.notifications.services import notifications_prune

    for _ in range(5):
        row = enqueue()
        Notification.objects.filter(pk=row.pk).update(
            status=NotificationStatus.SENT, created_at=timezone.now() - timedelta(days=400)
        )
    with CaptureQueriesContext(connection) as queries:
        assert notifications_prune(older_than_days=180, batch=2) == 5
    deletes = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("DELETE")]
    assert len(deletes) == 3  # 2 + 2 + 1
    assert Notification.objects.count() == 0
