from django.urls import path

from youjie.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.index, name="index"),
    path("submit/", views.submit, name="submit"),
    path("submit/done/", views.submit_done, name="submit_done"),
    path("track/", views.track, name="track"),
    path("track/code/", views.track_code, name="track_code"),
    path("track/<str:number>/", views.track_detail, name="track_detail"),
    path("track/<str:number>/withdraw/", views.withdraw, name="withdraw"),
    path("cases/", views.cases, name="cases"),
    path("cases/code/", views.case_code, name="case_code"),
    path("cases/<str:number>/", views.case_progress, name="case_progress"),
    path("checklists/", views.checklists, name="checklists"),
    path("checklists/<slug:code>/", views.checklist, name="checklist"),
    path("checklists/<slug:code>/v<int:version>/", views.checklist, name="checklist"),
    path("feedback/<slug:token>/", views.feedback, name="feedback"),
    path("feedback/<slug:token>/thanks/", views.feedback_thanks, name="feedback_thanks"),
]
