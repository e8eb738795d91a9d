"""The HTTP SMS transport against a real gateway on 127.0.0.1."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from youjie.core.models import Event
from youjie.notifications.choices import NotificationStatus
from youjie.notifications.services import notifications_dispatch
from youjie.notifications.tests.helpers import enqueue
from youjie.notifications.transports import HttpSmsTransport

pytestmark = pytest.mark.django_db


def test_a_signed_message_is_accepted(sms_gateway):
    row = enqueue(recipient="13900001111", body="您的诉求编号为 2026-0007，可凭编号和手机号查询。")

    assert notifications_dispatch().count("sent") == 1

    row.refresh_from_db()
    assert row.status == NotificationStatus.SENT
    assert row.provider_message_id == "gw-1"
    [received] = sms_gateway.received
    assert received.msgid == row.message_key
    assert received.mobile == "13900001111"
    assert received.content == "【有解】您的诉求编号为 2026-0007，可凭编号和手机号查询。"
    assert sms_gateway.rejected_signatures == 0
    assert sms_gateway.status_queries == []  # a first attempt does not look up


def test_the_template_and_sign_come_from_settings(settings, sms_gateway):
    settings.YOUJIE_SMS_SIGN = "【白云鄂博矿区法院】"
    settings.YOUJIE_SMS_TEMPLATE = "{body}{sign}"
    enqueue(body="请于明日到庭。")
    notifications_dispatch()
    assert sms_gateway.received[0].content == "请于明日到庭。【白云鄂博矿区法院】"


def test_a_wrong_key_is_refused_by_the_gateway_and_the_row_dies(settings, sms_gateway):
    settings.YOUJIE_SMS_GATEWAY_KEY = "not-the-key"
    row = enqueue()
    assert notifications_dispatch().count("dead") == 1
    row.refresh_from_db()
    assert row.status == NotificationStatus.DEAD
    assert "HTTP 401" in row.last_error
    assert sms_gateway.rejected_signatures == 1 and sms_gateway.received == []


def test_a_server_error_is_retried_with_backoff_and_then_sent(sms_gateway):
    sms_gateway.fail_next.extend([500, 503])
    row = enqueue()
    now = timezone.now()

    assert notifications_dispatch(now=now).count("failed") == 1
    row.refresh_from_db()
    assert row.status == NotificationStatus.FAILED and "HTTP 500" in row.last_error
    assert row.next_attempt_at == now + timedelta(seconds=30)
    assert notifications_dispatch(now=now + timedelta(seconds=10)).claimed == 0

    now += timedelta(seconds=31)
    assert notifications_dispatch(now=now).count("failed") == 1
    row.refresh_from_db()
    assert row.next_attempt_at == now + timedelta(minutes=2)

    now += timedelta(minutes=2)
    assert notifications_dispatch(now=now).count("sent") == 1
    row.refresh_from_db()
    assert row.status == NotificationStatus.SENT and row.attempts == 3
    assert sms_gateway.msgids() == [row.message_key]
    # Each retry asked the gateway first whether it already had the message.
    assert sms_gateway.status_queries == [row.message_key, row.message_key]


def test_a_client_error_is_permanent(sms_gateway):
    sms_gateway.fail_next.append(400)
    row = enqueue()
    assert notifications_dispatch().count("dead") == 1
    row.refresh_from_db()
    assert row.status == NotificationStatus.DEAD and "HTTP 400" in row.last_error
    assert Event.objects.filter(subject_id=str(row.pk), verb="notification_dead").count() == 1
    assert notifications_dispatch(now=timezone.now() + timedelta(days=1)).claimed == 0


def test_a_timeout_is_retried_without_sending_twice(settings, sms_gateway):
    settings.YOUJIE_SMS_TIMEOUT = 0.3
    sms_gateway.delay_seconds = 0.8  # the gateway accepts, but answers too late
    row = enqueue()
    now = timezone.now()

    assert notifications_dispatch(now=now).count("failed") == 1
    sms_gateway.delay_seconds = 0
    assert notifications_dispatch(now=now + timedelta(seconds=30)).count("sent") == 1

    row.refresh_from_db()
    assert row.status == NotificationStatus.SENT and row.attempts == 2
    assert sms_gateway.count(row.message_key) == 1  # the lookup found it: not sent again


def test_an_unreachable_gateway_is_retried(settings, sms_gateway):
    sms_gateway.stop()
    row = enqueue()
    assert notifications_dispatch().count("failed") == 1
    row.refresh_from_db()
    assert "短信网关无响应" in row.last_error


def test_lookup_answers(sms_gateway):
    row = enqueue()
    transport = HttpSmsTransport()
    assert transport.lookup(row.message_key) == "not_found"
    notifications_dispatch()
    assert transport.lookup(row.message_key) == "delivered"
