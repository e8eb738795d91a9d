"""Issue 12, item 6: links in messages use the address the site is reached at
(``YOUJIE_PUBLIC_URL``), not http://127.0.0.1:8000."""

from __future__ import annotations

import pytest

from youjie.desk.models import Feedback
from youjie.notifications.models import Notification
from youjie.portal.tests.conftest import reply_to, submit_request

pytestmark = pytest.mark.usefixtures("matter_types")


def test_the_feedback_link_in_the_reply_uses_the_public_address(client, judge, settings):
    settings.YOUJIE_PUBLIC_URL = "https://susong.example.gov.cn"
    service_request = submit_request(client)
    reply_to(service_request, judge)
    token = Feedback.objects.get(service_request=service_request).token
    reply = Notification.objects.filter(body__contains=token).get()
    assert f"https://susong.example.gov.cn/portal/feedback/{token}/" in reply.body
    assert "127.0.0.1" not in reply.body
