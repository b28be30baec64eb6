from django.urls import path

from . import evidence_views, objection_views, views

app_name = "effort"
urlpatterns = [
    path("", views.my_report, name="mine"),
    path("evaluation/", views.index, name="index"),
    path("evaluation/deadline/", views.set_deadline, name="deadline"),
    path("evaluation/<int:institution_id>/", views.institution, name="institution"),
    path("evaluation/<int:institution_id>/score/", views.score, name="score"),
    path("evaluation/<int:institution_id>/reopen/", views.reopen, name="reopen"),
    # evidence files (증빙자료) and the objection window (이의신청)
    path("evidence/upload/", evidence_views.upload, name="evidence_upload"),
    path("evidence/<int:evidence_id>/", evidence_views.download, name="evidence_file"),
    path("evidence/<int:evidence_id>/delete/", evidence_views.delete, name="evidence_delete"),
    path("evaluation/release/", objection_views.release, name="release"),
    path("preliminary/", objection_views.preliminary, name="preliminary"),
    path("objections/", objection_views.index, name="objections"),
    path("objections/<int:objection_id>/", objection_views.detail, name="objection"),
]
