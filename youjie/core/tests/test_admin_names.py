"""The admin speaks Chinese for third-party apps too (issue 12, item 17): axes, django-otp,
sessions and huey ship no Chinese names, so the project names them (youjie.core.thirdparty)."""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.urls import reverse

pytestmark = pytest.mark.django_db

ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")


@pytest.fixture(autouse=True)
def _no_otp(settings):
    settings.YOUJIE_OTP_ENFORCED = False


@pytest.mark.parametrize("label", ["axes", "otp_totp", "sessions", "django_otp", "djhuey"])
def test_third_party_apps_have_chinese_names(label):
    config = apps.get_app_config(label)
    assert not ENGLISH_WORD.search(str(config.verbose_name)), config.verbose_name
    for model in config.get_models():
        for name in (model._meta.verbose_name, model._meta.verbose_name_plural):
            assert not ENGLISH_WORD.search(str(name)), f"{model.__name__}: {name}"


def test_admin_index_lists_no_english_app_or_model_names(client, administrator):
    administrator.is_superuser = True
    administrator.save(update_fields=["is_superuser"])
    client.force_login(administrator)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    app_list = response.context["app_list"]
    names = [app["name"] for app in app_list]
    names += [model["name"] for app in app_list for model in app["models"]]
    english = [name for name in names if ENGLISH_WORD.search(str(name))]
    assert english == []
    html = response.content.decode()
    for word in ("Axes", "Access attempts", "TOTP devices", "OTP_TOTP"):
        assert word not in html
