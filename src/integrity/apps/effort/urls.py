from django.urls import path

from . import views

app_name = "effort"
urlpatterns = [
    path("", views.my_report, name="mine"),
    path("evaluation/", views.index, name="index"),
    path("evaluation/deadline/", views.set_deadline, name="deadline"),
    path("evaluation/<int:institution_id>/", views.institution, name="institution"),
    path("evaluation/<int:institution_id>/score/", views.score, name="score"),
    path("evaluation/<int:institution_id>/reopen/", views.reopen, name="reopen"),
]
