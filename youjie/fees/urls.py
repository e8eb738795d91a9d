from django.urls import path

from youjie.fees import views

app_name = "fees"
urlpatterns = [
    path("", views.calculator, name="calculator"),
]
