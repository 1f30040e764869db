from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.session_list, name="session_list"),
    path("new/", views.session_create, name="session_create"),
    path("directors/new/", views.directors_meeting_create, name="directors_meeting_create"),
    path("measures/", views.measures, name="measures"),
    path("<int:pk>/", views.session_detail, name="session_detail"),
    path("<int:pk>/items/new/", views.item_add, name="item_add"),
    path("<int:pk>/decide/", views.agenda_decide, name="agenda_decide"),
    path("<int:pk>/notice/", views.notice_send, name="notice_send"),
    path("<int:pk>/notice.docx", views.notice_docx, name="notice_docx"),
    path("<int:pk>/minutes.docx", views.minutes_docx, name="minutes_docx"),
    path("<int:pk>/open/", views.session_open, name="session_open"),
    path("<int:pk>/close/", views.session_close, name="session_close"),
    path("<int:pk>/attendance/", views.attendance, name="attendance"),
    path("<int:pk>/sign-in/", views.self_sign_in, name="self_sign_in"),
    path("<int:pk>/live/", views.live, name="live"),
    path("items/<int:pk>/", views.item_detail, name="item_detail"),
    path("items/<int:pk>/remove/", views.item_remove, name="item_remove"),
    path("items/<int:pk>/tap/", views.item_tap, name="item_tap"),
    path("items/<int:pk>/times/", views.item_times, name="item_times"),
    path("items/<int:pk>/speech/", views.speech_add, name="speech_add"),
    path("items/<int:pk>/vote/", views.vote_record, name="vote_record"),
    path("votes/<int:pk>/members/", views.member_votes, name="member_votes"),
    path("items/<int:pk>/receive/", views.materials_receive, name="materials_receive"),
    path("items/<int:pk>/opinion/", views.opinion_save, name="opinion_save"),
    path("opinions/<int:pk>/rate/", views.opinion_rate, name="opinion_rate"),
    path("opinions/<int:pk>/<slug:action>/", views.opinion_action, name="opinion_action"),
    path("materials/<int:pk>/", views.material_download, name="material_download"),
    path("body/", views.body_home, name="body_home"),
    path("body/items/<int:pk>/", views.body_item, name="body_item"),
    path("body/opinions/<int:pk>/", views.body_opinion, name="body_opinion"),
]
