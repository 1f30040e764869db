from django.urls import path

from . import views

app_name = "approvals"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("mine/", views.my_requests, name="my_requests"),
    path("<int:pk>/", views.request_detail, name="request_detail"),
    path("<int:pk>/decide/", views.request_decide, name="request_decide"),
    path("<int:pk>/withdraw/", views.request_withdraw, name="request_withdraw"),
    path("flows/", views.flow_list, name="flow_list"),
    path("flows/<int:pk>/", views.flow_detail, name="flow_detail"),
]
