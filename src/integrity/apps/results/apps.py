from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    name = "integrity.apps.results"
    label = "results"
    verbose_name = _("채점 결과")

    def ready(self):
        from . import checks  # noqa: F401 — registers the Korean-font check of the PDF reports
        from integrity.apps.jobs.lease import Kind, register

        from .jobs import fail_job
        from .models import JobStatus, ScoringJob

        register(Kind(ScoringJob, {"status": JobStatus.RUNNING}, fail_job, queued={"status": JobStatus.QUEUED}))
