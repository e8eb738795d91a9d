"""notification_enqueue: validation, storage, idempotency, and the caller's transaction."""

from __future__ import annotations

import json
import uuid

import pytest
from django.db import transaction

from youjie.core.crypto import decrypt_text
from youjie.core.errors import ValidationFailed
from youjie.notifications.choices import NotificationStatus
from youjie.notifications.models import Notification
from youjie.notifications.recipients import recipient_mask, recipient_normalise
from youjie.notifications.services import notification_enqueue
from youjie.notifications.tests.helpers import enqueue


def test_enqueue_outside_a_transaction_is_refused():
    # No database access happens before the check, so no db marker is needed.
    with pytest.raises(RuntimeError, match=r"transaction\.atomic"):
        notification_enqueue(channel="sms", recipient="13812345678", body="测试")


@pytest.mark.django_db
def test_enqueue_stores_an_encrypted_recipient_and_a_masked_one(django_user_model):
    about = django_user_model.objects.create_user(username="requester")
    notification = enqueue(
        recipient="+86 138-1234-5678", body="您的诉求编号为 2026-0001。", about=about
    )

    row = Notification.objects.get(pk=notification.pk)
    assert row.status == NotificationStatus.PENDING
    assert row.attempts == 0 and row.max_attempts == 6
    assert row.recipient_masked == "138****5678"
    assert "13812345678" not in row.recipient_encrypted
    assert decrypt_text(row.recipient_encrypted) == "13812345678"
    assert str(uuid.UUID(row.message_key)) == row.message_key
    assert (row.subject_type, row.subject_id) == ("orgs.user", str(about.pk))


@pytest.mark.django_db
def test_email_recipients_are_validated_and_masked():
    notification = enqueue(channel="email", recipient="zhang.san@Example.COM", subject="提醒")
    assert notification.recipient_masked == "z***@example.com"
    assert decrypt_text(notification.recipient_encrypted) == "zhang.san@example.com"


@pytest.mark.parametrize(
    ("channel", "recipient", "message"),
    [
        ("sms", "12812345678", "手机号格式不正确"),
        ("sms", "1381234567", "手机号格式不正确"),
        ("sms", "010-12345678", "手机号格式不正确"),
        ("email", "not-an-address", "电子邮箱地址格式不正确"),
        ("email", "a@b", "电子邮箱地址格式不正确"),
        ("wechat", "x", "openid"),
        ("console", "  ", "请填写接收方"),
        ("fax", "12345", "不支持的通知渠道"),
    ],
)
def test_bad_recipients_are_refused_in_chinese(channel, recipient, message):
    with pytest.raises(ValidationFailed, match=message):
        recipient_normalise(channel=channel, recipient=recipient)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"channel": "sms", "body": "字" * 501}, "短信内容不能超过 500 个字"),
        ({"channel": "email", "recipient": "a@example.com", "body": "字" * 2001}, "2000"),
        ({"body": "   "}, "通知内容不能为空"),
        ({"subject": "题" * 201}, "标题不能超过 200"),
        ({"channel": "fax"}, "不支持的通知渠道"),
        ({"delay_seconds": -1}, "不能为负数"),
    ],
)
def test_bad_messages_are_refused(kwargs, message):
    with pytest.raises(ValidationFailed, match=message):
        enqueue(**kwargs)
    assert not Notification.objects.exists()


def test_masks():
    assert recipient_mask(channel="sms", recipient="13812345678") == "138****5678"
    assert recipient_mask(channel="email", recipient="z@example.com") == "z***@example.com"
    assert recipient_mask(channel="wechat", recipient="oAbc123456wxyz") == "oAbc***wxyz"
    assert recipient_mask(channel="console", recipient="judge_li") == "j***"
    assert recipient_mask(channel="console", recipient="user:42") == "user:42"


@pytest.mark.django_db
def test_the_same_dedupe_key_returns_the_existing_row():
    first = enqueue(dedupe_key="desk.intake:42:sms")
    again = enqueue(dedupe_key="desk.intake:42:sms", body="另一条内容")
    other = enqueue(dedupe_key="desk.intake:43:sms")
    plain_a, plain_b = enqueue(), enqueue()  # an empty key never deduplicates

    assert again.pk == first.pk and again.body == first.body
    assert len({first.pk, other.pk, plain_a.pk, plain_b.pk}) == 4
    assert Notification.objects.count() == 4


@pytest.mark.django_db
def test_committed_rows_are_sent_on_commit(django_capture_on_commit_callbacks, notify_file):
    with django_capture_on_commit_callbacks(execute=True):
        notification = enqueue(body="您的诉求已答复，请评价：https://example.com/f/1")

    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT
    line = json.loads(notify_file.read_text(encoding="utf-8"))
    assert line["message_key"] == notification.message_key
    assert line["recipient"] == "13812345678"
    assert line["body"] == "您的诉求已答复，请评价：https://example.com/f/1"


@pytest.mark.django_db
def test_a_delayed_message_waits(django_capture_on_commit_callbacks, notify_file):
    with django_capture_on_commit_callbacks(execute=True):
        notification = enqueue(delay_seconds=600)
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.PENDING
    assert not notify_file.exists()


@pytest.mark.django_db
def test_a_rolled_back_transaction_leaves_no_row_and_sends_nothing(
    django_capture_on_commit_callbacks, sms_gateway
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ZeroDivisionError),
        transaction.atomic(),
    ):
        notification_enqueue(channel="sms", recipient="13812345678", body="不会发出")
        _ = 1 / 0

    assert callbacks == []
    assert not Notification.objects.exists()
    assert sms_gateway.posts == 0


@pytest.mark.django_db
def test_a_taken_dedupe_key_leaves_the_transaction_usable_and_schedules_one_send(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        first = notification_enqueue(
            channel="sms", recipient="13812345678", body="已登记", dedupe_key="desk:SS1:registered"
        )
        again = notification_enqueue(
            channel="sms", recipient="13812345678", body="再次", dedupe_key="desk:SS1:registered"
        )
        assert again.pk == first.pk and again.body == "已登记"
        # The taken key's INSERT failed inside a savepoint: the transaction goes on (on
        # PostgreSQL a failed statement outside one would have aborted it).
        assert Notification.objects.count() == 1
    assert len(callbacks) == 1
