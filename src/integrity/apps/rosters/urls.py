from django.urls import path

from . import upload_list, views

app_name = "rosters"
urlpatterns = [
    path("", views.index, name="index"),
    path("i/<int:institution_id>/", views.dashboard, name="dashboard"),
    path("i/<int:institution_id>/template/<str:form_code>/", views.template, name="template"),
    path("i/<int:institution_id>/template/<str:form_code>/<int:task_id>/", views.template, name="task_template"),
    path("i/<int:institution_id>/upload/", views.upload, name="upload"),
    path("uploads/", upload_list.uploads, name="uploads"),
    path("uploads/<int:upload_id>/", views.upload_detail, name="upload_detail"),
    path("uploads/<int:upload_id>/status/", views.upload_status, name="upload_status"),
    path("uploads/<int:upload_id>/report/", views.upload_report, name="upload_report"),
]
