from __future__ import annotations

from django.urls import path

from youjie.workdays import views

app_name = "workdays"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:year>/", views.year_detail, name="year"),
    path("<int:year>/edit/", views.year_edit, name="year_edit"),
    path("<int:year>/delete/", views.year_delete, name="year_delete"),
]
