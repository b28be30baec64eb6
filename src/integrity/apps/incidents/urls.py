from django.urls import path

from . import evidence_views, views

app_name = "incidents"
urlpatterns = [
    path("", views.my_cases, name="mine"),
    path("<int:case_id>/rebut/", views.rebut, name="rebut"),
    path("<int:case_id>/evidence/", evidence_views.case_evidence, name="evidence"),
    path("evidence/<int:evidence_id>/", evidence_views.download_evidence, name="evidence_file"),
]
