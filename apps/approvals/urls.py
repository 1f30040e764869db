from django.urls import path

from . import views

app_name = "approvals"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("mine/", views.my_requests, name="my_requests"),
    path("<int:pk>/", views.request_detail, name="request_detail"),
    path("<int:pk>/decide/", views.request_decide, name="request_decide"),
    path("<int:pk>/withdraw/", views.request_withdraw, name="request_withdraw"),
    path("<int:pk>/return/", views.request_return, name="request_return"),
    path("<int:pk>/recall/", views.request_recall, name="request_recall"),
    path("<int:pk>/resubmit/", views.request_resubmit, name="request_resubmit"),
    path("<int:pk>/add-signer/", views.request_add_signer, name="request_add_signer"),
    path("<int:pk>/transfer/", views.request_transfer, name="request_transfer"),
    path("<int:pk>/remind/", views.request_remind, name="request_remind"),
    path("flows/", views.flow_list, name="flow_list"),
    path("flows/<int:pk>/", views.flow_detail, name="flow_detail"),
]
