from django.urls import path

from . import views

app_name = "workcalendar"
urlpatterns = [
    path("", views.year_list, name="year_list"),
    path("enter/", views.year_enter, name="year_enter"),
    path("notice/", views.notice_paste, name="notice_paste"),
    path("calculator/", views.calculator, name="calculator"),
    path("<int:year>/", views.year_detail, name="year_detail"),
    path("<int:year>/edit/", views.year_edit, name="year_edit"),
]
