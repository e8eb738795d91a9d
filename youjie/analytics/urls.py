from __future__ import annotations

from django.urls import URLPattern, path

from youjie.analytics.views import campaign, court, desk, screen

app_name = "analytics"
urlpatterns: list[URLPattern] = [
    path("desk/", desk.desk, name="desk"),
    path("desk/export.xlsx", desk.desk_export, name="desk_export"),
    path("court/", court.court, name="court"),
    path("campaign/", campaign.campaign, name="campaign"),
    path("screen/", screen.court_screen, name="screen"),
    path("screen/city/", screen.office_screen, name="screen_city"),
]
