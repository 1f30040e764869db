from django.urls import path

from . import views

app_name = "notices"

urlpatterns = [
    path("", views.notice_list, name="notice_list"),
    path("new/", views.notice_create, name="notice_create"),
    path("<int:pk>/", views.notice_detail, name="notice_detail"),
    path("<int:pk>/edit/", views.notice_edit, name="notice_edit"),
    path("<int:pk>/publish/", views.notice_publish, name="notice_publish"),
    path("<int:pk>/withdraw/", views.notice_withdraw, name="notice_withdraw"),
    path("<int:pk>/confirm/", views.notice_confirm, name="notice_confirm"),
    path("<int:pk>/receipts/", views.notice_receipts, name="notice_receipts"),
    path("<int:pk>/remind/", views.notice_remind, name="notice_remind"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
]
