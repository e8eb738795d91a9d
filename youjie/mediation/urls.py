from django.urls import path

from youjie.mediation.views import delegate, detail, lists

app_name = "mediation"

urlpatterns = [
    path("", lists.mediation_list, name="list"),
    path("<int:pk>/", detail.mediation_detail, name="detail"),
    path("<int:pk>/actions/<str:action>/", detail.mediation_action, name="action"),
    path("delegate/<int:filing_id>/", delegate.mediation_delegate, name="delegate"),
]
