from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("jobs/<int:pk>/", views.job, name="job"),
    path("jobs/<int:pk>/mapping/", views.job_mapping, name="job_mapping"),
    path("jobs/<int:pk>/confirm/", views.job_confirm, name="job_confirm"),
    path("<slug:kind>/", views.upload, name="upload"),
]
