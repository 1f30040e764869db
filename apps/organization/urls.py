from django.urls import path

from . import views

app_name = "organization"
urlpatterns = [
    path("", views.unit_list, name="unit_list"),
    path("task-groups/", views.taskgroup_list, name="taskgroup_list"),
]
