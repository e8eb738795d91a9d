from django.urls import path

from youjie.people import views

app_name = "people"
urlpatterns = [
    path("", views.search, name="search"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.dossier, name="dossier"),
    path("<int:pk>/reveal/<slug:field>/", views.reveal, name="reveal"),
    path("enterprises/new/", views.enterprise_create, name="enterprise_create"),
    path("enterprises/<int:pk>/", views.enterprise_detail, name="enterprise_detail"),
]
