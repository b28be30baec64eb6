from django.urls import path

from . import evidence_views, onsite_views, views

app_name = "incidents"
urlpatterns = [
    path("", views.my_cases, name="mine"),
    path("<int:case_id>/rebut/", views.rebut, name="rebut"),
    path("<int:case_id>/evidence/", evidence_views.case_evidence, name="evidence"),
    path("evidence/<int:evidence_id>/", evidence_views.download_evidence, name="evidence_file"),
    path("onsite/", onsite_views.onsite_list, name="onsite"),
    path("onsite/<int:check_id>/open/", onsite_views.onsite_open_case, name="onsite_open_case"),
]
