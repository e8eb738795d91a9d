"""The petitions pages (信访化解), mounted at /petitions/. Each subject's views are a module of
``youjie.petitions.views``; P2 and P3 add their routes below their own comment."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from youjie.petitions.views import bulletins, campaigns, home, letters, matters, meetings, records

app_name = "petitions"

urlpatterns: list[URLPattern | URLResolver] = [
    # Matters, the role's work page, campaigns (P1b).
    path("", matters.matter_list, name="list"),
    path("export.xlsx", matters.matter_export, name="export"),
    path("new/", matters.matter_create, name="create"),
    path("dashboard/", home.dashboard, name="dashboard"),
    path("<int:pk>/", matters.matter_detail, name="detail"),
    path("<int:pk>/actions/<slug:action>/", matters.matter_action, name="action"),
    path("campaigns/", campaigns.campaign_list, name="campaign_list"),
    path("campaigns/new/", campaigns.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", campaigns.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/matters/", campaigns.campaign_add_matters, name="campaign_add"),
    path(
        "campaigns/<int:pk>/actions/<slug:action>/",
        campaigns.campaign_action,
        name="campaign_action",
    ),
    # P2: work records, coordination requests, aid.
    path("<int:pk>/records/", records.work_record_create, name="work_record_create"),
    path(
        "<int:pk>/records/<int:record_pk>/files/<int:file_pk>/",
        records.work_record_file,
        name="work_record_file",
    ),
    path("<int:pk>/coordination/", records.coordination_create, name="coordination_create"),
    path("<int:pk>/aid/", records.aid_create, name="aid_create"),
    path("<int:pk>/aid/<int:aid_pk>/<slug:action>/", records.aid_action, name="aid_action"),
    path("coordination/", records.coordination_list, name="coordination"),
    path("coordination/<int:pk>/reply/", records.coordination_reply, name="coordination_reply"),
    path("aid/", records.aid_list, name="aid_list"),
    path("aid/export.xlsx", records.aid_export, name="aid_export"),
    # P3: supervision letters, dispatch meetings and 三日一研究, the daily bulletin.
    path("letters/", letters.letter_list, name="letter_list"),
    path("letters/new/", letters.letter_create, name="letter_create"),
    path("letters/<int:pk>/", letters.letter_detail, name="letter_detail"),
    path("letters/<int:pk>/send/", letters.letter_send, name="letter_send"),
    path("letters/<int:pk>/reply/", letters.letter_reply, name="letter_reply"),
    path("meetings/", meetings.meeting_list, name="meeting_list"),
    path("meetings/new/", meetings.meeting_create, name="meeting_create"),
    path("meetings/review/", meetings.review_generate, name="review_generate"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/minutes/", meetings.meeting_minute, name="meeting_minute"),
    path("meetings/<int:pk>/tasks/", meetings.meeting_task, name="meeting_task"),
    path("meetings/<int:pk>/held/", meetings.meeting_hold, name="meeting_hold"),
    path("meetings/tasks/<int:pk>/done/", meetings.task_done, name="task_done"),
    path("bulletins/", bulletins.bulletin_list, name="bulletin_list"),
    path("bulletins/issue/", bulletins.bulletin_generate, name="bulletin_generate"),
    path("bulletins/<int:pk>/", bulletins.bulletin_detail, name="bulletin_detail"),
]
