from django.urls import path

from youjie.courtcases import views

app_name = "courtcases"
urlpatterns: list = [path("", views.case_list, name="list")]
