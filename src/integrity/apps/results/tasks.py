"""Background work of this app, through Django's task API (django-tasks backport)."""

from django_tasks import task


@task()
def run_year_task(job_id: int) -> int | None:
    from .jobs import run_scoring_job

    return run_scoring_job(job_id)
