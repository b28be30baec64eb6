from django.urls import path

from . import evidence_views, objection_views, panel_views, views

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
    # the evaluation panel (평가단)
    path("evaluation/<int:institution_id>/note/", panel_views.note, name="note"),
    path("evaluation/<int:institution_id>/reconcile/", panel_views.reconcile, name="reconcile"),
    path("assigned/", panel_views.assigned, name="assigned"),
    path("assigned/<int:institution_id>/", panel_views.evaluate, name="evaluate"),
    path("assigned/<int:institution_id>/score/", panel_views.evaluator_score, name="evaluator_score"),
    path("ties/", panel_views.ties, name="ties"),
    path("panels/", panel_views.panels, name="panels"),
    path("panels/<int:panel_id>/", panel_views.panel, name="panel"),
    path("panels/<int:panel_id>/members/", panel_views.panel_member, name="panel_member"),
    path("panels/<int:panel_id>/assign/", panel_views.panel_assign, name="panel_assign"),
    path("reconciliation/", panel_views.reconciliation, name="reconciliation"),
]
