"""Every SMS a requester receives, written by the real services with the longest realistic
values: signed 【court】 and within two SMS parts; the checklist goes as a link, not its whole
text (issue 12, item 16)."""

from __future__ import annotations

from typing import Any

import pytest

from youjie.desk import services
from youjie.desk.models import CONTENT_MAX, ServiceRequest
from youjie.desk.policy import DeskPolicy
from youjie.desk.services import IntakeData
from youjie.notifications.models import Notification
from youjie.notifications.sms import sms_length, sms_parts
from youjie.portal import services as portal_services

pytestmark = pytest.mark.django_db

LONGEST_PUBLIC_URL = "https://ssfw.byebkqfy.baotou.nmgcourt.cn"  # 40 characters
SIGNATURE = "【白云鄂博矿区法院】"  # the demo court's short name
MOBILE = "13900001111"


@pytest.fixture
def public_url(settings: Any) -> str:
    settings.YOUJIE_PUBLIC_URL = LONGEST_PUBLIC_URL
    if "public_base_url" in DeskPolicy.__dataclass_fields__:
        settings.YOUJIE_DESK_POLICY = {"public_base_url": LONGEST_PUBLIC_URL}
    settings.YOUJIE_SMS_SIGN = ""
    return LONGEST_PUBLIC_URL


def register(actor: Any, **overrides: Any) -> ServiceRequest:
    values: dict[str, Any] = {
        "channel": "walk_in",
        "matter_type_code": "divorce_filing",
        "title": "题" * 100,
        "content": "内" * CONTENT_MAX,
        "requester_name": "名" * 50,
        "requester_mobile": MOBILE,
        "route": False,
    }
    values.update(overrides)
    service_request, _created = services.service_request_create(
        actor=actor, data=IntakeData(**values)
    )
    return service_request


def sms_of(service_request: ServiceRequest) -> list[str]:
    return list(
        Notification.objects.filter(subject_id=str(service_request.pk), channel="sms")
        .order_by("id")
        .values_list("body", flat=True)
    )


def assert_signed_and_short(texts: list[str]) -> None:
    for text in texts:
        assert text.startswith(SIGNATURE), text
        assert sms_parts(text) <= 2, (sms_length(text), text)


def test_every_requester_sms_is_signed_and_within_two_parts(
    public_url, receptionist, judge, matter_types
):
    walk_in = register(receptionist)
    services.checklist_send(actor=receptionist, service_request=walk_in)
    services.service_request_reply(
        actor=receptionist, service_request=walk_in, body="答" * CONTENT_MAX, on_the_spot=True
    )
    texts = sms_of(walk_in)
    assert len(texts) == 3
    assert_signed_and_short(texts)
    registered, checklist, replied = texts
    assert walk_in.number in registered and f"{public_url}/portal/track/" in registered
    assert checklist.endswith(f"{public_url}/portal/checklists/divorce_filing/v1/")
    assert "离婚诉讼立案咨询" in checklist and "结婚证" not in checklist
    walk_in.refresh_from_db()
    assert replied.endswith(f"{public_url}/portal/feedback/{walk_in.feedback.token}/")

    routed = register(
        receptionist, matter_type_code="contact_judge", requester_mobile="13900002222", route=True
    )
    services.service_request_accept(actor=judge, service_request=routed)
    services.service_request_interim_reply(
        actor=judge, service_request=routed, body="进" * CONTENT_MAX
    )
    services.service_request_reply(actor=judge, service_request=routed, body="答" * CONTENT_MAX)
    texts = sms_of(routed)
    assert len(texts) == 3
    assert_signed_and_short(texts)


def test_the_tracking_code_is_signed_and_one_sms(public_url, receptionist, matter_types):
    service_request = register(receptionist)
    portal_services.tracking_code_send(
        service_request=service_request, mobile=MOBILE, client_ip="10.0.0.1"
    )
    code = Notification.objects.get(template_key="portal.tracking_code").body
    assert code.startswith(SIGNATURE) and service_request.number in code
    assert sms_parts(code) == 1, (sms_length(code), code)


def test_a_configured_signature_is_used_as_registered(
    public_url, settings, receptionist, matter_types
):
    settings.YOUJIE_SMS_SIGN = "【包头白云法院】"
    service_request = register(receptionist)
    [text] = sms_of(service_request)
    assert text.startswith("【包头白云法院】您的诉求已登记") and text.count("【") == 1
