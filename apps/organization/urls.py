from django.urls import path

from . import views

app_name = "organization"
urlpatterns = [
    path("", views.unit_list, name="unit_list"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("units/<int:pk>/aliases/", views.unit_aliases, name="unit_aliases"),
    path("people/", views.person_list, name="person_list"),
    path("directory/", views.directory, name="directory"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", views.person_update, name="person_update"),
    path("people/<int:pk>/transfer/", views.person_transfer, name="person_transfer"),
    path("people/<int:pk>/leave/", views.person_leave, name="person_leave"),
    path("people/<int:pk>/leadership/", views.person_leadership, name="person_leadership"),
    path("people/<int:pk>/party-group/", views.person_party_group, name="person_party_group"),
    path("leadership/", views.leadership, name="leadership"),
    path("overview/", views.overview, name="overview"),
    path("task-groups/", views.taskgroup_list, name="taskgroup_list"),
    path("task-groups/new/", views.taskgroup_create, name="taskgroup_create"),
    path("task-groups/<int:pk>/", views.taskgroup_detail, name="taskgroup_detail"),
    path("task-groups/<int:pk>/edit/", views.taskgroup_update, name="taskgroup_update"),
    path(
        "task-groups/<int:pk>/members/add/",
        views.taskgroup_member_add,
        name="taskgroup_member_add",
    ),
    path(
        "task-groups/<int:pk>/members/<int:person_pk>/remove/",
        views.taskgroup_member_remove,
        name="taskgroup_member_remove",
    ),
]
