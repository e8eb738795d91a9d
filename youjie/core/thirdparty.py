"""Chinese names for the third-party apps the admin lists (issue 12, item 17).

django-axes, django-otp and huey ship no Chinese translation, so the admin showed "Axes",
"Access attempts", "Otp_Totp" and "TOTP devices" between the project's Chinese names. Django's
documented way to rename an installed app is an AppConfig subclass named in INSTALLED_APPS
(config/settings/base.py); the model names are set when the app is ready, before any admin page
reads them. Labels, tables and migrations stay the third-party apps' own.
"""

from __future__ import annotations

from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as TotpAppConfig

# model name (lower case) → (verbose_name, verbose_name_plural); the admin shows the plural.
AXES_MODEL_NAMES = {
    "accessattempt": ("登录失败记录", "登录失败记录"),
    "accessattemptexpiration": ("登录失败记录期限", "登录失败记录期限"),
    "accesslog": ("登录日志", "登录日志"),
    "accessfailurelog": ("登录失败日志", "登录失败日志"),
}
TOTP_MODEL_NAMES = {"totpdevice": ("动态口令设备", "动态口令设备")}


def _rename_models(config: AppConfig, names: dict[str, tuple[str, str]]) -> None:
    for model in config.get_models():
        if model._meta.model_name in names:
            singular, plural = names[model._meta.model_name]
            model._meta.verbose_name = singular
            model._meta.verbose_name_plural = plural


class AxesConfig(AxesAppConfig):  # type: ignore[misc]  # django-axes is untyped
    verbose_name = "登录防护"

    def ready(self) -> None:
        super().ready()
        _rename_models(self, AXES_MODEL_NAMES)


class OtpConfig(AppConfig):
    name = "django_otp"
    verbose_name = "双因素认证"


class OtpTotpConfig(TotpAppConfig):  # type: ignore[misc]  # django-otp is untyped
    verbose_name = "动态口令"

    def ready(self) -> None:
        super().ready()
        _rename_models(self, TOTP_MODEL_NAMES)


class HueyConfig(AppConfig):
    name = "huey.contrib.djhuey"
    label = "djhuey"
    verbose_name = "后台任务队列"
