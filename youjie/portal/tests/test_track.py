"""Tracking by number + mobile (and an SMS code where a gateway is configured)."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from django.urls import reverse

from youjie.core.crypto import decrypt_text
from youjie.core.models import Event
from youjie.desk import services as services_desk
from youjie.desk.choices import RequestStatus
from youjie.desk.models import ServiceRequest
from youjie.notifications.models import Notification
from youjie.portal import access, services
from youjie.portal.models import TrackingCode
from youjie.portal.tests.conftest import MOBILE, post_form, reply_to, submit_request
from youjie.portal.views import NOT_FOUND_MESSAGE

pytestmark = pytest.mark.usefixtures("matter_types")


@pytest.fixture
def service_request(client) -> ServiceRequest:
    return submit_request(client)


@pytest.fixture
def sms_gateway(settings) -> None:
    settings.YOUJIE_NOTIFY_TRANSPORTS = {"sms": "http_sms"}
    settings.YOUJIE_SMS_GATEWAY_URL = "http://127.0.0.1:9/sms"


def detail_url(service_request: ServiceRequest) -> str:
    return reverse("portal:track_detail", args=[service_request.number])


def codes_sent() -> list[Notification]:
    return list(Notification.objects.filter(template_key="portal.tracking_code").order_by("id"))


def code_in(notification: Notification) -> str:
    match = re.search(r"验证码(\d{6})", notification.body)
    assert match is not None
    return match.group(1)


def test_right_pair_shows_the_request_without_a_gateway(client, service_request, judge):
    reply_to(service_request, judge, body="开庭时间定于12月8日上午9时，请按时到庭。")
    response = post_form(
        client,
        "portal:track",
        {"number": service_request.number.lower(), "mobile": "+86 139 1234 5678"},
    )
    assert response.status_code == 302 and response["Location"] == detail_url(service_request)
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "已答复，待您评价" in html and "联系法官" in html
    assert "开庭时间定于12月8日上午9时" in html
    assert "办结期限" in html and "首次回应期限" in html and "受理时间" in html
    assert reverse("portal:feedback", args=[service_request.feedback.token]) in html
    assert page["Cache-Control"].startswith("max-age=0") or "no-cache" in page["Cache-Control"]


def verify(client, service_request: ServiceRequest) -> str:
    response = post_form(
        client, "portal:track", {"number": service_request.number, "mobile": MOBILE}
    )
    assert response.status_code == 302
    html: str = client.get(response["Location"]).content.decode()
    return html


def step_labels(html: str) -> list[str]:
    return [
        re.sub(r"\s+", " ", label).strip()
        for label in re.findall(
            r'<li class="step[^"]*">.*?<span class="step-label">(.*?)</span>', html, re.S
        )
    ]


def test_tracking_shows_the_public_steps_and_the_rating(
    client, service_request, judge, division_head
):
    """The requester sees what happened, in order — registered, sent to the division,
    accepted, answered, rated, closed — but not staff names, 督办 or internal reasons."""
    services_desk.service_request_supervise(
        actor=division_head,
        service_request=service_request,
        reason="当事人多次来电，内部督办理由",
        new_deadline=service_request.completion_due + timedelta(days=1),
    )
    reply_to(service_request, judge, body="开庭时间定于12月8日上午9时。")
    html = verify(client, service_request)
    assert step_labels(html) == [
        "诉求已受理登记",
        "已转交民事审判庭办理",
        "承办部门已签收，正在办理",
        "法院已答复",
    ]
    for internal in ("李敏", "张建国", "督办", "内部督办理由"):
        assert internal not in html
    service_request.refresh_from_db()
    services_desk.feedback_submit(
        token=service_request.feedback.token, satisfaction=4, comment="答复清楚，谢谢。"
    )
    html = client.get(detail_url(service_request)).content.decode()
    assert step_labels(html)[-2:] == ["收到您的评价", "已办结"]
    assert "您的评价" in html and "满意（4分）" in html and "答复清楚，谢谢。" in html
    assert "去评价" not in html


def test_every_step_date_is_marked_to_stay_on_one_line(client, service_request, judge):
    reply_to(service_request, judge)
    html = verify(client, service_request)
    dates = re.findall(
        r'<time class="date" datetime="[^"]+">(\d{4}-\d{2}-\d{2} \d{2}:\d{2})</time>', html
    )
    # Accepted, first response due, completion due, and each step and reply.
    assert len(dates) >= 8
    assert not re.search(r"(?<![\d>])\d{4}-\d{2}-\d{2} \d{2}:\d{2}(?!</time>)", html)


def test_wrong_pair_and_unknown_number_read_exactly_the_same(client, service_request):
    wrong_mobile = post_form(
        client, "portal:track", {"number": service_request.number, "mobile": "13800000000"}
    )
    unknown = post_form(client, "portal:track", {"number": "SS20990101-00001", "mobile": MOBILE})
    for response in (wrong_mobile, unknown):
        assert response.status_code == 200
        assert NOT_FOUND_MESSAGE in response.content.decode()
    # Same words apart from the echoed input and the fresh token.
    strip = re.compile(r'value="[^"]*"')
    assert strip.sub("", wrong_mobile.content.decode()) == strip.sub("", unknown.content.decode())
    assert client.get(detail_url(service_request)).status_code == 302


def test_detail_needs_verification(client, service_request):
    response = client.get(detail_url(service_request))
    assert response.status_code == 302 and response["Location"] == reverse("portal:track")
    other = client.get(reverse("portal:track_detail", args=["<script>"]))
    assert other.status_code == 302


def test_verification_lasts_thirty_minutes(client, service_request, monkeypatch):
    post_form(client, "portal:track", {"number": service_request.number, "mobile": MOBILE})
    assert client.get(detail_url(service_request)).status_code == 200
    later = time.time() + access.VERIFIED_SECONDS + 1
    monkeypatch.setattr(access, "now", lambda: later)
    assert client.get(detail_url(service_request)).status_code == 302


def test_malformed_number_is_a_field_error(client):
    response = post_form(client, "portal:track", {"number": "12345", "mobile": MOBILE})
    assert response.status_code == 422
    assert "诉求编号格式" in response.content.decode()


def test_sms_code_flow(client, service_request, sms_gateway):
    response = post_form(
        client, "portal:track", {"number": service_request.number, "mobile": MOBILE}
    )
    assert response.status_code == 302 and response["Location"] == reverse("portal:track_code")
    [sms] = codes_sent()
    assert decrypt_text(sms.recipient_encrypted) == MOBILE and sms.channel == "sms"
    code = code_in(sms)
    stored = TrackingCode.objects.get()
    assert code not in (stored.code_hash, stored.salt) and len(stored.code_hash) == 64
    # Not yet verified: the detail page is closed.
    assert client.get(detail_url(service_request)).status_code == 302

    page = client.get(reverse("portal:track_code"))
    assert page.status_code == 200 and service_request.number in page.content.decode()
    wrong = "000000" if code != "000000" else "111111"
    response = post_form(client, "portal:track_code", {"code": wrong})
    assert response.status_code == 422 and "验证码不正确，还可尝试4次" in response.content.decode()
    assert client.get(detail_url(service_request)).status_code == 302

    response = post_form(client, "portal:track_code", {"code": code})
    assert response.status_code == 302 and response["Location"] == detail_url(service_request)
    assert client.get(detail_url(service_request)).status_code == 200
    # A code is used once.
    assert services.tracking_code_verify(code_id=stored.pk, code=code).expired


def test_sms_code_attempts_are_limited(client, service_request, sms_gateway):
    post_form(client, "portal:track", {"number": service_request.number, "mobile": MOBILE})
    code = code_in(codes_sent()[0])
    wrong = "000000" if code != "000000" else "111111"
    for left in (4, 3, 2, 1):
        response = post_form(client, "portal:track_code", {"code": wrong})
        assert f"还可尝试{left}次" in response.content.decode()
    response = post_form(client, "portal:track_code", {"code": wrong})
    assert response.status_code == 302 and response["Location"] == reverse("portal:track")
    assert "错误次数过多" in client.get(reverse("portal:track")).content.decode()
    # Even the right code is refused now: the code is spent.
    assert services.tracking_code_verify(code_id=TrackingCode.objects.get().pk, code=code).expired
    assert client.get(detail_url(service_request)).status_code == 302
    assert client.get(reverse("portal:track_code")).status_code == 302


def test_expired_code_is_refused(client, service_request, sms_gateway):
    post_form(client, "portal:track", {"number": service_request.number, "mobile": MOBILE})
    code = code_in(codes_sent()[0])
    row = TrackingCode.objects.get()
    later = row.expires_at + services.CODE_RESEND_AFTER
    assert services.tracking_code_verify(code_id=row.pk, code=code, now=later).expired


def test_code_is_reused_within_a_minute_then_sms_limits_apply(
    client, service_request, sms_gateway, settings
):
    data = {"number": service_request.number, "mobile": MOBILE}
    post_form(client, "portal:track", data)
    post_form(client, "portal:track", data)
    assert len(codes_sent()) == 1  # re-used, not sent again
    settings.YOUJIE_PORTAL_RATE_LIMITS = {"sms_code_mobile_hour": (1, 3600)}
    TrackingCode.objects.update(created_at=TrackingCode.objects.get().created_at.replace(year=2000))
    response = post_form(client, "portal:track", data)
    assert response.status_code == 429
    assert len(codes_sent()) == 1 and TrackingCode.objects.count() == 1


def test_wrong_pair_sends_no_code(client, service_request, sms_gateway):
    response = post_form(
        client, "portal:track", {"number": service_request.number, "mobile": "13800000000"}
    )
    assert NOT_FOUND_MESSAGE in response.content.decode()
    assert codes_sent() == [] and not TrackingCode.objects.exists()


def test_code_page_without_a_pending_code_goes_back(client):
    response = client.get(reverse("portal:track_code"))
    assert response.status_code == 302 and response["Location"] == reverse("portal:track")


def test_withdraw_by_the_verified_requester(client, service_request):
    url = reverse("portal:withdraw", args=[service_request.number])
    # Not verified: nothing happens.
    assert client.get(url).status_code == 302
    assert (
        post_form(
            client, "portal:withdraw", {"reason": "已自行解决"}, service_request.number
        ).status_code
        == 302
    )
    service_request.refresh_from_db()
    assert service_request.status == RequestStatus.AWAITING_ACCEPTANCE

    post_form(client, "portal:track", {"number": service_request.number, "mobile": MOBILE})
    assert client.get(url).status_code == 200
    response = post_form(client, "portal:withdraw", {"reason": ""}, service_request.number)
    assert response.status_code == 422 and "请填写撤回原因" in response.content.decode()
    response = post_form(
        client, "portal:withdraw", {"reason": "已自行解决"}, service_request.number
    )
    assert response.status_code == 302
    service_request.refresh_from_db()
    assert service_request.status == RequestStatus.WITHDRAWN
    event = Event.objects.get(subject_id=str(service_request.pk), verb="withdrawn")
    assert event.actor_label == "诉求人" and event.reason == "已自行解决"
    page = client.get(detail_url(service_request)).content.decode()
    assert "已撤回" in page and url not in page
    # A second withdrawal is refused with a message, not a 500.
    again = post_form(client, "portal:withdraw", {"reason": "再撤一次"}, service_request.number)
    assert again.status_code == 409 and "不能撤回" in again.content.decode()
