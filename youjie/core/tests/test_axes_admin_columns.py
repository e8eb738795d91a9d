"""django-axes' admin lists head their columns in Chinese (issue 12, item 17): axes ships no
Chinese, so its lists said "Attempt Time", "IP Address", "Failed Logins" between Chinese pages."""

from __future__ import annotations

import re

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.urls import reverse

pytestmark = pytest.mark.django_db

ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")


@pytest.fixture(autouse=True)
def _no_otp(settings):
    settings.YOUJIE_OTP_ENFORCED = False


@pytest.fixture
def rows():
    common = {"user_agent": "Mozilla/5.0", "ip_address": "203.0.113.9", "path_info": "/accounts/"}
    AccessAttempt.objects.create(
        username="reception",
        http_accept="*/*",
        get_data="",
        post_data="",
        failures_since_start=3,
        **common,
    )
    AccessLog.objects.create(username="reception", http_accept="*/*", **common)
    AccessFailureLog.objects.create(
        username="reception", http_accept="*/*", locked_out=True, **common
    )


def _headings(html: str) -> list[str]:
    """The headings of the list's own table (not the navigation sidebar's)."""
    table = html.split('id="result_list"', 1)[1].split("</thead>", 1)[0]
    cells = re.findall(r'<th scope="col"[^>]*>(.*?)</th>', table, re.S)
    texts = [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in cells]
    return [text for text in texts if text]  # the select-all checkbox column has no text


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        ("accessattempt", ["尝试时间", "IP地址", "浏览器标识", "用户名", "访问路径", "失败次数"]),
        ("accesslog", ["尝试时间", "退出时间", "IP地址", "用户名", "浏览器标识", "访问路径"]),
        ("accessfailurelog", ["尝试时间", "IP地址", "用户名", "浏览器标识", "访问路径"]),
    ],
)
def test_axes_columns_are_headed_in_chinese(client, administrator, rows, model, expected):
    administrator.is_superuser = True
    administrator.save(update_fields=["is_superuser"])
    client.force_login(administrator)
    response = client.get(reverse(f"admin:axes_{model}_changelist"))
    assert response.status_code == 200
    html = response.content.decode()
    headings = _headings(html)
    assert headings[: len(expected)] == expected
    english = [text for text in headings if ENGLISH_WORD.search(text)]
    assert english == [], english
    # Still sorted by the underlying field when the heading is clicked.
    assert 'href="?o=1"' in html or 'href="?o=-1"' in html
    assert client.get(reverse(f"admin:axes_{model}_changelist") + "?o=2").status_code == 200


def test_attempt_status_is_in_chinese(client, administrator, rows, settings):
    """Three failures with AXES_FAILURE_LIMIT = 3 (test settings): locked."""
    assert settings.AXES_FAILURE_LIMIT == 3
    administrator.is_superuser = True
    administrator.save(update_fields=["is_superuser"])
    client.force_login(administrator)
    html = client.get(reverse("admin:axes_accessattempt_changelist")).content.decode()
    assert "锁定状态" in _headings(html)
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert "已锁定" in body and "Locked Out" not in body and "Attempt Remaining" not in body
