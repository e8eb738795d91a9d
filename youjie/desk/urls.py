from django.urls import path

from youjie.desk import views

app_name = "desk"
urlpatterns = [path("", views.my_queue, name="my_queue")]
