from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("", views.outgoing_list, name="outgoing_list"),
    path("new/", views.outgoing_create, name="outgoing_create"),
    path("<int:pk>/", views.outgoing_detail, name="outgoing_detail"),
    path("<int:pk>/do/<slug:action>/", views.outgoing_action, name="outgoing_action"),
    path("<int:pk>/revise/", views.outgoing_revise, name="outgoing_revise"),
    path("<int:pk>/comment/", views.version_comment, name="version_comment"),
    path("<int:pk>/attachments/", views.attachment_add, name="attachment_add"),
    path("<int:pk>/document.docx", views.outgoing_docx, name="outgoing_docx"),
    path("<int:pk>/document.pdf", views.outgoing_pdf, name="outgoing_pdf"),
    path("countersigns/<int:pk>/", views.countersign_answer, name="countersign_answer"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("statistics/", views.statistics, name="statistics"),
    path("groups/", views.group_list, name="group_list"),
    path("groups/create/", views.group_edit, name="group_create"),
    path("groups/<int:pk>/edit/", views.group_edit, name="group_edit"),
    path("groups/<int:pk>/new/", views.material_create, name="material_create"),
    path("materials/<int:pk>/", views.material_detail, name="material_detail"),
    path("materials/<int:pk>/do/<slug:action>/", views.material_action, name="material_action"),
    path("materials/<int:pk>/revise/", views.material_revise, name="material_revise"),
    path("incoming/", views.incoming_list, name="incoming_list"),
    path("incoming/new/", views.incoming_create, name="incoming_create"),
    path("incoming/<int:pk>/", views.incoming_detail, name="incoming_detail"),
    path("incoming/<int:pk>/do/<slug:action>/", views.incoming_action, name="incoming_action"),
]
