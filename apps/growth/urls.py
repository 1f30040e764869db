from django.urls import path

from . import views

app_name = "growth"

urlpatterns = [
    path("study/", views.study_list, name="study_list"),
    path("study/export.xlsx", views.study_export, name="study_export"),
    path("study/new/", views.session_create, name="session_create"),
    path("study/plans/new/", views.plan_create, name="plan_create"),
    path("study/first-topics/", views.first_topics, name="first_topics"),
    path("study/<int:pk>/", views.session_detail, name="session_detail"),
    path("study/<int:pk>/qr/", views.session_qr, name="session_qr"),
    path("study/<int:pk>/sign-in/", views.sign_in, name="sign_in"),
    path("study/<int:pk>/roll/", views.session_roll, name="session_roll"),
    path("study/<int:pk>/move/", views.session_move, name="session_move"),
    path("study/<int:pk>/reflection/", views.reflection_submit, name="reflection_submit"),
    path("study/topics/<int:pk>/follow-up/", views.topic_follow_up, name="topic_follow_up"),
    path("mentoring/", views.pair_list, name="pair_list"),
    path("mentoring/new/", views.pair_create, name="pair_create"),
    path("mentoring/<int:pk>/", views.pair_detail, name="pair_detail"),
    path("mentoring/<int:pk>/guidance/", views.guidance_add, name="guidance_add"),
    path("mentoring/<int:pk>/evaluation/", views.evaluation_submit, name="evaluation_submit"),
    path("mentoring/<int:pk>/summary/", views.summary_submit, name="summary_submit"),
    path("youth/", views.youth, name="youth"),
    path("youth/add/", views.youth_add, name="youth_add"),
    path("youth/recompute/", views.youth_recompute, name="youth_recompute"),
    path("talks/", views.talk_list, name="talk_list"),
    path("talks/new/", views.talk_create, name="talk_create"),
    path("talks/duties/", views.duty_edit, name="duty_edit"),
    path("talks/registry/", views.talk_registry, name="talk_registry"),
    path("talks/<int:pk>/", views.talk_detail, name="talk_detail"),
    path("training/", views.training, name="training"),
    path("training/new/", views.training_create, name="training_create"),
    path("training/requirement/", views.requirement_set, name="requirement_set"),
    path("files/", views.file_list, name="file_list"),
    path("files/<int:person_id>/", views.file_detail, name="file_detail"),
    path("files/<int:person_id>/file.docx", views.file_docx, name="file_docx"),
    path("statistics/", views.statistics, name="statistics"),
    path("statistics/export.xlsx", views.statistics_export, name="statistics_export"),
]
