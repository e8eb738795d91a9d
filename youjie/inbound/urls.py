from __future__ import annotations

from django.urls import URLPattern, path

from youjie.inbound import views

app_name = "inbound"
urlpatterns: list[URLPattern] = [
    path("wechat/", views.wechat_callback, name="wechat"),
]
