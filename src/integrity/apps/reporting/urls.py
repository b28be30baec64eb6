from django.urls import path

from . import case_views, public_views, register_views

app_name = "reporting"
urlpatterns = [
    # public: no account, nothing about the visitor kept; codes only in POST bodies
    path("", public_views.report, name="report"),
    path("follow/", public_views.follow, name="follow"),
    path("follow/reply/", public_views.follow_reply, name="follow_reply"),
    # the institution's integrity team and administrators
    path("cases/", case_views.cases, name="cases"),
    path("cases/<uuid:report_id>/", case_views.case, name="case"),
    path("cases/<uuid:report_id>/act/", case_views.case_act, name="case_act"),
    path("cases/<uuid:report_id>/files/<int:number>/", case_views.case_file, name="case_file"),
    path("cases/<uuid:report_id>/identity/", case_views.case_identity, name="case_identity"),
    path("statistics/", case_views.statistics, name="statistics"),
    path("solicitations/", register_views.solicitations, name="solicitations"),
    path("solicitations/new/", register_views.solicitation_new, name="solicitation_new"),
    path("solicitations/<int:entry_id>/", register_views.solicitation, name="solicitation"),
    path("solicitations/<int:entry_id>/incident/", register_views.solicitation_incident, name="solicitation_incident"),
    path("one-strike/", register_views.one_strike, name="one_strike"),
    path("one-strike/new/", register_views.one_strike_new, name="one_strike_new"),
    path("one-strike/<int:entry_id>/", register_views.one_strike_entry, name="one_strike_entry"),
    path("one-strike/<int:entry_id>/incident/", register_views.one_strike_incident, name="one_strike_incident"),
    path("auditors/", register_views.auditors, name="auditors"),
    path("auditors/new/", register_views.auditor_new, name="auditor_new"),
    path("auditors/<int:auditor_id>/", register_views.auditor, name="auditor"),
    path("findings/<int:finding_id>/plan-task/", register_views.finding_to_task, name="finding_to_task"),
]
