from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "integrity.apps.jobs"
    label = "jobs"
    verbose_name = _("백그라운드 작업")

    def ready(self):
        from django_tasks.signals import task_started

        from .lease import reap_on_task_start

        # A worker picking up work first ends what dead workers left "running".
        task_started.connect(reap_on_task_start, dispatch_uid="jobs.reap_on_task_start")
