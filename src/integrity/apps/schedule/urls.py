from django.urls import path

from . import views

app_name = "schedule"
urlpatterns = [
    path("", views.index, name="index"),
    path("edit/", views.edit, name="edit"),
    path("deadlines/", views.deadlines, name="deadlines"),
    path("deadlines/download/<str:fmt>/", views.deadlines_download, name="deadlines_download"),
    path("deadlines/remind/", views.remind_view, name="remind"),
    path("extend/<int:institution_id>/<str:form_code>/", views.extend, name="extend"),
    path("reminders/", views.reminders, name="reminders"),
]
