"""Issue 12, item 9: enrolling and using the TOTP second factor, and keeping its secret."""

from __future__ import annotations

import re
from base64 import b32decode, b32encode
from html import unescape
from typing import Any

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.browser import screenshot
from youjie.orgs.models import User


def _signed_in(user: User, password: str) -> Client:
    client = Client()
    assert (
        client.post(
            "/accounts/login/", {"username": user.username, "password": password}
        ).status_code
        == 302
    )
    return client


def _text(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", html))


def test_enrolment_shows_the_secret_as_text_with_the_issuer(court_leader):
    client = _signed_in(court_leader, "pw-leader")
    page = client.get("/accounts/otp/").content.decode()
    device = TOTPDevice.objects.get(user=court_leader)
    secret = b32encode(device.bin_key).decode().rstrip("=")
    # Typed by hand where the camera cannot scan: shown in groups of four, copyable.
    assert secret in _text(page).replace(" ", "")
    assert "有解" in _text(page)
    assert "issuer=%E6%9C%89%E8%A7%A3" in device.config_url  # the account reads 有解 in the app
    assert "任何支持 TOTP 的验证器" in _text(page)
    assert "Google Authenticator" not in page  # not available in China's app stores


def test_a_throttled_retry_says_so(court_leader):
    client = _signed_in(court_leader, "pw-leader")
    client.get("/accounts/otp/")
    device = TOTPDevice.objects.get(user=court_leader)
    current = totp(device.bin_key, step=device.step, digits=device.digits)
    wrong = client.post("/accounts/otp/", {"token": f"{(current + 1) % 1_000_000:06d}"})
    assert "验证码不正确" in wrong.content.decode()
    # At once again, even with the right code: django-otp refuses for a while. Say that.
    again = client.post("/accounts/otp/", {"token": f"{current:06d}"})
    html = _text(again.content.decode())
    assert "尝试过于频繁" in html and "秒后再试" in html
    assert "验证码不正确" not in html


def _admin_client(administrator: User) -> Client:
    administrator.is_superuser = True
    administrator.save(update_fields=["is_superuser"])
    device = TOTPDevice.objects.create(user=administrator, name="手机", confirmed=True)
    client = Client()
    client.force_login(administrator)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def test_administrators_cannot_read_other_users_totp_secrets(administrator, court_leader, settings):
    settings.YOUJIE_OTP_ENFORCED = True
    client = _admin_client(administrator)
    device = TOTPDevice.objects.create(user=court_leader, name="验证器", confirmed=True)
    secret_hex = device.key
    secret_b32 = b32encode(device.bin_key).decode()
    base = f"/admin/otp_totp/totpdevice/{device.pk}"
    change = client.get(f"{base}/change/")
    assert change.status_code == 200
    listing = client.get("/admin/otp_totp/totpdevice/")
    for page in (change, listing):
        html = page.content.decode()
        assert secret_hex not in html and secret_b32 not in html
        assert 'name="key"' not in html and "/config/" not in html and "/qrcode/" not in html
    assert client.get(f"{base}/config/").status_code in {403, 404}
    assert client.get(f"{base}/qrcode/").status_code in {403, 404}
    # Nor can one set a secret that they then know: the add form has no key either.
    add = client.get("/admin/otp_totp/totpdevice/add/").content.decode()
    assert 'name="key"' not in add
    posted = client.post(
        f"{base}/change/",
        {
            "user": court_leader.pk,
            "name": "验证器",
            "confirmed": "on",
            "key": "00" * 20,
            "step": 30,
            "t0": 0,
            "digits": 6,
            "tolerance": 1,
            "drift": 0,
            "throttling_failure_count": 0,
        },
    )
    assert posted.status_code == 302
    device.refresh_from_db()
    assert device.key == secret_hex


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_leader_enrols_on_a_phone_by_typing_the_secret_shown(
    live_server: Any, phone_page: Any, court_leader: User
) -> None:
    """In Chromium at a phone's width: the secret is readable beside the QR code, within the
    screen, and the code computed from the text shown (as an app does when it is typed) works."""
    page = phone_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "leader")
    page.fill("#id_password", "pw-leader")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/accounts/otp/")
    secret = page.locator(".totp-secret")
    assert page.locator("img[alt^='验证器二维码']").is_visible() and secret.is_visible()
    box = secret.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    screenshot(page, "otp-enrolment-phone")
    typed = secret.inner_text().replace(" ", "")
    key = b32decode(typed + "=" * (-len(typed) % 8))
    page.fill("#id_token", f"{totp(key, step=30, digits=6):06d}")
    page.get_by_role("button", name="验证").click()
    page.wait_for_url(f"{live_server.url}/")
    assert TOTPDevice.objects.get(user=court_leader).confirmed
