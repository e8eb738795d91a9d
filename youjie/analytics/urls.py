from __future__ import annotations

from django.urls import URLPattern, path

from youjie.analytics import views

app_name = "analytics"
urlpatterns: list[URLPattern] = [
    path("desk/", views.desk, name="desk"),
    path("desk/export.xlsx", views.desk_export, name="desk_export"),
    path("court/", views.court, name="court"),
]
