from __future__ import annotations

from django.urls import URLPattern, path

from youjie.documents import views

app_name = "documents"
urlpatterns: list[URLPattern] = [
    path("<int:pk>/download/", views.download, name="download"),
]
