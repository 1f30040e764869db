from django.urls import path

from . import views

app_name = "attendance"
urlpatterns = [
    path("", views.home, name="home"),
    path("clock/", views.clock, name="clock"),
    path("month/", views.my_month, name="my_month"),
    path("people/<int:person_id>/month/", views.person_month, name="person_month"),
    path("results/<int:pk>/", views.result_detail, name="result_detail"),
    path("requests/", views.request_list, name="request_list"),
    path("requests/new/", views.request_create, name="request_create"),
    path("requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("requests/<int:pk>/withdraw/", views.request_withdraw, name="request_withdraw"),
    path("notice/", views.notice, name="notice"),
    path("notice/export.xlsx", views.notice_xlsx, name="notice_xlsx"),
    path("notice/export.docx", views.notice_docx, name="notice_docx"),
    path("points/", views.points, name="points"),
    path("points/<int:person_id>/", views.points_person, name="points_person"),
    path("settings/", views.settings_page, name="settings"),
    path("settings/schedules/new/", views.schedule_edit, name="schedule_create"),
    path("settings/schedules/<int:pk>/", views.schedule_edit, name="schedule_edit"),
    path("settings/schedules/<int:pk>/delete/", views.schedule_delete, name="schedule_delete"),
    path("settings/rules/new/", views.rule_edit, name="rule_create"),
    path("settings/rules/<int:pk>/", views.rule_edit, name="rule_edit"),
]
