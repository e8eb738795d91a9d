"""E-mail through Django's SMTP backend to a real SMTP sink (aiosmtpd) on 127.0.0.1."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from youjie.notifications.choices import NotificationStatus
from youjie.notifications.services import notifications_dispatch
from youjie.notifications.tests.helpers import enqueue

pytestmark = pytest.mark.django_db


def test_a_chinese_message_arrives_with_its_message_id(settings, smtp_sink):
    settings.DEFAULT_FROM_EMAIL = "noreply@youjie.example"
    row = enqueue(
        channel="email",
        recipient="zhang@example.com",
        subject="【催办提醒】诉求 2026-0001 即将超期",
        body="李法官：您承办的诉求将于 3 个工作日后超期，请及时办理。",
    )

    assert notifications_dispatch().count("sent") == 1

    row.refresh_from_db()
    assert row.status == NotificationStatus.SENT
    assert row.provider_message_id == f"<{row.message_key}@youjie>"
    [(envelope, message)] = smtp_sink.messages
    assert envelope.rcpt_tos == ["zhang@example.com"]
    assert envelope.mail_from == "noreply@youjie.example"
    # Django folds the encoded subject onto a continuation line; Python's parser keeps the
    # folding space, mail clients drop it.
    assert message["Subject"].strip() == "【催办提醒】诉求 2026-0001 即将超期"
    assert message["Message-ID"] == f"<{row.message_key}@youjie>"
    assert (
        message.get_content().strip() == "李法官：您承办的诉求将于 3 个工作日后超期，请及时办理。"
    )


def test_smtp_cannot_look_up_so_a_recovered_row_is_sent_again_with_the_same_id(smtp_sink):
    """At-least-once for e-mail: the duplicate carries the same Message-ID."""
    row = enqueue(channel="email", recipient="li@example.com", subject="通知", body="内容")
    now = timezone.now()
    notifications_dispatch(now=now)
    # Pretend the worker died after sending: put the row back into an expired lease.
    type(row).objects.filter(pk=row.pk).update(status="sending", lease_until=now)

    assert notifications_dispatch(now=now + timedelta(seconds=1)).count("sent") == 1
    ids = {message["Message-ID"] for _, message in smtp_sink.messages}
    assert len(smtp_sink.messages) == 2 and ids == {f"<{row.message_key}@youjie>"}


def test_an_unreachable_smtp_server_is_retried(settings, smtp_sink):
    settings.EMAIL_PORT = 1  # nothing listens there
    row = enqueue(channel="email", recipient="li@example.com", body="内容")
    assert notifications_dispatch().count("failed") == 1
    row.refresh_from_db()
    assert row.status == NotificationStatus.FAILED
    assert "邮件发送失败" in row.last_error
