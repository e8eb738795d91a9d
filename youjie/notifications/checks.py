"""System checks for the notification settings (run by `manage.py check` and at start-up)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from youjie.notifications.choices import Channel, TransportName


@checks.register()
def notification_settings_check(
    app_configs: Any = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    from youjie.notifications.transports import transport_name_for

    messages: list[checks.CheckMessage] = []
    names: dict[str, str] = {}
    for channel in Channel.values:
        try:
            names[channel] = transport_name_for(channel)
        except ImproperlyConfigured as exc:
            messages.append(
                checks.Error(
                    str(exc), hint="取值为 file、smtp 或 http_sms", id="notifications.E001"
                )
            )
    if names.get(Channel.SMS) == TransportName.HTTP_SMS:
        if not getattr(settings, "YOUJIE_SMS_GATEWAY_URL", ""):
            messages.append(
                checks.Error(
                    "YOUJIE_SMS_GATEWAY_URL is required when sms uses http_sms",
                    id="notifications.E002",
                )
            )
        lease = float(getattr(settings, "YOUJIE_NOTIFY_LEASE_SECONDS", 60))
        timeout = float(getattr(settings, "YOUJIE_SMS_TIMEOUT", 10))
        if lease <= timeout:
            messages.append(
                checks.Warning(
                    f"YOUJIE_NOTIFY_LEASE_SECONDS ({lease:g}) should exceed YOUJIE_SMS_TIMEOUT "
                    f"({timeout:g}): a lease that expires mid-request lets a second worker "
                    "look the message up before the gateway has it, and send it twice",
                    id="notifications.W001",
                )
            )
    messages.extend(_sms_signature_checks())
    return messages


def _sms_signature_checks() -> list[checks.CheckMessage]:
    """Texts begin with their signature (notifications.sms): a gateway template must not add
    another, and a configured signature must be one the carriers accept."""
    from youjie.notifications.sms import SIGNATURE_MAX, sms_signature_problem

    messages: list[checks.CheckMessage] = []
    if "{sign}" in str(getattr(settings, "YOUJIE_SMS_TEMPLATE", "{body}")):
        messages.append(
            checks.Warning(
                "YOUJIE_SMS_TEMPLATE contains {sign}, but every SMS text already begins with "
                "its signature: the recipient would read it twice",
                hint="Use YOUJIE_SMS_TEMPLATE={body} (the default)",
                id="notifications.W002",
            )
        )
    problem = sms_signature_problem(str(getattr(settings, "YOUJIE_SMS_SIGN", "") or ""))
    if problem:
        messages.append(
            checks.Warning(
                f"YOUJIE_SMS_SIGN: {problem}",
                hint=f"A signature is 【】 around 2 to {SIGNATURE_MAX} Chinese characters, "
                "letters or digits: the court's name or short name, as registered with the "
                "carrier (e.g. 【白云鄂博矿区法院】); empty: the court's short name",
                id="notifications.W003",
            )
        )
    return messages
