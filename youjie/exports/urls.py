"""The exports, mounted at /exports/: every registered list as .xlsx, and 我的导出."""

from __future__ import annotations

from django.urls import URLPattern, path

from youjie.exports import views

app_name = "exports"
urlpatterns: list[URLPattern] = [
    path("", views.job_list, name="jobs"),
    path("<int:pk>/download/", views.job_download, name="download"),
    # The list's name ("courtcases.cases") and the list page's own query string.
    path("<str:name>.xlsx", views.export, name="export"),
]
