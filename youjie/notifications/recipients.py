"""Recipient formats per channel: normalise, validate (Chinese messages) and mask for display.

Pure functions; the notifications app depends on core only, so the few lines for mobiles are
kept here rather than imported from the people app.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator

from youjie.core.errors import ValidationFailed
from youjie.notifications.choices import Channel

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
WECHAT_OPENID_RE = re.compile(r"^[A-Za-z0-9_-]{6,128}$")
STAFF_REFERENCE_RE = re.compile(r"^user:\d+$")
CONSOLE_RECIPIENT_MAX_LENGTH = 150
_MOBILE_SEPARATORS = re.compile(r"[\s\-()（）]")


def _invalid(message: str) -> ValidationFailed:
    return ValidationFailed(message, fields={"recipient": [message]})


def recipient_normalise(*, channel: str, recipient: str) -> str:
    """The canonical form of ``recipient`` for ``channel``, or ValidationFailed."""
    value = recipient.strip()
    if channel == Channel.SMS:
        mobile = _MOBILE_SEPARATORS.sub("", value)
        if mobile.startswith("+86"):
            mobile = mobile[3:]
        elif mobile.startswith("86") and len(mobile) == 13:
            mobile = mobile[2:]
        if not MOBILE_RE.fullmatch(mobile):
            raise _invalid("手机号格式不正确，应为 11 位中国大陆手机号")
        return mobile
    if channel == Channel.EMAIL:
        try:
            EmailValidator()(value)
        except ValidationError as exc:
            raise _invalid("电子邮箱地址格式不正确") from exc
        local, _, domain = value.rpartition("@")
        return f"{local}@{domain.lower()}"
    if channel == Channel.WECHAT:
        if not WECHAT_OPENID_RE.fullmatch(value):
            raise _invalid("微信接收方应为公众号用户标识（openid）")
        return value
    if channel == Channel.CONSOLE:
        if not value:
            raise _invalid("请填写接收方")
        if len(value) > CONSOLE_RECIPIENT_MAX_LENGTH:
            raise _invalid(f"接收方不能超过 {CONSOLE_RECIPIENT_MAX_LENGTH} 个字符")
        return value
    raise ValidationFailed(f"不支持的通知渠道：{channel}", fields={"channel": ["不支持的通知渠道"]})


def recipient_mask(*, channel: str, recipient: str) -> str:
    """What staff pages show: 138****5678, z***@example.com, oAbc***wxyz, 王***, user:42."""
    if channel == Channel.SMS and len(recipient) == 11:
        return f"{recipient[:3]}****{recipient[-4:]}"
    if channel == Channel.CONSOLE and STAFF_REFERENCE_RE.fullmatch(recipient):
        return recipient  # "user:42" names a staff account, not personal data
    if channel == Channel.EMAIL and "@" in recipient:
        local, _, domain = recipient.rpartition("@")
        return f"{local[:1]}***@{domain}"
    if len(recipient) > 8:
        return f"{recipient[:4]}***{recipient[-4:]}"
    return f"{recipient[:1]}***"
