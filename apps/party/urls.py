from django.urls import path

from . import views

app_name = "party"

urlpatterns = [
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/agenda/", views.agenda_add, name="agenda_add"),
    path("meetings/<int:pk>/minutes.docx", views.meeting_minutes, name="meeting_minutes"),
    path("agenda/<int:pk>/conclude/", views.agenda_conclude, name="agenda_conclude"),
    path("agenda/<int:pk>/decision/", views.decision_record, name="decision_record"),
    path("agenda/<int:pk>/ledger/", views.agenda_to_ledger, name="agenda_to_ledger"),
    path("decisions/", views.decision_list, name="decision_list"),
    path("decisions/export.xlsx", views.decision_export, name="decision_export"),
    path("reports/new/", views.report_create, name="report_create"),
    path("reports/<int:pk>/answer/", views.report_answer, name="report_answer"),
    path("reports/<int:pk>/draft/", views.report_draft, name="report_draft"),
    path("lists/", views.list_index, name="list_index"),
    path("lists/new/", views.list_create, name="list_create"),
    path("lists/<int:pk>/", views.list_detail, name="list_detail"),
    path("lists/items/<int:pk>/<slug:action>/", views.item_update, name="item_update"),
    path("reviews/", views.review_list, name="review_list"),
    path("reviews/new/", views.review_create, name="review_create"),
    path("reviews/<int:pk>/", views.review_detail, name="review_detail"),
    path("reviews/<int:pk>/publish/", views.review_publish, name="review_publish"),
    path("reviews/subjects/<int:pk>/report/", views.subject_report, name="subject_report"),
    path("reviews/subjects/<int:pk>/score/", views.subject_score, name="subject_score"),
    path("activities/", views.activity_list, name="activity_list"),
    path("activities/new/", views.activity_create, name="activity_create"),
    path("articles/", views.article_list, name="article_list"),
    path("articles/new/", views.article_create, name="article_create"),
    path("articles/<int:pk>/", views.article_detail, name="article_detail"),
    path("articles/<int:pk>/<slug:action>/", views.article_action, name="article_action"),
    path("issues/", views.issue_list, name="issue_list"),
    path("issues/<int:pk>/", views.issue_detail, name="issue_detail"),
    path("issues/<int:pk>/issue.pdf", views.issue_pdf, name="issue_pdf"),
    path("issues/<int:pk>/<slug:action>/", views.issue_action, name="issue_action"),
    path("statistics/", views.statistics, name="statistics"),
    path("statistics/export.xlsx", views.statistics_export, name="statistics_export"),
]
