from django.urls import path

from . import crosscheck_views, evidence_views, onsite_views, views

app_name = "incidents"
urlpatterns = [
    path("", views.my_cases, name="mine"),
    path("<int:case_id>/rebut/", views.rebut, name="rebut"),
    path("<int:case_id>/evidence/", evidence_views.case_evidence, name="evidence"),
    path("evidence/<int:evidence_id>/", evidence_views.download_evidence, name="evidence_file"),
    path("onsite/", onsite_views.onsite_list, name="onsite"),
    path("crosscheck/", crosscheck_views.crosscheck_index, name="crosscheck"),
    path("crosscheck/import/", crosscheck_views.crosscheck_import, name="crosscheck_import"),
    path("crosscheck/rerun/", crosscheck_views.crosscheck_rerun, name="crosscheck_rerun"),
    path("crosscheck/i/<int:institution_id>/", crosscheck_views.crosscheck_institution, name="crosscheck_institution"),
    path("crosscheck/findings/<int:finding_id>/open/", crosscheck_views.finding_open_case, name="finding_open_case"),
    path("onsite/<int:check_id>/open/", onsite_views.onsite_open_case, name="onsite_open_case"),
]
