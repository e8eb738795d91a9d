from __future__ import annotations

from django.urls import URLPattern, path

from youjie.courtcases import views

app_name = "courtcases"
urlpatterns: list[URLPattern] = [
    path("", views.case_list, name="list"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("import/", views.case_import, name="import"),
    path("import/<int:pk>/", views.case_import_status, name="import_status"),
    path("import/<int:pk>/run/", views.case_import_run, name="import_run"),
    path("import/<int:pk>/cancel/", views.case_import_cancel, name="import_cancel"),
]
