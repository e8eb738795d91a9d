"""System checks: a malformed WeChat setting fails at start-up, not on WeChat's first call."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, register

from youjie.inbound import wechat


@register()
def wechat_settings_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    try:
        wechat.config_from_settings()
    except wechat.Disabled:
        return []
    except wechat.NotConfigured as exc:
        return [
            Error(
                f"微信公众号接入配置有误：{exc}",
                hint="YOUJIE_WECHAT_AES_KEY 为公众号后台的 43 位 EncodingAESKey，并需设置 "
                "YOUJIE_WECHAT_APPID；不用安全模式时留空。",
                id="inbound.E001",
            )
        ]
    return []
