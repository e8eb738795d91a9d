"""Helpers shared by the notification tests."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from youjie.notifications.models import Notification
from youjie.notifications.services import notification_enqueue


def enqueue(**kwargs: Any) -> Notification:
    """notification_enqueue inside its own transaction, as a desk service would call it."""
    kwargs.setdefault("channel", "sms")
    kwargs.setdefault("recipient", "13812345678")
    kwargs.setdefault("body", "您的诉求已登记，编号 2026-0001。")
    with transaction.atomic():
        return notification_enqueue(**kwargs)
