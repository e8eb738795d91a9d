"""The dispatcher: claims, leases, recovery by lookup, fencing, backoff and dead rows."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from youjie.core.errors import InvalidTransition
from youjie.core.models import Event
from youjie.notifications.choices import NotificationStatus
from youjie.notifications.models import Notification
from youjie.notifications.selectors import backoff_delay
from youjie.notifications.services import (
    notification_claim,
    notification_deliver,
    notification_resend,
    notifications_dispatch,
)
from youjie.notifications.tests.helpers import enqueue
from youjie.notifications.transports import FileTransport, OutgoingMessage

pytestmark = pytest.mark.django_db


def lines(path):
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_dispatch_sends_due_rows_through_the_file_transport(notify_file):
    sms = enqueue(body="短信内容")
    mail = enqueue(channel="email", recipient="a@example.com", subject="提醒", body="邮件内容")
    note = enqueue(channel="console", recipient="judge_li", body="请及时签收")
    later = enqueue(delay_seconds=300)

    report = notifications_dispatch()

    assert report.claimed == 3 and report.count("sent") == 3
    for row in (sms, mail, note):
        row.refresh_from_db()
        assert row.status == NotificationStatus.SENT
        assert row.attempts == 1 and row.sent_at is not None and row.lease_until is None
        assert row.provider_message_id == f"file:{row.message_key}"
    later.refresh_from_db()
    assert later.status == NotificationStatus.PENDING
    written = lines(notify_file)
    assert [line["channel"] for line in written] == ["sms", "email", "console"]
    assert written[1]["subject"] == "提醒" and written[1]["recipient"] == "a@example.com"
    assert notifications_dispatch().claimed == 0  # nothing twice


def test_dispatch_respects_the_limit():
    for _ in range(3):
        enqueue()
    assert notifications_dispatch(limit=2).claimed == 2
    assert notifications_dispatch(limit=2).claimed == 1


def test_a_row_under_a_live_lease_is_not_claimed():
    row = enqueue()
    now = timezone.now()
    claim = notification_claim(
        notification_id=row.pk, expected_status="pending", expected_attempts=0, now=now
    )
    assert claim is not None and claim.attempt == 1
    # A second worker sees the lease and leaves the row alone...
    assert notifications_dispatch(now=now + timedelta(seconds=59)).claimed == 0
    # ...and the same claim cannot be made twice (compare-and-swap on status and attempts).
    assert (
        notification_claim(
            notification_id=row.pk, expected_status="pending", expected_attempts=0, now=now
        )
        is None
    )


def test_an_expired_lease_already_delivered_is_marked_sent_without_sending_again(notify_file):
    row = enqueue()
    now = timezone.now()
    claim = notification_claim(
        notification_id=row.pk, expected_status="pending", expected_attempts=0, now=now
    )
    assert claim is not None
    # The worker wrote the message, then died before recording the outcome.
    FileTransport().send(OutgoingMessage(row.message_key, "sms", "13812345678", "", row.body))

    report = notifications_dispatch(now=now + timedelta(seconds=61))

    assert report.count("sent") == 1
    row.refresh_from_db()
    assert row.status == NotificationStatus.SENT and row.attempts == 2
    assert row.provider_message_id == ""  # found by lookup
    assert len(lines(notify_file)) == 1


def test_an_expired_lease_not_delivered_is_sent_once(notify_file):
    row = enqueue()
    now = timezone.now()
    assert notification_claim(
        notification_id=row.pk, expected_status="pending", expected_attempts=0, now=now
    )
    assert notifications_dispatch(now=now + timedelta(seconds=61)).count("sent") == 1
    row.refresh_from_db()
    assert row.status == NotificationStatus.SENT and row.attempts == 2
    assert [line["message_key"] for line in lines(notify_file)] == [row.message_key]


def test_a_worker_that_lost_its_lease_cannot_overwrite_the_outcome(notify_file):
    row = enqueue()
    now = timezone.now()
    slow = notification_claim(
        notification_id=row.pk, expected_status="pending", expected_attempts=0, now=now
    )
    assert slow is not None
    fast = notification_claim(
        notification_id=row.pk,
        expected_status="sending",
        expected_attempts=1,
        now=now + timedelta(seconds=61),
    )
    assert fast is not None
    assert notification_deliver(claim=fast) == "sent"
    # The first worker outlived its lease (which is why the lease must exceed the transport
    # timeout, system check notifications.W001): whatever it does, its outcome is fenced off
    # because the row's attempts moved on.
    assert notification_deliver(claim=slow) == "lost"
    row.refresh_from_db()
    assert row.status == NotificationStatus.SENT and row.attempts == 2


def test_backoff_schedule():
    assert [backoff_delay(attempts=n).total_seconds() for n in range(1, 8)] == [
        30,
        120,
        600,
        1800,
        7200,
        7200,
        7200,
    ]


def test_transport_errors_back_off_then_die(settings, notify_file):
    settings.YOUJIE_NOTIFY_FILE = str(notify_file.parent / "missing-dir-is-a-file" / "x.log")
    (notify_file.parent / "missing-dir-is-a-file").write_text("not a directory")
    settings.YOUJIE_NOTIFY_MAX_ATTEMPTS = 3
    row = enqueue()
    now = timezone.now()

    assert notifications_dispatch(now=now).count("failed") == 1
    row.refresh_from_db()
    assert row.status == NotificationStatus.FAILED and row.attempts == 1
    assert row.next_attempt_at == now + timedelta(seconds=30)
    assert "写入通知文件失败" in row.last_error
    assert notifications_dispatch(now=now + timedelta(seconds=29)).claimed == 0

    now += timedelta(seconds=30)
    assert notifications_dispatch(now=now).count("failed") == 1
    row.refresh_from_db()
    assert row.next_attempt_at == now + timedelta(seconds=120)

    now += timedelta(seconds=120)
    assert notifications_dispatch(now=now).count("dead") == 1
    row.refresh_from_db()
    assert row.status == NotificationStatus.DEAD and row.attempts == 3
    event = Event.objects.get(subject_type="notifications.notification", subject_id=str(row.pk))
    assert event.verb == "notification_dead" and event.to_state == "dead"
    assert "已达最多尝试次数 3" in event.reason
    assert event.data["recipient"] == "138****5678"
    assert notifications_dispatch(now=now + timedelta(days=1)).claimed == 0


def test_a_misconfigured_transport_fails_the_row_instead_of_wedging_it(settings):
    settings.YOUJIE_NOTIFY_TRANSPORTS = {"sms": "pigeon"}
    row = enqueue()
    assert notifications_dispatch().count("failed") == 1
    row.refresh_from_db()
    assert row.status == NotificationStatus.FAILED
    assert "ImproperlyConfigured" in row.last_error


def test_resend_gives_a_dead_row_a_new_round(settings, administrator, notify_file):
    settings.YOUJIE_NOTIFY_MAX_ATTEMPTS = 1
    settings.YOUJIE_NOTIFY_TRANSPORTS = {"sms": "pigeon"}
    row = enqueue()
    notifications_dispatch()
    row.refresh_from_db()
    assert row.status == NotificationStatus.DEAD

    settings.YOUJIE_NOTIFY_TRANSPORTS = {"sms": "file"}
    notification_resend(notification=row, actor=administrator)
    assert row.status == NotificationStatus.PENDING
    assert row.max_attempts == 2 and row.attempts == 1
    assert Event.objects.filter(subject_id=str(row.pk), verb="notification_resent").exists()

    assert notifications_dispatch().count("sent") == 1
    with pytest.raises(InvalidTransition):
        notification_resend(notification=Notification.objects.get(pk=row.pk), actor=administrator)
