from django.urls import path

from youjie.people import views

app_name = "people"
urlpatterns: list = [path("", views.search, name="search")]
