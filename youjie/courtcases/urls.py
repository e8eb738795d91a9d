from __future__ import annotations

from django.urls import URLPattern, path

from youjie.courtcases import views
from youjie.courtcases.views import cases as case_views

app_name = "courtcases"
urlpatterns: list[URLPattern] = [
    path("", views.case_list, name="list"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/hearings/", views.hearing_schedule, name="hearing_schedule"),
    path("hearings/", views.hearing_list, name="hearings"),
    path("hearings/<int:pk>/postpone/", views.hearing_postpone, name="hearing_postpone"),
    path("hearings/<int:pk>/cancel/", views.hearing_cancel, name="hearing_cancel"),
    path("hearings/<int:pk>/held/", views.hearing_hold, name="hearing_hold"),
    path("hearings/<int:pk>/attendance/", views.hearing_attendance, name="hearing_attendance"),
    path("import/", views.case_import, name="import"),
    path("import/runs/", case_views.case_import_runs, name="import_runs"),
    path("import/<int:pk>/", views.case_import_status, name="import_status"),
    path("import/<int:pk>/run/", views.case_import_run, name="import_run"),
    path("import/<int:pk>/cancel/", views.case_import_cancel, name="import_cancel"),
]
