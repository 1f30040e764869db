from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("manage/", views.account_list, name="account_list"),
    path("manage/new/", views.account_create, name="account_create"),
    path("manage/<int:pk>/", views.account_detail, name="account_detail"),
    path("manage/<int:pk>/role/", views.account_role, name="account_role"),
    path("manage/<int:pk>/unlock/", views.account_unlock, name="account_unlock"),
    path("manage/<int:pk>/active/", views.account_active, name="account_active"),
    path("admin-changes/", views.admin_changes, name="admin_changes"),
    path(
        "admin-changes/<int:pk>/confirm/", views.admin_change_confirm, name="admin_change_confirm"
    ),
    path("admin-changes/<int:pk>/reject/", views.admin_change_reject, name="admin_change_reject"),
]
