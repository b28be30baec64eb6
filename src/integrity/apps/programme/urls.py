from django.urls import path

from . import views

app_name = "programme"
urlpatterns = [
    path("", views.index, name="index"),
    path("<str:code>/<int:year>/", views.dashboard, name="dashboard"),
    path("<str:code>/<int:year>/briefing.pdf", views.briefing_pdf, name="briefing_pdf"),
    path("<str:code>/<int:year>/targets/", views.targets, name="targets"),
    path("<str:code>/<int:year>/targets/<int:target_id>/delete/", views.delete_target, name="target_delete"),
    path("<str:code>/<int:year>/plan/", views.plan, name="plan"),
    path("<str:code>/<int:year>/plan/copy/", views.copy_plan, name="copy"),
    path("<str:code>/<int:year>/plan/import/", views.import_plan, name="import"),
    path("<str:code>/<int:year>/tasks/", views.tasks, name="tasks"),
    path("<str:code>/<int:year>/tasks/<int:task_id>/", views.task, name="task"),
    path("<str:code>/<int:year>/tasks/<int:task_id>/progress/", views.report_progress, name="progress"),
    path("<str:code>/<int:year>/evidence/<int:report_id>/", views.evidence, name="evidence"),
    path("<str:code>/<int:year>/diagnosis/", views.diagnosis, name="diagnosis"),
    path("<str:code>/<int:year>/diagnosis/task/", views.task_from_diagnosis, name="diagnosis_task"),
]
