from django.urls import path

from . import views

app_name = "deputies"

urlpatterns = [
    # The deputy's own phone pages.
    path("me/", views.my_home, name="my_home"),
    path("me/report.docx", views.my_report, name="my_report"),
    path("me/suggestions/", views.my_suggestions, name="my_suggestions"),
    path("me/suggestions/new/", views.my_suggestion_new, name="my_suggestion_new"),
    path("me/suggestions/<int:pk>/", views.my_suggestion, name="my_suggestion"),
    path(
        "me/suggestions/<int:pk>/submit/", views.my_suggestion_submit, name="my_suggestion_submit"
    ),
    path("me/letters/<int:pk>/feedback/", views.my_feedback, name="my_feedback"),
    # The handling body's pages.
    path("body/", views.body_list, name="body_list"),
    path("body/<int:pk>/", views.body_detail, name="body_detail"),
    path("body/<int:pk>/<slug:action>/", views.body_action, name="body_action"),
    # The office's pages.
    path("suggestions/", views.suggestion_list, name="suggestion_list"),
    path("suggestions/<int:pk>/", views.suggestion_detail, name="suggestion_detail"),
    path("suggestions/<int:pk>/<slug:action>/", views.suggestion_action, name="suggestion_action"),
    path("handlings/<int:pk>/<slug:action>/", views.handling_action, name="handling_action"),
    path("roster/", views.deputy_list, name="deputy_list"),
    path("roster/<int:pk>/", views.deputy_detail, name="deputy_detail"),
    path("roster/<int:pk>/report.docx", views.deputy_report, name="deputy_report"),
    path("stations/", views.station_list, name="station_list"),
    path("stations/<int:pk>/", views.station_detail, name="station_detail"),
    path("stations/<int:pk>/<slug:action>/", views.station_action, name="station_action"),
    path("matters/<int:pk>/<slug:action>/", views.matter_action, name="matter_action"),
    path("statistics/", views.statistics_page, name="statistics"),
    path("statistics/export.xlsx", views.statistics_export, name="statistics_export"),
    path("statistics/report.docx", views.statistics_report, name="statistics_report"),
]
