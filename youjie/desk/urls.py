from __future__ import annotations

from django.urls import URLPattern, path

from youjie.desk import views

app_name = "desk"
urlpatterns: list[URLPattern] = [
    path("", views.my_queue, name="my_queue"),
    path("division/", views.division_queue, name="division_queue"),
    path("intake-queue/", views.intake_queue, name="intake_queue"),
    path("overdue/", views.overdue, name="overdue"),
    path("supervised/", views.supervised, name="supervised"),
    path("priority/", views.priority, name="priority"),
    path("return-visits/", views.return_visits, name="return_visits"),
    path("return-visits/<int:visit_pk>/", views.return_visit_record, name="return_visit_record"),
    path("search/", views.search, name="search"),
    path("new/", views.intake, name="intake"),
    path("lookup/", views.lookup, name="lookup"),
    path("matter-types/", views.matter_types, name="matter_types"),
    path("matter-types/<slug:code>/checklist/", views.checklist_edit, name="checklist_edit"),
    path("checklists/<slug:code>/", views.checklist_print, name="checklist_print"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment_download",
    ),
    path("<int:pk>/reveal-mobile/", views.reveal_mobile, name="reveal_mobile"),
    path("<int:pk>/case-query/check/", views.case_query_check, name="case_query_check"),
    path("<int:pk>/case-query/code/", views.case_query_code, name="case_query_code"),
    path("<int:pk>/<slug:action>/", views.action, name="action"),
]
