"""Scoring runs started from the runs page: queued, run in the background with a
lease (jobs.lease), and ended as done or failed — never left "running"."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from integrity.apps.jobs.lease import LeaseLost, advance, held, running

from .models import JobStatus, ScoringJob
from .services import run_from_database


class AlreadyRunning(Exception):
    pass


def start_scoring(year, actor) -> ScoringJob:
    """Queue a run of the year's scoring (one at a time per year)."""
    from .tasks import run_year_task

    with transaction.atomic():
        if ScoringJob.objects.select_for_update().filter(year=year, status__in=(JobStatus.QUEUED, JobStatus.RUNNING)).exists():
            raise AlreadyRunning(f"{year} 채점이 이미 진행 중입니다")
        job = ScoringJob.objects.create(year=year, started_by=actor if getattr(actor, "is_authenticated", False) else None,
                                        stage="대기 중")

        def enqueue():
            result = run_year_task.enqueue(job.pk)
            ScoringJob.objects.filter(pk=job.pk).update(task_result_id=result.id)

        transaction.on_commit(enqueue)
    return job


def fail_job(job: ScoringJob, message: str) -> None:
    """A run is stored in one transaction (store_run), so a failed job leaves no rows."""
    ScoringJob.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, message=message, stage="",
                                                finished_at=timezone.now())


def run_scoring_job(job_id: int) -> int | None:
    job = ScoringJob.objects.select_related("year", "started_by").get(pk=job_id)
    if not ScoringJob.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(
            status=JobStatus.RUNNING, heartbeat_at=timezone.now(), stage="채점 준비 중"):
        return None  # taken by another worker, or already ended

    def stage(text: str) -> None:
        advance(job, stage=text)  # stops here if the job was taken for dead

    def done(run) -> None:
        # In store_run's transaction: the run and "done" are stored together, or neither
        # (a worker taken for dead stores nothing).
        if not held(job).update(status=JobStatus.DONE, run=run, stage="", finished_at=timezone.now(),
                                message=f"채점 #{run.pk} 저장 완료"):
            raise LeaseLost(f"ScoringJob #{job.pk}")

    with running(job, fail_job):
        return run_from_database(job.year, job.started_by, progress=stage, on_stored=done).pk
    return None
